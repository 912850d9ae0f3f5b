package io.costlake.ingest.longformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.openmetrics.MetricsInputException;
import io.costlake.ingest.openmetrics.ParsedSamples;
import io.costlake.ingest.testing.TestSpark;
import scala.jdk.javaapi.CollectionConverters;

class ParquetSampleSourceTest {
    private static final Timestamp MARCH_1_2026 = Timestamp.from(Instant.parse("2026-03-01T00:00:00Z"));
    private static final long MARCH_1_2026_SECONDS = 1_772_323_200L;

    @TempDir
    Path dir;

    private final SparkSession spark = TestSpark.session();
    private final ParquetSampleSource source = new ParquetSampleSource(spark);

    @Test
    void readsLabelMapsAndTimestampsAsWellAsLabelTextAndEpochNumbers() {
        StructType typed = new StructType().add("metric", DataTypes.StringType)
                .add("labels", DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))
                .add("timestamp", DataTypes.TimestampType).add("value", DataTypes.DoubleType);
        String mapFile = write("typed", typed, RowFactory.create("kube_pod_info",
                CollectionConverters.asScala(Map.of("namespace", "shop", "pod", "web")), MARCH_1_2026, 1.0));
        // Column names match ignoring case; a label-set string; epoch milliseconds (above 1e11) as a long.
        StructType textual = new StructType().add("Metric", DataTypes.StringType).add("labels", DataTypes.StringType)
                .add("timestamp", DataTypes.LongType).add("value", DataTypes.IntegerType);
        String textFile = write("textual", textual, RowFactory.create("kube_pod_info",
                "namespace=\"shop\",pod=\"web\"", MARCH_1_2026_SECONDS * 1000, 1));
        // Epoch seconds with a fraction as a double, and the labels as a JSON object.
        StructType seconds = new StructType().add("metric", DataTypes.StringType).add("labels", DataTypes.StringType)
                .add("timestamp", DataTypes.DoubleType).add("value", DataTypes.DoubleType);
        String secondsFile = write("seconds", seconds, RowFactory.create("kube_pod_info",
                "{\"namespace\":\"shop\",\"pod\":\"web\"}", MARCH_1_2026_SECONDS + 0.25, 1.0));

        List<Row> rows = source.read(List.of(mapFile, textFile, secondsFile)).orderBy(ParsedSamples.TS)
                .collectAsList();

        assertThat(rows).hasSize(3);
        for (Row row : rows) {
            assertThat(row.<String>getAs(ParsedSamples.ERROR)).isNull();
            assertThat(row.<Long>getAs(ParsedSamples.LINE)).isZero();
            assertThat(row.<String>getAs(ParsedSamples.METRIC)).isEqualTo("kube_pod_info");
            assertThat(CollectionConverters.asJava(row.<scala.collection.Map<String, String>>getAs(
                    ParsedSamples.LABELS))).isEqualTo(Map.of("namespace", "shop", "pod", "web"));
            assertThat(row.<Double>getAs(ParsedSamples.VALUE)).isEqualTo(1.0);
        }
        assertThat(rows.get(0).<Timestamp>getAs(ParsedSamples.TS)).isEqualTo(MARCH_1_2026);
        assertThat(rows.get(1).<Timestamp>getAs(ParsedSamples.TS)).isEqualTo(MARCH_1_2026);
        assertThat(rows.get(2).<Timestamp>getAs(ParsedSamples.TS))
                .isEqualTo(Timestamp.from(Instant.parse("2026-03-01T00:00:00.250Z")));
        assertThat(rows.get(2).<String>getAs(ParsedSamples.SOURCE)).contains("seconds.parquet/part-");
    }

    @Test
    void rowsThatAreNoSamplesKeepTheirRowIndexReasonAndTheRowAsJson() {
        StructType schema = new StructType().add("metric", DataTypes.StringType).add("labels", DataTypes.StringType)
                .add("timestamp", DataTypes.DoubleType).add("value", DataTypes.DoubleType);
        double t = MARCH_1_2026_SECONDS;
        List<Row> input = List.of(
                RowFactory.create("up", "", t, 1.0),
                RowFactory.create(null, "", t, 1.0),
                RowFactory.create("cpu usage", "", t, 1.0),
                RowFactory.create("up", "a=x", t, 1.0),
                RowFactory.create("up", "", null, 1.0),
                RowFactory.create("up", "", Double.NaN, 1.0),
                RowFactory.create("up", "", 1e20, 1.0),
                RowFactory.create("up", "", t, null));
        List<String> reasons = Arrays.asList(null, "metric is null", "invalid metric name: 'cpu usage'",
                "expected =\" after label a at column 2", "timestamp is null", "timestamp is not finite",
                "timestamp is out of range", "value is null");
        String file = write("bad", schema, input.toArray(Row[]::new));

        List<Row> rows = source.read(List.of(file)).orderBy(ParsedSamples.LINE).collectAsList();

        assertThat(rows).hasSize(input.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            assertThat(row.<Long>getAs(ParsedSamples.LINE)).isEqualTo(i);
            assertThat(row.<String>getAs(ParsedSamples.ERROR)).as("row %d", i).isEqualTo(reasons.get(i));
            assertThat(row.<String>getAs(ParsedSamples.METRIC) == null).isEqualTo(reasons.get(i) != null);
        }
        assertThat(rows.get(3).<String>getAs(ParsedSamples.RAW))
                .isEqualTo("{\"metric\":\"up\",\"labels\":\"a=x\",\"timestamp\":1.7723232E9,\"value\":1.0}");
        assertThat(rows.get(0).<String>getAs(ParsedSamples.RAW)).isNull();
    }

    @Test
    void aWrongSchemaFailsNamingTheFileAndTheColumn() {
        StructType noValue = new StructType().add("metric", DataTypes.StringType).add("labels", DataTypes.StringType)
                .add("timestamp", DataTypes.LongType);
        String missing = write("missing", noValue, RowFactory.create("up", "", MARCH_1_2026_SECONDS));
        StructType textValue = noValue.add("value", DataTypes.StringType);
        String wrongType = write("text-value", textValue, RowFactory.create("up", "", MARCH_1_2026_SECONDS, "1"));
        StructType intLabels = new StructType().add("metric", DataTypes.StringType)
                .add("labels", DataTypes.createMapType(DataTypes.StringType, DataTypes.IntegerType))
                .add("timestamp", DataTypes.LongType).add("value", DataTypes.DoubleType);
        String wrongMap = write("int-labels", intLabels, RowFactory.create("up",
                CollectionConverters.asScala(Map.of("a", 1)), MARCH_1_2026_SECONDS, 1.0));

        assertThatThrownBy(() -> source.read(List.of(missing))).isInstanceOf(MetricsInputException.class)
                .hasMessageEndingWith("missing.parquet: no column 'value' (expected metric, labels, timestamp, "
                        + "value; found metric, labels, timestamp)");
        assertThatThrownBy(() -> source.read(List.of(wrongType))).isInstanceOf(MetricsInputException.class)
                .hasMessageEndingWith("text-value.parquet: column 'value' must be a number (double), found string");
        assertThatThrownBy(() -> source.read(List.of(wrongMap))).isInstanceOf(MetricsInputException.class)
                .hasMessageEndingWith("int-labels.parquet: column 'labels' must be a map<string,string> or a "
                        + "label-set string, found map<string,int>");
    }

    /** One Parquet part file in a directory {@code name.parquet}, rows in the given order. */
    private String write(String name, StructType schema, Row... rows) {
        String path = dir.resolve(name + ".parquet").toString();
        spark.createDataFrame(List.of(rows), schema).coalesce(1).write().parquet(path);
        return path;
    }
}
