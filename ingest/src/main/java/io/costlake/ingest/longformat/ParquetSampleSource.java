package io.costlake.ingest.longformat;

import static io.costlake.ingest.longformat.LongFormatFields.LABELS;
import static io.costlake.ingest.longformat.LongFormatFields.METRIC;
import static io.costlake.ingest.longformat.LongFormatFields.TIMESTAMP;
import static io.costlake.ingest.longformat.LongFormatFields.VALUE;
import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_filter;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import io.costlake.ingest.openmetrics.MalformedLineException;
import io.costlake.ingest.openmetrics.MetricsInputException;
import io.costlake.ingest.openmetrics.OpenMetricsLineParser;
import io.costlake.ingest.openmetrics.ParsedSamples;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Reads long-format Parquet sample files as {@link ParsedSamples}, columnar: {@code metric} string,
 * {@code labels} map&lt;string,string&gt; (or the label-set text as a string), {@code timestamp} (a timestamp,
 * or epoch seconds / milliseconds as a number, by the OpenMetrics reader's 1e11 rule) and {@code value} (a
 * number). A path may be a Parquet file or a directory of part files (as Spark writes them).
 *
 * <p>The schema is checked on the driver before anything is read: a file that lacks a column or has it with
 * the wrong type cannot be used and fails the run with one {@link MetricsInputException} naming the file and
 * the column. Rows that cannot be samples (null fields, bad names, unreadable label text) are kept with their
 * reason and their index within the file (from 0, as Parquet tools count), the row rendered as JSON for
 * {@code raw}.
 */
public final class ParquetSampleSource {
    /** The last instant Spark's TIMESTAMP holds, 9999-12-31T23:59:59.999Z: beyond it a number names no time. */
    private static final double MAX_EPOCH_MILLIS = 253_402_300_799_999d;
    /** The exposition format's metric names, as {@link OpenMetricsLineParser#isMetricName} checks them. */
    private static final String METRIC_NAME = "^[a-zA-Z_:][a-zA-Z0-9_:]*$";
    private static final DataType LABEL_MAP = DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType);
    private static final StructType PARSED_LABELS = new StructType()
            .add("labels", LABEL_MAP, true)
            .add("error", DataTypes.StringType, true);

    private final SparkSession spark;

    public ParquetSampleSource(SparkSession spark) {
        this.spark = requireNonNull(spark, "spark is null");
    }

    public Dataset<Row> read(List<String> paths) {
        requireNonNull(paths, "paths is null");
        return paths.stream().map(this::readOne).reduce(Dataset::union)
                .orElseGet(() -> spark.createDataFrame(List.of(), ParsedSamples.SCHEMA));
    }

    private Dataset<Row> readOne(String path) {
        Dataset<Row> file;
        try {
            file = spark.read().parquet(path);
        } catch (RuntimeException e) {
            throw new MetricsInputException(path + ": not a readable Parquet file: " + e.getMessage(), e);
        }
        StructType schema = file.schema();
        StructField metricField = field(path, schema, METRIC, "a string", type -> type.equals(DataTypes.StringType));
        StructField labelsField = field(path, schema, LABELS, "a map<string,string> or a label-set string",
                type -> type.equals(DataTypes.StringType) || isStringMap(type));
        StructField timestampField = field(path, schema, TIMESTAMP,
                "a timestamp or a number of epoch seconds or milliseconds", type -> type.equals(DataTypes.TimestampType)
                        || type.equals(DataTypes.TimestampNTZType) || type instanceof NumericType);
        StructField valueField = field(path, schema, VALUE, "a number (double)", type -> type instanceof NumericType);
        Column metric = col(metricField.name());
        // The row as written, for the quarantine; rendered as JSON only for the rows that are rejected.
        Column original = struct(metric, col(labelsField.name()), col(timestampField.name()), col(valueField.name()));
        Column value = col(valueField.name()).cast(DataTypes.DoubleType);

        Dataset<Row> typed = file.select(col("_metadata.file_path").as(ParsedSamples.SOURCE),
                col("_metadata.row_index").as(ParsedSamples.LINE), metric.as(ParsedSamples.METRIC),
                labels(labelsField).as("parsed_labels"), timestampMillis(timestampField).as("millis"),
                value.as(ParsedSamples.VALUE), original.as("original"));
        Column millis = col("millis");
        Column error = when(col(ParsedSamples.METRIC).isNull(), lit("metric is null"))
                .when(not(col(ParsedSamples.METRIC).rlike(METRIC_NAME)),
                        concat(lit("invalid metric name: '"), col(ParsedSamples.METRIC), lit("'")))
                .when(col("parsed_labels.error").isNotNull(), col("parsed_labels.error"))
                .when(millis.isNull(), lit("timestamp is null"))
                .when(isnan(millis).or(millis.isin(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY)),
                        lit("timestamp is not finite"))
                .when(abs(millis).gt(MAX_EPOCH_MILLIS), lit("timestamp is out of range"))
                .when(col(ParsedSamples.VALUE).isNull(), lit("value is null"));
        Column valid = col(ParsedSamples.ERROR).isNull();
        return typed.withColumn(ParsedSamples.ERROR, error).select(
                col(ParsedSamples.SOURCE),
                col(ParsedSamples.LINE),
                when(valid, col(ParsedSamples.METRIC)).as(ParsedSamples.METRIC),
                when(valid, col("parsed_labels.labels")).as(ParsedSamples.LABELS),
                when(valid, timestamp_millis(floor(millis.plus(0.5)))).as(ParsedSamples.TS),
                when(valid, col(ParsedSamples.VALUE)).as(ParsedSamples.VALUE),
                col(ParsedSamples.ERROR),
                when(not(valid), to_json(col("original"))).as(ParsedSamples.RAW));
    }

    /** The column {@code name} (matched ignoring case, as Spark does), checked against its type. */
    private static StructField field(String path, StructType schema, String name, String expected,
            Predicate<DataType> accepted) {
        StructField found = Arrays.stream(schema.fields()).filter(field -> field.name().equalsIgnoreCase(name))
                .findFirst().orElseThrow(() -> new MetricsInputException(path + ": no column '" + name
                        + "' (expected " + String.join(", ", LongFormatFields.COLUMNS) + "; found "
                        + Arrays.stream(schema.fields()).map(StructField::name).collect(Collectors.joining(", "))
                        + ")"));
        if (!accepted.test(found.dataType())) {
            throw new MetricsInputException(path + ": column '" + found.name() + "' must be " + expected + ", found "
                    + found.dataType().simpleString());
        }
        return found;
    }

    private static boolean isStringMap(DataType type) {
        return type instanceof MapType map && map.keyType().equals(DataTypes.StringType)
                && map.valueType().equals(DataTypes.StringType);
    }

    /** Labels and the reason they cannot be read (null when they can); a null map is the empty label set. */
    private static Column labels(StructField field) {
        Column labels = col(field.name());
        if (field.dataType().equals(DataTypes.StringType)) {
            return LABEL_TEXT.apply(labels);
        }
        return struct(coalesce(map_filter(labels, (key, value) -> value.isNotNull()), emptyLabels()).as("labels"),
                lit(null).cast(DataTypes.StringType).as("error"));
    }

    private static Column emptyLabels() {
        return org.apache.spark.sql.functions.map().cast(LABEL_MAP);
    }

    /**
     * The label-set text parsed by the OpenMetrics reader's own rules. Marked non-deterministic only so the
     * optimizer evaluates it once per row rather than once for each of the two fields read from its result.
     */
    private static final UserDefinedFunction LABEL_TEXT = udf((String text) -> {
        if (text == null) {
            return RowFactory.create(CollectionConverters.asScala(Map.<String, String>of()), null);
        }
        try {
            return RowFactory.create(CollectionConverters.asScala(LongFormatFields.labels(text)), null);
        } catch (MalformedLineException e) {
            return RowFactory.create(null, e.getMessage());
        }
    }, PARSED_LABELS).asNondeterministic();

    /** Epoch milliseconds as a double: timestamps exactly, numbers by the 1e11 seconds-or-milliseconds rule. */
    private static Column timestampMillis(StructField field) {
        Column timestamp = col(field.name());
        DataType type = field.dataType();
        if (type.equals(DataTypes.TimestampType) || type.equals(DataTypes.TimestampNTZType)) {
            // A timestamp without zone is taken as UTC (the session time zone of costlake's Spark).
            return unix_micros(timestamp.cast(DataTypes.TimestampType)).divide(1000.0);
        }
        Column number = timestamp.cast(DataTypes.DoubleType);
        return when(number.gt(OpenMetricsLineParser.MILLIS_THRESHOLD), number).otherwise(number.multiply(1000.0));
    }
}
