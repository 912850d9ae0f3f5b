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

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.TaskCompletionListener;

import io.costlake.ingest.openmetrics.RowBuffer;
import io.costlake.ingest.openmetrics.SampleSink;
import io.costlake.ingest.openmetrics.SampleRows;
import io.costlake.ingest.spark.InternalRowFrames;

/**
 * Decides, for every sample of one ingest, where it goes: which bronze table with which column values, or
 * quarantine with the reason, or the ignored and other-day counts. The rules live here once, in Java, for
 * every source: OpenMetrics files call it per series and per sample as they read, other sources' parsed rows
 * go through {@link #resolve(Dataset)}. A series is resolved once (labels read, units checked) and each of its
 * samples only has its value and day checked, which is what makes reading a day of samples cheap.
 */
public final class SampleResolver implements SampleRows<ResolvedSeries> {
    private static final long serialVersionUID = 1L;

    static final String SPLIT = "split";
    static final String OUTCOME = "outcome";
    static final String TABLE = BronzeSeriesTable.TABLE;
    static final String REASON = "reason";
    static final String CLUSTER = "cluster";
    static final String SERIES = BronzeSeriesTable.SERIES;
    /** A series row's bronze column values as one JSON object: a sample row leaves it null. */
    static final String SERIES_COLUMNS = "series_columns";

    static final String LOADED = "loaded";
    /**
     * A file of a task's loaded samples of one table and cluster ({@link LoadedSampleFiles}): its path in
     * {@code source}, its sample count in {@code line}.
     */
    static final String LOADED_FILE = "loaded_file";
    static final String QUARANTINED = "quarantined";
    static final String IGNORED = "ignored";
    static final String OTHER_DAY = "other_day";
    /** A split's line count, for numbering quarantined lines within their file. */
    static final String LINE_COUNT = "line_count";
    /** A series and its bronze column values, once per split: samples carry only the series id. */
    static final String SERIES_ROW = "series";

    /** The bronze columns of every table, in staging order. */
    static final List<String> STAGED_COLUMNS = List.copyOf(BronzeTable.allColumns().keySet());
    /** The bronze columns of every table with their types: the shape of {@link #SERIES_COLUMNS}. */
    static final StructType SERIES_COLUMNS_SCHEMA = struct(BronzeTable.allColumns());

    static final StructType SCHEMA = stagingSchema();
    // Positions in a staging row, which is built as an array for every sample.
    private static final int SOURCE_AT = SCHEMA.fieldIndex(SOURCE);
    private static final int SPLIT_AT = SCHEMA.fieldIndex(SPLIT);
    private static final int LINE_AT = SCHEMA.fieldIndex(LINE);
    private static final int OUTCOME_AT = SCHEMA.fieldIndex(OUTCOME);
    private static final int TABLE_AT = SCHEMA.fieldIndex(TABLE);
    private static final int REASON_AT = SCHEMA.fieldIndex(REASON);
    private static final int CLUSTER_AT = SCHEMA.fieldIndex(CLUSTER);
    private static final int SERIES_AT = SCHEMA.fieldIndex(SERIES);
    private static final int TS_AT = SCHEMA.fieldIndex(TS);
    private static final int VALUE_AT = SCHEMA.fieldIndex(VALUE);
    private static final int RAW_AT = SCHEMA.fieldIndex(RAW);
    private static final int SERIES_COLUMNS_AT = SCHEMA.fieldIndex(SERIES_COLUMNS);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Set<String> RESOURCE_METRICS = Set.of("kube_pod_container_resource_requests",
            "kube_pod_container_resource_limits", "kube_node_status_capacity");
    private static final long MILLIS_PER_DAY = 86_400_000L;
    /**
     * The largest possible value of the metrics that have one. Kept on each series, so a sample is checked without
     * reading its metric's name: a profile put a fifth of the parse pass on that per-sample compare (cache misses
     * on the series' strings), and the pass got 5–10 % faster without it.
     */
    private static final Map<String, ValueLimit> VALUE_LIMITS = Map.of(
            "DCGM_FI_DEV_GPU_UTIL", new ValueLimit(100, "impossible value: GPU utilisation above 100 %"),
            "DCGM_FI_PROF_GR_ENGINE_ACTIVE", new ValueLimit(1, "impossible value: GPU engine activity above 1"));

    private final LocalDate day;
    private final String defaultCluster;
    private final LoadedSampleFiles loadedFiles;
    private final Map<String, BronzeTable> tableOfMetric;
    /** The few strings staged with every sample (outcomes, table names, clusters), each encoded once. */
    private final Map<String, UTF8String> encoded = new ConcurrentHashMap<>();
    private final Map<String, String> clusters = new ConcurrentHashMap<>();

    /** Resolves the samples of {@code day}; loaded ones are staged as {@code loadedFiles}. */
    SampleResolver(LocalDate day, String defaultCluster, LoadedSampleFiles loadedFiles) {
        this.day = requireNonNull(day, "day is null");
        this.loadedFiles = requireNonNull(loadedFiles, "loadedFiles is null");
        this.defaultCluster = requireNonNull(defaultCluster, "defaultCluster is null");
        if (defaultCluster.isBlank()) {
            throw new IllegalArgumentException("default cluster is blank");
        }
        Map<String, BronzeTable> tables = new HashMap<>();
        for (BronzeTable table : BronzeTable.values()) {
            table.metrics().forEach(metric -> tables.put(metric, table));
        }
        this.tableOfMetric = tables;
    }

    @Override
    public StructType schema() {
        return SCHEMA;
    }

    @Override
    public ResolvedSeries series(String text, String metric, Map<String, String> labels) {
        BronzeTable table = tableOfMetric.get(metric);
        String cluster = Labels.first(labels, "cluster");
        Object[] columns = new Object[STAGED_COLUMNS.size()];
        boolean ignored = false;
        if (table != null) {
            for (BronzeTable.NamedColumn column : table.columns()) {
                columns[STAGED_COLUMNS.indexOf(column.name())] = column.resolve().value(metric, labels);
            }
            // cAdvisor also exports pod-level (container="" or "POD") and cgroup-level series: sums of the
            // containers', so counting them too would bill twice.
            String container = Labels.first(labels, "container");
            ignored = metric.startsWith("container_") && (container == null || container.equals("POD"));
        }
        // One String per cluster, shared by its series: a sample's file is looked up by it, and the series' own
        // copy would be one more object to load from memory per sample.
        String seriesCluster = clusters.computeIfAbsent(cluster == null ? defaultCluster : cluster, name -> name);
        ValueLimit limit = VALUE_LIMITS.getOrDefault(metric, ValueLimit.NONE);
        return new ResolvedSeries(ResolvedSeries.id(seriesCluster, text), text, table, seriesCluster, columns,
                table == null || ignored ? null : problem(metric, labels), ignored,
                table == null ? null : encoded(table.tableName()), encoded(seriesCluster), limit.max(),
                limit.reason());
    }

    @Override
    public InternalRow seriesRow(ResolvedSeries series) {
        if (!series.inContract() || series.ignored()) {
            return null;
        }
        Object[] values = new Object[SCHEMA.size()];
        values[OUTCOME_AT] = encoded(SERIES_ROW);
        values[TABLE_AT] = series.encodedTable();
        values[CLUSTER_AT] = series.encodedCluster();
        values[SERIES_AT] = series.id();
        values[RAW_AT] = UTF8String.fromString(series.text());
        values[SERIES_COLUMNS_AT] = UTF8String.fromString(seriesColumns(series));
        return new GenericInternalRow(values);
    }

    /** Loaded samples go to the task's files, one per table and cluster; every other sample is a row. */
    @Override
    public SampleSink<ResolvedSeries> sink() {
        return new StagingSink();
    }

    private final class StagingSink implements SampleSink<ResolvedSeries> {
        private final Map<BronzeTable, Map<String, LoadedSampleWriter>> writers = new EnumMap<>(BronzeTable.class);

        StagingSink() {
            TaskContext task = TaskContext.get();
            if (task != null) {
                // A failed task's open files are closed; they are never read, as no committed row names them.
                task.addTaskCompletionListener((TaskCompletionListener) completed -> closeQuietly());
            }
        }

        @Override
        public InternalRow sample(ResolvedSeries series, String source, int split, long line, long timestampMillis,
                double value, Supplier<String> text) {
            String reason = reason(series, value);
            String outcome = outcome(series, reason, timestampMillis);
            if (!outcome.equals(LOADED)) {
                return notLoaded(series, outcome, reason, source, split, line, timestampMillis, value, text);
            }
            writers.computeIfAbsent(series.table(), table -> new HashMap<>())
                    .computeIfAbsent(series.cluster(), cluster -> loadedFiles.open(series.table(), cluster))
                    .add(series.id(), timestampMillis, value);
            return null;
        }

        @Override
        public List<InternalRow> finish() {
            List<InternalRow> rows = new ArrayList<>();
            for (Map<String, LoadedSampleWriter> ofTable : writers.values()) {
                for (LoadedSampleWriter writer : ofTable.values()) {
                    writer.close();
                    rows.add(loadedFile(writer));
                }
            }
            writers.clear();
            return rows;
        }

        private void closeQuietly() {
            for (Map<String, LoadedSampleWriter> ofTable : writers.values()) {
                for (LoadedSampleWriter writer : ofTable.values()) {
                    try {
                        writer.close();
                    } catch (RuntimeException e) {
                        // the task failed already; its files stay unread in the staging directory
                    }
                }
            }
        }
    }

    private String outcome(ResolvedSeries series, String reason, long timestampMillis) {
        if (reason != null) {
            return QUARANTINED;
        }
        if (!series.inContract() || series.ignored()) {
            return IGNORED;
        }
        return Math.floorDiv(timestampMillis, MILLIS_PER_DAY) != day.toEpochDay() ? OTHER_DAY : LOADED;
    }

    /** A quarantined sample with everything needed to find it in the input; an ignored or other-day one counted. */
    private InternalRow notLoaded(ResolvedSeries series, String outcome, String reason, String source, int split,
            long line, long timestampMillis, double value, Supplier<String> text) {
        Object[] values = new Object[SCHEMA.size()];
        values[OUTCOME_AT] = encoded(outcome);
        values[TABLE_AT] = series.encodedTable();
        values[CLUSTER_AT] = series.encodedCluster();
        if (reason != null) {
            values[SOURCE_AT] = UTF8String.fromString(source);
            values[SPLIT_AT] = split;
            values[LINE_AT] = line;
            values[REASON_AT] = UTF8String.fromString(reason);
            values[TS_AT] = timestampMillis;
            values[VALUE_AT] = value;
            String written = text.get();
            values[RAW_AT] = UTF8String.fromString(
                    written != null ? written : series.text() + " " + value + " " + timestampMillis);
        }
        return new GenericInternalRow(values);
    }

    private InternalRow loadedFile(LoadedSampleWriter writer) {
        Object[] values = new Object[SCHEMA.size()];
        values[OUTCOME_AT] = encoded(LOADED_FILE);
        values[TABLE_AT] = encoded(writer.table().tableName());
        values[CLUSTER_AT] = encoded(writer.cluster());
        values[SOURCE_AT] = UTF8String.fromString(writer.path());
        values[LINE_AT] = writer.count();
        return new GenericInternalRow(values);
    }

    @Override
    public InternalRow malformed(String source, int split, long line, String error, String text) {
        Object[] values = new Object[SCHEMA.size()];
        values[SOURCE_AT] = UTF8String.fromString(source);
        values[SPLIT_AT] = split;
        values[LINE_AT] = line;
        values[OUTCOME_AT] = encoded(QUARANTINED);
        values[REASON_AT] = UTF8String.fromString(error);
        values[CLUSTER_AT] = encoded(defaultCluster);
        values[RAW_AT] = UTF8String.fromString(text);
        return new GenericInternalRow(values);
    }

    @Override
    public InternalRow lineCount(String source, int split, long lines) {
        Object[] values = new Object[SCHEMA.size()];
        values[SOURCE_AT] = UTF8String.fromString(source);
        values[SPLIT_AT] = split;
        values[LINE_AT] = lines;
        values[OUTCOME_AT] = encoded(LINE_COUNT);
        return new GenericInternalRow(values);
    }

    private UTF8String encoded(String text) {
        return encoded.computeIfAbsent(text, UTF8String::fromString);
    }

    /**
     * Resolves rows of the {@link io.costlake.ingest.openmetrics.ParsedSamples} schema, from any source, whose
     * line numbers are already those of their input.
     */
    @Override
    public Dataset<Row> fromParsed(Dataset<Row> parsed) {
        requireNonNull(parsed, "parsed is null");
        SampleResolver resolver = this;
        return InternalRowFrames.of(parsed.sparkSession(), parsed.select(SOURCE, LINE, METRIC, LABELS, TS, VALUE,
                ERROR, RAW).toJavaRDD().mapPartitions(resolver::resolveParsed), SCHEMA);
    }

    private Iterator<InternalRow> resolveParsed(Iterator<Row> rows) {
        Map<Map.Entry<String, Map<String, String>>, ResolvedSeries> cache = new HashMap<>();
        SampleSink<ResolvedSeries> samples = sink();
        return new RowBuffer() {
            private boolean finished;

            @Override
            protected boolean fill() {
                if (rows.hasNext()) {
                    resolveNext(rows.next());
                    return true;
                }
                if (!finished) {
                    finished = true;
                    samples.finish().forEach(this::emit);
                    return true;
                }
                return false;
            }

            private void resolveNext(Row row) {
                String source = row.getString(0);
                long line = row.isNullAt(1) ? 0L : row.getLong(1);
                if (!row.isNullAt(6)) {
                    emit(malformed(source, 0, line, row.getString(6), row.getString(7)));
                    return;
                }
                Map<String, String> labels = row.isNullAt(3) ? Map.of() : row.getJavaMap(3);
                Map.Entry<String, Map<String, String>> key = Map.entry(row.getString(2), labels);
                ResolvedSeries series = cache.get(key);
                if (series == null) {
                    series = series(ResolvedSeries.text(key.getKey(), labels), key.getKey(), labels);
                    cache.put(key, series);
                    InternalRow seriesRow = seriesRow(series);
                    if (seriesRow != null) {
                        emit(seriesRow);
                    }
                }
                String raw = row.getString(7);
                InternalRow sample = samples.sample(series, source, 0, line, row.getTimestamp(4).getTime(),
                        row.getDouble(5), () -> raw);
                if (sample != null) {
                    emit(sample);
                }
            }
        };
    }

    /**
     * Why a sample is rejected, or null. Values are checked per metric, because what is impossible depends on
     * it (a GPU is never 140 % busy, a request never negative); then the series' own problem.
     */
    private static String reason(ResolvedSeries series, double value) {
        if (!series.inContract()) {
            return null;
        }
        if (Double.isNaN(value)) {
            return "value is NaN";
        }
        if (Double.isInfinite(value)) {
            return "value is infinite";
        }
        if (value < 0) {
            return "negative value";
        }
        if (value > series.maxValue()) {
            return series.aboveMaxValue();
        }
        return series.problem();
    }

    /** What makes every sample of a contract series unusable, or null. */
    private static String problem(String metric, Map<String, String> labels) {
        if (RESOURCE_METRICS.contains(metric)) {
            String resource = Labels.first(labels, "resource");
            String unit = Labels.first(labels, "unit");
            if (resource == null) {
                return "missing label: resource";
            }
            if (unit != null) {
                if (resource.equals("cpu") && !unit.equals("core")) {
                    return "unknown unit for cpu: " + unit;
                }
                if (resource.equals("memory") && !unit.equals("byte")) {
                    return "unknown unit for memory: " + unit;
                }
                if (resource.startsWith("nvidia_com_") && !unit.equals("integer")) {
                    return "unknown unit for GPU: " + unit;
                }
            }
        }
        if (metric.startsWith("container_") && Labels.first(labels, "exported_namespace", "namespace") == null) {
            return "missing label: namespace";
        }
        return null;
    }

    /**
     * A series' bronze column values as a JSON object. Staged in one column of the series' own row, so the
     * millions of sample rows carry one null there instead of a null in each of the ~20 bronze columns (each of
     * which Parquet would still encode per row).
     */
    private static String seriesColumns(ResolvedSeries series) {
        Map<String, Object> columns = new java.util.LinkedHashMap<>();
        for (int i = 0; i < STAGED_COLUMNS.size(); i++) {
            if (series.columns()[i] != null) {
                columns.put(STAGED_COLUMNS.get(i), series.columns()[i]);
            }
        }
        try {
            return JSON.writeValueAsString(columns);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot stage the columns of series " + series.text(), e);
        }
    }

    /** A metric's largest possible value and the reason a sample above it is quarantined. */
    private record ValueLimit(double max, String reason) implements Serializable {
        static final ValueLimit NONE = new ValueLimit(Double.POSITIVE_INFINITY, null);
    }

    private static StructType stagingSchema() {
        Map<String, DataType> types = new java.util.LinkedHashMap<>();
        types.put(SOURCE, DataTypes.StringType);
        types.put(SPLIT, DataTypes.IntegerType);
        types.put(LINE, DataTypes.LongType);
        types.put(OUTCOME, DataTypes.StringType);
        types.put(TABLE, DataTypes.StringType);
        types.put(REASON, DataTypes.StringType);
        types.put(CLUSTER, DataTypes.StringType);
        types.put(SERIES, DataTypes.LongType);
        types.put(TS, DataTypes.LongType);
        types.put(VALUE, DataTypes.DoubleType);
        types.put(RAW, DataTypes.StringType);
        types.put(SERIES_COLUMNS, DataTypes.StringType);
        return struct(types);
    }

    private static StructType struct(Map<String, DataType> types) {
        StructType schema = new StructType();
        for (Map.Entry<String, DataType> column : types.entrySet()) {
            schema = schema.add(column.getKey(), column.getValue(), true);
        }
        return schema;
    }
}
