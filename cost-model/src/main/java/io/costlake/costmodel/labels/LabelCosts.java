package io.costlake.costmodel.labels;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import io.costlake.costmodel.CostModelConfig;
import io.costlake.costmodel.JoinKeys;
import io.costlake.costmodel.LatestValues;
import io.costlake.ingest.bronze.SeriesSamples;

/**
 * Cost per value of a label of choice and day ({@code costlake.model.aggregate-labels}), as Kubecost's
 * "aggregate by label": a container's value is its pod's label, else its namespace's label, else
 * {@code __unlabelled__}.
 *
 * <p>Every dollar of the namespace view is kept, so for each label the values add up to the cluster's
 * total: a pod's CPU, RAM and GPU cost go to its value; what a namespace has beyond its containers (storage,
 * its share of idle with shareIdle, cost received from or given away by shared namespaces) is split over the
 * namespace's values in proportion to their container cost; a namespace without container cost (only
 * volumes) goes whole to its namespace label's value; {@code __idle__} and {@code __unmounted__} stay
 * values of their own. Efficiency is usage / max(request, usage) per resource, as for namespaces; GPU usage is
 * dcgm-exporter's utilisation of the GPUs the pods held ({@link GpuUsage}), and GPU efficiency is left empty
 * for a value none of whose pods' GPUs the exporter reported.
 */
public final class LabelCosts {
    /** Container measures summed per label value, in output order. */
    private static final List<String> CONTAINER_MEASURES = List.of("cpu_cost", "ram_cost", "gpu_cost",
            "cpu_request_core_hours", "cpu_usage_core_hours", "cpu_billable_core_hours", "ram_request_gib_hours",
            "ram_usage_gib_hours", "ram_billable_gib_hours", "gpu_hours");
    /** Namespace costs beyond its containers, split over its label values. */
    private static final List<String> NAMESPACE_MEASURES = List.of("storage_cost", "idle_cost", "shared_cost");

    private final CostModelConfig config;

    public LabelCosts(CostModelConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /**
     * Columns: cluster, day, label_key, label_value, cpu_cost, ram_cost, gpu_cost, storage_cost, idle_cost,
     * shared_cost, total_cost, cpu / ram request, usage and billable hours, gpu_hours, gpu_usage_hours,
     * cpu_efficiency, ram_efficiency, gpu_efficiency, pods, namespaces. No rows when no label is configured.
     *
     * @param containerHour gold container-hour costs
     * @param namespaceDay gold namespace-day costs (after idle and shared-namespace distribution)
     * @param objectLabels bronze object_labels rows (pods and namespaces)
     * @param gpu bronze gpu samples and series (dcgm-exporter)
     * @param resources bronze container_resource samples and series
     */
    public Dataset<Row> labelDays(Dataset<Row> containerHour, Dataset<Row> namespaceDay, Dataset<Row> objectLabels,
            SeriesSamples gpu, SeriesSamples resources, LocalDate day) {
        Dataset<Row> podLabels = LatestValues.per("cluster", "namespace", "name").value("pod_labels", col("labels"))
                .of(objectLabels.where(col("object_kind").equalTo("pod"))).withColumnRenamed("name", "pod");
        Dataset<Row> namespaceLabels = LatestValues.per("cluster", "name").value("namespace_labels", col("labels"))
                .of(objectLabels.where(col("object_kind").equalTo("namespace"))).withColumnRenamed("name", "namespace");

        List<Column> podSums = new ArrayList<>();
        for (String measure : CONTAINER_MEASURES) {
            podSums.add(sum(measure).as(measure));
        }
        Dataset<Row> pods = containerHour.groupBy("cluster", "day", "namespace", "pod")
                .agg(podSums.get(0), podSums.subList(1, podSums.size()).toArray(Column[]::new))
                .join(new GpuUsage(config).perPod(gpu, resources, day), JoinKeys.of("cluster", "namespace", "pod"),
                        "left")
                .join(podLabels, JoinKeys.of("cluster", "namespace", "pod"), "left")
                .join(namespaceLabels, JoinKeys.of("cluster", "namespace"), "left");
        Dataset<Row> labelled = withLabel(pods, col("pod_labels"));

        List<Column> sliceSums = new ArrayList<>();
        for (String measure : CONTAINER_MEASURES) {
            sliceSums.add(sum(measure).as(measure));
        }
        sliceSums.add(sum("gpu_usage_hours").as("gpu_usage_hours"));
        sliceSums.add(count_distinct(col("pod")).as("pods"));
        Column namespaceContainerCost = sum(col("container_cost"))
                .over(Window.partitionBy("cluster", "day", "namespace", "label_key"));
        Dataset<Row> namespaceExtras = namespaceDay.select(col("cluster"), col("day"), col("namespace"),
                col("storage_cost").as("ns_storage_cost"), col("idle_cost").as("ns_idle_cost"),
                col("shared_cost").as("ns_shared_cost"));
        Dataset<Row> slices = labelled
                .groupBy("cluster", "day", "namespace", "label_key", "label_value")
                .agg(sliceSums.get(0), sliceSums.subList(1, sliceSums.size()).toArray(Column[]::new))
                .withColumn("container_cost", col("cpu_cost").plus(col("ram_cost")).plus(col("gpu_cost")))
                .withColumn("share", when(namespaceContainerCost.gt(0),
                        col("container_cost").divide(namespaceContainerCost)).otherwise(lit(0.0)))
                .join(namespaceExtras, JoinKeys.of("cluster", "day", "namespace"), "left");
        for (String measure : NAMESPACE_MEASURES) {
            slices = slices.withColumn(measure, coalesce(col("ns_" + measure), lit(0.0)).multiply(col("share")));
        }

        // Namespaces none of whose containers cost anything: __idle__, __unmounted__, volume-only namespaces.
        Dataset<Row> sharing = slices.where(col("share").gt(0)).select("cluster", "day", "namespace").distinct();
        // Their containers' hours and pods (if any, at no cost) are in the slices already.
        Dataset<Row> rest = namespaceDay.join(sharing, JoinKeys.of("cluster", "day", "namespace"), "left_anti")
                .join(namespaceLabels, JoinKeys.of("cluster", "namespace"), "left")
                .withColumn("pods", lit(0L));
        for (String measure : CONTAINER_MEASURES) {
            if (measure.endsWith("_hours")) {
                rest = rest.withColumn(measure, lit(0.0));
            }
        }
        rest = withLabel(rest.withColumn("gpu_usage_hours", lit(null).cast("double")),
                lit(null).cast("map<string,string>"));

        List<String> measures = new ArrayList<>(CONTAINER_MEASURES);
        measures.addAll(NAMESPACE_MEASURES);
        List<Column> columns = new ArrayList<>(List.of(col("cluster"), col("day"), col("namespace"),
                col("label_key"), col("label_value")));
        for (String measure : measures) {
            columns.add(col(measure).cast("double").as(measure));
        }
        columns.add(col("gpu_usage_hours").cast("double").as("gpu_usage_hours"));
        columns.add(col("pods"));
        Column[] select = columns.toArray(Column[]::new);
        Dataset<Row> union = slices.select(select).unionByName(rest.select(select));

        List<Column> totals = new ArrayList<>();
        for (String measure : measures) {
            totals.add(sum(measure).as(measure));
        }
        totals.add(sum("gpu_usage_hours").as("gpu_usage_hours"));
        totals.add(sum("pods").as("pods"));
        totals.add(count_distinct(col("namespace")).as("namespaces"));
        Column total = col("cpu_cost");
        for (String measure : List.of("ram_cost", "gpu_cost", "storage_cost", "idle_cost", "shared_cost")) {
            total = total.plus(col(measure));
        }
        return union.groupBy("cluster", "day", "label_key", "label_value")
                .agg(totals.get(0), totals.subList(1, totals.size()).toArray(Column[]::new))
                .withColumn("total_cost", total)
                .withColumn("cpu_efficiency", ratio(col("cpu_usage_core_hours"), col("cpu_billable_core_hours")))
                .withColumn("ram_efficiency", ratio(col("ram_usage_gib_hours"), col("ram_billable_gib_hours")))
                .withColumn("gpu_efficiency", ratio(col("gpu_usage_hours"),
                        greatest(col("gpu_hours"), col("gpu_usage_hours"))));
    }

    /**
     * One row per configured label with its value ({@code label_key}, {@code label_value}): the pod's, else
     * the namespace's, else {@code __unlabelled__}; {@code __idle__} and {@code __unmounted__} are their own
     * value for every label.
     */
    private Dataset<Row> withLabel(Dataset<Row> rows, Column podLabels) {
        List<String> keys = config.aggregateLabels();
        // With no label configured, one placeholder row per input is made and dropped, so the result has
        // its columns and no rows.
        List<String> exploded = keys.isEmpty() ? List.of("") : keys;
        Column special = col("namespace").isin(CostModelConfig.IDLE, CostModelConfig.UNMOUNTED);
        List<Column> entries = new ArrayList<>();
        for (String key : exploded) {
            String column = CostModelConfig.labelColumn(key);
            Column value = when(special, col("namespace")).otherwise(coalesce(
                    nullif(podLabels.getItem(column), lit("")),
                    nullif(col("namespace_labels").getItem(column), lit("")),
                    lit(CostModelConfig.UNLABELLED)));
            entries.add(struct(lit(key).as("label_key"), value.as("label_value")));
        }
        Dataset<Row> result = rows.withColumn("label", explode(array(entries.toArray(Column[]::new))))
                .withColumn("label_key", col("label.label_key"))
                .withColumn("label_value", col("label.label_value"))
                .drop("label");
        return keys.isEmpty() ? result.where(lit(false)) : result;
    }

    private static Column ratio(Column numerator, Column denominator) {
        return when(denominator.gt(0), numerator.divide(denominator));
    }
}
