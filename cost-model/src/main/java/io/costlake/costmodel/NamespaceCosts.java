package io.costlake.costmodel;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

/**
 * Namespace-day costs: allocated container costs, storage of bound volumes, {@code __idle__} (or idle shared
 * per node when {@code shareIdle}), {@code __unmounted__} volumes, and the redistribution of shared
 * namespaces. {@code total_cost = cpu + ram + gpu + storage + idle + shared}; a shared namespace gives its
 * whole cost away as a negative {@code shared_cost}, so Σ total_cost is unchanged by sharing.
 */
final class NamespaceCosts {
    /** Additive measures of a namespace-day, in output order. */
    private static final List<String> MEASURES = List.of("cpu_cost", "ram_cost", "gpu_cost", "storage_cost",
            "idle_cost", "cpu_request_core_hours", "cpu_usage_core_hours", "cpu_billable_core_hours",
            "cpu_core_hours", "ram_request_gib_hours", "ram_usage_gib_hours", "ram_billable_gib_hours",
            "ram_gib_hours", "gpu_hours", "storage_gib_hours");

    private final CostModelConfig config;

    NamespaceCosts(CostModelConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    Dataset<Row> namespaceDays(Dataset<Row> containerHour, Dataset<Row> nodeDay, Dataset<Row> volumes,
            Dataset<Row> pools) {
        Map<String, Column> allocated = new LinkedHashMap<>();
        for (String measure : List.of("cpu_cost", "ram_cost", "gpu_cost", "cpu_request_core_hours",
                "cpu_usage_core_hours", "cpu_billable_core_hours", "cpu_core_hours", "ram_request_gib_hours",
                "ram_usage_gib_hours", "ram_billable_gib_hours", "ram_gib_hours", "gpu_hours")) {
            allocated.put(measure, col(measure));
        }
        List<Dataset<Row>> parts = new ArrayList<>();
        parts.add(measures(containerHour, col("namespace"), allocated));
        parts.add(measures(volumes, col("namespace"), Map.of(
                "storage_cost", col("storage_cost"),
                "storage_gib_hours", col("gib").multiply(col("hours")))));
        parts.addAll(idle(containerHour, nodeDay));

        Dataset<Row> union = parts.stream().reduce(Dataset::unionByName).orElseThrow();
        List<Column> sums = new ArrayList<>();
        for (String measure : MEASURES) {
            sums.add(sum(measure).as(measure));
        }
        Dataset<Row> pods = containerHour.groupBy("cluster", "day", "namespace")
                .agg(count_distinct(col("pod")).as("pods"));
        Dataset<Row> perNamespace = union.groupBy("cluster", "day", "namespace")
                .agg(sums.get(0), sums.subList(1, sums.size()).toArray(Column[]::new))
                .join(pods, JoinKeys.of("cluster", "day", "namespace"), "left")
                .withColumn("pods", coalesce(col("pods"), lit(0L)))
                .join(pools, JoinKeys.of("cluster", "namespace"), "left")
                .withColumn("cost_pool", when(col("namespace").isin(CostModelConfig.IDLE, CostModelConfig.UNMOUNTED),
                        col("namespace")).otherwise(coalesce(col("pool"), lit(CostModelConfig.UNASSIGNED_POOL))))
                .drop("pool")
                .withColumn("own_cost", col("cpu_cost").plus(col("ram_cost")).plus(col("gpu_cost"))
                        .plus(col("storage_cost")).plus(col("idle_cost")));
        return shared(perNamespace)
                .withColumn("total_cost", col("own_cost").plus(col("shared_cost")))
                .withColumn("cpu_efficiency", CostAttribution.ratio(col("cpu_usage_core_hours"),
                        col("cpu_billable_core_hours")))
                .withColumn("ram_efficiency", CostAttribution.ratio(col("ram_usage_gib_hours"),
                        col("ram_billable_gib_hours")))
                .drop("own_cost");
    }

    /**
     * Idle cost rows. Without shareIdle, all of a node's idle cost is {@code __idle__}. With it, each node's
     * idle is spread over the namespaces on that node in proportion to their allocated cost there; nodes
     * with nothing allocated keep their idle in {@code __idle__}.
     */
    private List<Dataset<Row>> idle(Dataset<Row> containerHour, Dataset<Row> nodeDay) {
        Column idleNamespace = lit(CostModelConfig.IDLE);
        if (!config.shareIdle()) {
            return List.of(measures(nodeDay, idleNamespace, Map.of(
                    "cpu_cost", col("cpu_idle_cost"), "ram_cost", col("ram_idle_cost"),
                    "gpu_cost", col("gpu_idle_cost"))));
        }
        WindowSpec perNode = Window.partitionBy("cluster", "day", "node");
        Dataset<Row> onNode = containerHour.groupBy("cluster", "day", "node", "namespace")
                .agg(sum("total_cost").as("allocated"))
                .withColumn("node_allocated", sum("allocated").over(perNode))
                .where(col("node_allocated").gt(0))
                .join(nodeDay.select("cluster", "day", "node", "idle_cost"), JoinKeys.of("cluster", "day", "node"));
        Dataset<Row> shares = measures(onNode, col("namespace"), Map.of("idle_cost",
                col("idle_cost").multiply(col("allocated")).divide(col("node_allocated"))));
        Dataset<Row> unshared = nodeDay.join(onNode.select("cluster", "day", "node").distinct(),
                JoinKeys.of("cluster", "day", "node"), "left_anti");
        return List.of(shares, measures(unshared, idleNamespace, Map.of(
                "cpu_cost", col("cpu_idle_cost"), "ram_cost", col("ram_idle_cost"),
                "gpu_cost", col("gpu_idle_cost"))));
    }

    /**
     * Spreads the cost of the configured shared namespaces over the other namespaces of the cluster (not
     * {@code __idle__} or {@code __unmounted__}), weighted by their own cost or evenly.
     */
    private Dataset<Row> shared(Dataset<Row> perNamespace) {
        if (config.sharedNamespaces().isEmpty()) {
            return perNamespace.withColumn("shared_cost", lit(0.0));
        }
        Column isShared = col("namespace").isin(config.sharedNamespaces().toArray());
        Column isReceiver = isShared.or(col("namespace").isin(CostModelConfig.IDLE, CostModelConfig.UNMOUNTED)).unary_$bang();
        Column weight = when(isReceiver, config.sharedByCost() ? col("own_cost") : lit(1.0)).otherwise(lit(0.0));
        WindowSpec perCluster = Window.partitionBy("cluster", "day");
        Column sharedPool = sum(when(isShared, col("own_cost")).otherwise(lit(0.0))).over(perCluster);
        Column totalWeight = sum(weight).over(perCluster);
        return perNamespace
                .withColumn("receivers_weight", totalWeight)
                .withColumn("shared_cost",
                        when(isShared.and(col("receivers_weight").gt(0)), col("own_cost").unary_$minus())
                                .when(isReceiver.and(col("receivers_weight").gt(0)),
                                        sharedPool.multiply(weight).divide(col("receivers_weight")))
                                .otherwise(lit(0.0)))
                .drop("receivers_weight");
    }

    private static Dataset<Row> measures(Dataset<Row> rows, Column namespace, Map<String, Column> values) {
        List<Column> columns = new ArrayList<>(List.of(col("cluster"), col("day"), namespace.as("namespace")));
        for (String measure : MEASURES) {
            columns.add(values.getOrDefault(measure, lit(0.0)).cast("double").as(measure));
        }
        return rows.select(columns.toArray(Column[]::new));
    }
}
