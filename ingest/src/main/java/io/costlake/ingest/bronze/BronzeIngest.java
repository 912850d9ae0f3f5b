package io.costlake.ingest.bronze;

import static io.costlake.ingest.openmetrics.ParsedSamples.ERROR;
import static io.costlake.ingest.openmetrics.ParsedSamples.LABELS;
import static io.costlake.ingest.openmetrics.ParsedSamples.LINE;
import static io.costlake.ingest.openmetrics.ParsedSamples.METRIC;
import static io.costlake.ingest.openmetrics.ParsedSamples.RAW;
import static io.costlake.ingest.openmetrics.ParsedSamples.SOURCE;
import static io.costlake.ingest.openmetrics.ParsedSamples.TS;
import static io.costlake.ingest.openmetrics.ParsedSamples.VALUE;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.costlake.ingest.lake.Lake;

/**
 * Validates parsed samples of one day and writes them to the typed bronze tables, bad ones to the
 * quarantine table. Each table's (cluster, day) partitions are replaced, so re-ingesting a day never
 * duplicates; clusters not in the input are untouched.
 */
public final class BronzeIngest {
    static final String OUTCOME = "outcome";
    static final String REASON = "reason";
    private static final String STAGED_PREFIX = "c_";
    private static final String LOADED = "loaded";
    private static final String QUARANTINED = "quarantined";
    private static final String IGNORED = "ignored";
    private static final String OTHER_DAY = "other_day";

    private final Lake lake;

    public BronzeIngest(Lake lake) {
        this.lake = requireNonNull(lake, "lake is null");
    }

    public IngestSummary ingest(Dataset<Row> parsed, LocalDate day, String defaultCluster) {
        requireNonNull(parsed, "parsed is null");
        requireNonNull(day, "day is null");
        requireNonNull(defaultCluster, "defaultCluster is null");

        Set<String> contractMetrics = new HashSet<>();
        for (BronzeTable table : BronzeTable.values()) {
            contractMetrics.addAll(table.metrics());
        }
        Column inContract = col(METRIC).isin(contractMetrics.toArray());
        Column reason = quarantineReason(inContract);
        Column cAdvisorAggregate = col(METRIC).startsWith("container_")
                .and(coalesce(nullif(col(LABELS).getItem("container"), lit("")), lit("POD")).equalTo("POD"));

        Dataset<Row> classified = parsed
                .withColumn("cluster", coalesce(nullif(col(LABELS).getItem("cluster"), lit("")), lit(defaultCluster)))
                .withColumn("day", to_date(col(TS)))
                .withColumn(REASON, reason)
                .withColumn(OUTCOME, when(col(REASON).isNotNull(), lit(QUARANTINED))
                        .when(not(inContract).or(cAdvisorAggregate), lit(IGNORED))
                        .when(col("day").notEqual(lit(java.sql.Date.valueOf(day))), lit(OTHER_DAY))
                        .otherwise(lit(LOADED)));
        // The text is parsed once, into a Parquet staging area partitioned by outcome and metric: each typed
        // table then reads only its own metrics' files and columns, and memory stays bounded whatever the size.
        // Label lookups happen here, once per sample: the staging holds each table's columns already resolved
        // (one CASE per column name over the metric), and the label map only where it is still needed.
        String staging = lake.newStagingPath("ingest-" + day);
        stagingColumns(classified).write().mode("overwrite").partitionBy(OUTCOME, METRIC).parquet(staging);
        Dataset<Row> staged = lake.spark().read().parquet(staging);
        try {
            Map<String, Map<String, Long>> outcomes = new HashMap<>();
            Map<String, Long> reasons = new HashMap<>();
            for (Row row : staged.groupBy(col(OUTCOME), col("cluster"), col(REASON)).agg(count(lit(1)))
                    .collectAsList()) {
                String outcome = row.getString(0);
                long n = row.getLong(3);
                outcomes.computeIfAbsent(row.getString(1), cluster -> new HashMap<>()).merge(outcome, n, Long::sum);
                if (QUARANTINED.equals(outcome)) {
                    reasons.merge(reasonKind(row.getString(2)), n, Long::sum);
                }
            }
            if (outcomes.isEmpty()) {
                // An empty input still replaces the day of the default cluster: re-running on nothing clears it.
                outcomes.put(defaultCluster, new HashMap<>());
            }
            Set<String> clusters = outcomes.keySet();

            Dataset<Row> loaded = staged.where(col(OUTCOME).equalTo(LOADED));
            List<Lake.Replacement> writes = new ArrayList<>();
            for (BronzeTable table : BronzeTable.values()) {
                List<Column> columns = new ArrayList<>(List.of(col("cluster"), col("day"), col(TS).as("ts")));
                for (BronzeTable.NamedColumn column : table.columns()) {
                    columns.add(col(STAGED_PREFIX + column.name()).as(column.name()));
                }
                columns.add(col(VALUE).as("value"));
                writes.add(new Lake.Replacement(table, loaded.where(col(METRIC).isin(table.metrics().toArray()))
                        .select(columns.toArray(Column[]::new))));
            }
            Dataset<Row> quarantine = staged.where(col(OUTCOME).equalTo(QUARANTINED))
                    .select(col("cluster"), lit(java.sql.Date.valueOf(day)).as("day"), col(SOURCE).as("source"),
                            col(LINE).as("line"), col(REASON).as("reason"),
                            coalesce(col(RAW), concat(col(METRIC), to_json(col(LABELS)), lit(" "),
                                    col(VALUE).cast("string"), lit(" "), col(TS).cast("string"))).as("raw"));
            writes.add(new Lake.Replacement(QuarantineTable.INSTANCE, quarantine));
            lake.replaceAll(clusters, day, writes);

            Map<String, IngestSummary.SampleCounts> byCluster = new HashMap<>();
            outcomes.forEach((cluster, counts) -> {
                long loadedCount = counts.getOrDefault(LOADED, 0L);
                long quarantined = counts.getOrDefault(QUARANTINED, 0L);
                long ignored = counts.getOrDefault(IGNORED, 0L);
                long otherDay = counts.getOrDefault(OTHER_DAY, 0L);
                byCluster.put(cluster, new IngestSummary.SampleCounts(loadedCount + quarantined + ignored + otherDay,
                        loadedCount, quarantined, ignored, otherDay));
            });
            return new IngestSummary(day, byCluster, reasons);
        } finally {
            lake.deleteStaging(staging);
        }
    }

    /**
     * The classified samples with every bronze column resolved: for each column name, a CASE over the tables
     * that have it. The label map is kept only for samples that are not loaded (the quarantine shows them)
     * and for the label families, whose table keeps the labels themselves.
     */
    private static Dataset<Row> stagingColumns(Dataset<Row> classified) {
        Map<String, Column> byName = new java.util.LinkedHashMap<>();
        Set<String> labelFamilies = BronzeTable.OBJECT_LABELS.metrics();
        for (BronzeTable table : BronzeTable.values()) {
            Column ofTable = col(METRIC).isin(table.metrics().toArray());
            for (BronzeTable.NamedColumn column : table.columns()) {
                byName.merge(column.name(), when(ofTable, column.expression()),
                        (earlier, next) -> earlier.when(ofTable, column.expression()));
            }
        }
        List<Column> columns = new ArrayList<>();
        for (String name : List.of("cluster", "day", SOURCE, LINE, METRIC, TS, VALUE, ERROR, RAW, REASON, OUTCOME)) {
            columns.add(col(name));
        }
        columns.add(when(col(OUTCOME).notEqual(LOADED).or(col(METRIC).isin(labelFamilies.toArray())), col(LABELS))
                .as(LABELS));
        byName.forEach((name, expression) -> columns.add(expression.as(STAGED_PREFIX + name)));
        return classified.select(columns.toArray(Column[]::new));
    }

    /**
     * Why a parsed sample is rejected, or null. Syntax errors come from the parser; values are checked here
     * because what is impossible depends on the metric (a GPU is never 140 % busy, a request never negative).
     */
    private static Column quarantineReason(Column inContract) {
        Column value = col(VALUE);
        Column metric = col(METRIC);
        Column resource = nullif(col(LABELS).getItem("resource"), lit(""));
        Column unit = nullif(col(LABELS).getItem("unit"), lit(""));
        Column resourceMetric = metric.isin("kube_pod_container_resource_requests",
                "kube_pod_container_resource_limits", "kube_node_status_capacity");
        return when(col(ERROR).isNotNull(), col(ERROR))
                .when(inContract.and(isnan(value)), lit("value is NaN"))
                .when(inContract.and(value.isin(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)),
                        lit("value is infinite"))
                .when(inContract.and(value.lt(0)), lit("negative value"))
                .when(metric.equalTo("DCGM_FI_DEV_GPU_UTIL").and(value.gt(100)),
                        lit("impossible value: GPU utilisation above 100 %"))
                .when(metric.equalTo("DCGM_FI_PROF_GR_ENGINE_ACTIVE").and(value.gt(1)),
                        lit("impossible value: GPU engine activity above 1"))
                .when(resourceMetric.and(resource.isNull()), lit("missing label: resource"))
                .when(resourceMetric.and(resource.equalTo("cpu")).and(unit.isNotNull()).and(unit.notEqual("core")),
                        concat(lit("unknown unit for cpu: "), unit))
                .when(resourceMetric.and(resource.equalTo("memory")).and(unit.isNotNull())
                        .and(unit.notEqual("byte")), concat(lit("unknown unit for memory: "), unit))
                .when(resourceMetric.and(resource.startsWith("nvidia_com_")).and(unit.isNotNull())
                        .and(unit.notEqual("integer")), concat(lit("unknown unit for " + "GPU: "), unit))
                .when(metric.startsWith("container_").and(inContract)
                                .and(coalesce(nullif(col(LABELS).getItem("container"), lit("")), lit("POD"))
                                        .notEqual("POD"))
                                .and(coalesce(nullif(col(LABELS).getItem("exported_namespace"), lit("")),
                                        nullif(col(LABELS).getItem("namespace"), lit(""))).isNull()),
                        lit("missing label: namespace"));
    }

    /** Groups parser messages that carry a column number into one kind for the summary. */
    private static String reasonKind(String reason) {
        if (reason == null) {
            return "unknown";
        }
        int at = reason.indexOf(" at column ");
        String kind = at >= 0 ? reason.substring(0, at) : reason;
        return Arrays.stream(kind.split(":")).findFirst().orElse(kind).trim();
    }
}
