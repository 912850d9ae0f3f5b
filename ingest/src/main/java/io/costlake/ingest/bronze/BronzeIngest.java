package io.costlake.ingest.bronze;

import static io.costlake.ingest.bronze.SampleResolver.CLUSTER;
import static io.costlake.ingest.bronze.SampleResolver.SERIES;
import static io.costlake.ingest.bronze.SampleResolver.SERIES_COLUMNS;
import static io.costlake.ingest.bronze.SampleResolver.SERIES_ROW;
import static io.costlake.ingest.bronze.SampleResolver.LINE_COUNT;
import static io.costlake.ingest.bronze.SampleResolver.LOADED;
import static io.costlake.ingest.bronze.SampleResolver.LOADED_FILE;
import static io.costlake.ingest.bronze.SampleResolver.OTHER_DAY;
import static io.costlake.ingest.bronze.SampleResolver.OUTCOME;
import static io.costlake.ingest.bronze.SampleResolver.IGNORED;
import static io.costlake.ingest.bronze.SampleResolver.QUARANTINED;
import static io.costlake.ingest.bronze.SampleResolver.REASON;
import static io.costlake.ingest.bronze.SampleResolver.SPLIT;
import static io.costlake.ingest.bronze.SampleResolver.TABLE;
import static io.costlake.ingest.openmetrics.ParsedSamples.LINE;
import static io.costlake.ingest.openmetrics.ParsedSamples.RAW;
import static io.costlake.ingest.openmetrics.ParsedSamples.SOURCE;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.files.MetricsFiles;

/**
 * Writes one day's samples to the typed bronze tables, bad ones to the quarantine table, and counts what
 * happened to each. Each table's (cluster, day) partitions are replaced, so re-ingesting a day never
 * duplicates; clusters not in the input are untouched.
 *
 * <p>The input is read once: every sample is resolved as it is parsed ({@link SampleResolver}). Loaded samples
 * are written by the parsing tasks themselves as Parquet files per table ({@link LoadedSampleFiles}), which then
 * become the bronze tables' files of the day as they are; the rest (series, quarantined lines, counts) is staged
 * as Parquet partitioned by outcome and table. Memory stays bounded whatever the size of the input.
 */
public final class BronzeIngest {
    private final Lake lake;

    public BronzeIngest(Lake lake) {
        this.lake = requireNonNull(lake, "lake is null");
    }

    /**
     * Ingests the metrics files of a day; OpenMetrics text takes the fast path, each series parsed and resolved
     * once per split.
     */
    public IngestSummary ingest(MetricsFiles files, List<MetricsFiles.MetricsFile> inputs, LocalDate day,
            String defaultCluster) {
        requireNonNull(files, "files is null");
        requireNonNull(inputs, "inputs is null");
        return ingestResolved(day, defaultCluster, resolver -> files.read(inputs, resolver));
    }

    /** Ingests rows of the {@link io.costlake.ingest.openmetrics.ParsedSamples} schema, from any source. */
    public IngestSummary ingest(Dataset<Row> parsed, LocalDate day, String defaultCluster) {
        requireNonNull(parsed, "parsed is null");
        return ingestResolved(day, defaultCluster, resolver -> resolver.fromParsed(parsed));
    }

    private IngestSummary ingestResolved(LocalDate day, String defaultCluster,
            Function<SampleResolver, Dataset<Row>> read) {
        String staging = lake.newStagingPath("ingest-" + requireNonNull(day, "day is null"));
        SampleResolver resolver = new SampleResolver(day, defaultCluster, LoadedSampleFiles.under(staging + "/loaded",
                lake.spark().sparkContext().hadoopConfiguration()));
        try {
            read.apply(resolver).write().mode("overwrite").partitionBy(OUTCOME, TABLE).parquet(staging + "/samples");
            Dataset<Row> staged = lake.spark().read().schema(resolver.schema()).parquet(staging + "/samples");
            Dataset<Row> series = seriesColumns(staged, staging);

            Map<String, Map<String, Long>> outcomes = new HashMap<>();
            Map<String, Long> reasons = new HashMap<>();
            // A loaded file's row stands for the samples in it.
            Column samples = when(col(OUTCOME).equalTo(LOADED_FILE), col(LINE)).otherwise(lit(1L));
            for (Row row : staged.where(col(OUTCOME).isin(LOADED_FILE, QUARANTINED, IGNORED, OTHER_DAY))
                    .groupBy(col(OUTCOME), col(CLUSTER), col(REASON)).agg(sum(samples)).collectAsList()) {
                String outcome = row.getString(0).equals(LOADED_FILE) ? LOADED : row.getString(0);
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

            List<Lake.TableWrite> writes = new ArrayList<>();
            Column dayColumn = lit(java.sql.Date.valueOf(day)).as("day");
            Map<String, Map<String, List<Lake.DataFile>>> loadedByTable = loadedFiles(staged);
            for (BronzeTable table : BronzeTable.values()) {
                writes.add(new Lake.FileReplacement(table, loadedByTable.getOrDefault(table.tableName(), Map.of()),
                        LoadedSampleFiles.SCHEMA));
            }
            List<Column> seriesColumns = new ArrayList<>(List.of(col(CLUSTER), dayColumn, col(SERIES), col(TABLE)));
            SampleResolver.STAGED_COLUMNS.forEach(name -> seriesColumns.add(col(name)));
            writes.add(new Lake.Replacement(BronzeSeriesTable.INSTANCE,
                    series.select(seriesColumns.toArray(Column[]::new))));
            writes.add(new Lake.Replacement(QuarantineTable.INSTANCE, quarantine(staged, day)));
            lake.replaceAll(clusters, day, writes);

            Map<String, IngestSummary.SampleCounts> byCluster = new HashMap<>();
            outcomes.forEach((cluster, counts) -> {
                long loaded = counts.getOrDefault(LOADED, 0L);
                long quarantined = counts.getOrDefault(QUARANTINED, 0L);
                long ignored = counts.getOrDefault(IGNORED, 0L);
                long otherDay = counts.getOrDefault(OTHER_DAY, 0L);
                byCluster.put(cluster, new IngestSummary.SampleCounts(loaded + quarantined + ignored + otherDay,
                        loaded, quarantined, ignored, otherDay));
            });
            return new IngestSummary(day, byCluster, reasons);
        } finally {
            lake.deleteStaging(staging);
        }
    }

    /** The files of loaded samples by table and cluster: a few per task, so a few hundred for a large day. */
    private static Map<String, Map<String, List<Lake.DataFile>>> loadedFiles(Dataset<Row> staged) {
        Map<String, Map<String, List<Lake.DataFile>>> files = new HashMap<>();
        for (Row row : staged.where(col(OUTCOME).equalTo(LOADED_FILE)).select(TABLE, CLUSTER, SOURCE, LINE)
                .collectAsList()) {
            files.computeIfAbsent(row.getString(0), table -> new HashMap<>())
                    .computeIfAbsent(row.getString(1), cluster -> new ArrayList<>())
                    .add(new Lake.DataFile(row.getString(2), row.getLong(3)));
        }
        return files;
    }

    /**
     * Each series' table, cluster and bronze columns, once: every split staged the series it met, so the
     * copies are merged here. Two different series texts with the same 64-bit id would mix their samples, so
     * that is checked, not assumed.
     */
    private Dataset<Row> seriesColumns(Dataset<Row> staged, String staging) {
        staged.where(col(OUTCOME).equalTo(SERIES_ROW)).groupBy(SERIES)
                .agg(first(TABLE).as(TABLE), first(CLUSTER).as(CLUSTER), first(SERIES_COLUMNS).as(SERIES_COLUMNS),
                        collect_set(col(RAW)).as("texts"))
                .write().mode("overwrite").parquet(staging + "/series");
        List<Column> columns = new ArrayList<>(List.of(col(SERIES), col(TABLE), col(CLUSTER), col("texts")));
        SampleResolver.STAGED_COLUMNS.forEach(name -> columns.add(col("columns." + name).as(name)));
        Dataset<Row> series = lake.spark().read().parquet(staging + "/series")
                .withColumn("columns", from_json(col(SERIES_COLUMNS), SampleResolver.SERIES_COLUMNS_SCHEMA))
                .select(columns.toArray(Column[]::new));
        List<Row> collisions = series.where(size(col("texts")).gt(1)).select("texts").limit(1).collectAsList();
        if (!collisions.isEmpty()) {
            throw new IllegalStateException("cannot ingest: these series have the same 64-bit id (a hash of their "
                    + "text), which costlake does not handle yet: " + collisions.get(0).getList(0));
        }
        return series.drop("texts");
    }

    /**
     * The quarantined lines and samples with their line numbers in their file: a split numbers its lines from
     * 1, so the lines of the file's earlier splits (their counts were staged too) are added.
     */
    private static Dataset<Row> quarantine(Dataset<Row> staged, LocalDate day) {
        Dataset<Row> firstLines = staged.where(col(OUTCOME).equalTo(LINE_COUNT))
                .select(col(SOURCE), col(SPLIT), coalesce(sum(col(LINE)).over(Window.partitionBy(SOURCE).orderBy(SPLIT)
                        .rowsBetween(Window.unboundedPreceding(), -1)), lit(0L)).as("lines_before"));
        return staged.where(col(OUTCOME).equalTo(QUARANTINED))
                .join(broadcast(firstLines), new String[] {SOURCE, SPLIT}, "left")
                .select(col(CLUSTER), lit(java.sql.Date.valueOf(day)).as("day"), col(SOURCE),
                        coalesce(col("lines_before"), lit(0L)).plus(col(LINE)).as(LINE), col(REASON),
                        col(RAW));
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
