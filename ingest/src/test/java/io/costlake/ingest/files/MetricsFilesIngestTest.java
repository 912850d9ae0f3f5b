package io.costlake.ingest.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.bronze.BronzeIngest;
import io.costlake.ingest.bronze.BronzeTable;
import io.costlake.ingest.bronze.IngestSummary;
import io.costlake.ingest.bronze.QuarantineTable;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.synthetic.SyntheticClusterGenerator;
import io.costlake.ingest.synthetic.SyntheticClusterSpec;
import io.costlake.ingest.testing.BronzeComparison;
import io.costlake.ingest.testing.BronzeComparison.TableComparison;
import io.costlake.ingest.testing.LongFormatFixture;
import io.costlake.ingest.testing.LongFormatFixture.Lines;
import io.costlake.ingest.testing.TestSpark;

/**
 * The same generated day written as OpenMetrics, as long-format CSV, as long-format Parquet, and split over the
 * three in one directory, must fill the bronze tables exactly alike; bad long-format records go to the
 * quarantine with their file and line (row) like bad OpenMetrics lines do.
 */
class MetricsFilesIngestTest {
    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    private static final String CLUSTER = "c1";

    @TempDir
    static Path work;

    private static Path openMetrics;
    private static BronzeComparison fromOpenMetrics;
    private static IngestSummary.SampleCounts openMetricsCounts;

    private final SparkSession spark = TestSpark.session();

    @BeforeAll
    static void ingestTheGeneratedDayAsOpenMetrics() {
        // Few nodes and pods at 15-minute samples, but a Job that ends mid-day, GPUs and volumes: every bronze table.
        SyntheticClusterGenerator.Result generated = new SyntheticClusterGenerator().generate(
                new SyntheticClusterSpec(CLUSTER, 3, 8, 2, 1, DAY, 900, 42L), work.resolve("generated"));
        openMetrics = generated.metricsDir().resolve(DAY + ".om");
        Lake lake = lake("openmetrics");
        IngestSummary summary = ingest(lake, openMetrics);
        openMetricsCounts = summary.counts(CLUSTER);
        fromOpenMetrics = BronzeComparison.of(lake, CLUSTER, DAY);
        assertThat(summary.clusters()).containsExactly(CLUSTER);
        assertThat(openMetricsCounts.loaded()).isPositive();
    }

    @Test
    void csvOfTheDayFillsTheBronzeTablesExactlyAsOpenMetricsDoes() {
        Path csv = LongFormatFixture.csv(openMetrics, work.resolve(DAY + ".csv"), Lines.ALL);
        Lake lake = lake("csv");

        IngestSummary summary = ingest(lake, csv);

        assertThat(summary.counts(CLUSTER)).isEqualTo(openMetricsCounts);
        assertSameBronzeAsOpenMetrics(lake);
    }

    @Test
    void parquetOfTheDayFillsTheBronzeTablesExactlyAsOpenMetricsDoes() {
        Path parquet = LongFormatFixture.parquet(spark, openMetrics, work.resolve(DAY + ".parquet"), Lines.ALL, false);
        Lake lake = lake("parquet");

        IngestSummary summary = ingest(lake, parquet);

        assertThat(summary.counts(CLUSTER)).isEqualTo(openMetricsCounts);
        assertSameBronzeAsOpenMetrics(lake);
    }

    @Test
    void aDirectoryMixingTheFormatsIsOneInputAndItsBadRecordsAreQuarantinedWithTheirLines() throws IOException {
        Path mixed = Files.createDirectories(work.resolve("mixed"));
        // Every third line of the day in each format: together exactly the day.
        List<String> lines = Files.readAllLines(openMetrics);
        Files.write(mixed.resolve("part-a.om"), IntStream.range(0, lines.size()).filter(i -> (i + 1) % 3 == 0)
                .mapToObj(lines::get).toList());
        LongFormatFixture.csv(openMetrics, mixed.resolve("part-b.csv.gz"), new Lines(3, 1));
        LongFormatFixture.parquet(spark, openMetrics, mixed.resolve("part-c.parquet"), new Lines(3, 2), true);
        // Bad records: two CSV lines (2 and 4; line 3 is a good sample of another family) and a Parquet row.
        Files.writeString(mixed.resolve("bad.csv"), """
                metric,labels,timestamp,value
                kube_pod_info,"namespace=""shop"",pod=web",1709251200,1
                go_goroutines,,1709251200,12
                kube_pod_info,,1709251200,one
                """);
        StructType schema = new StructType().add("metric", DataTypes.StringType).add("labels", DataTypes.StringType)
                .add("timestamp", DataTypes.LongType).add("value", DataTypes.DoubleType);
        spark.createDataFrame(List.of(RowFactory.create("kube_pod_info", "", 1709251200L, null)), schema).coalesce(1)
                .write().parquet(mixed.resolve("bad.parquet").toString());
        // Named for another day, and not metrics at all: neither is read (either would fail the run).
        Files.writeString(mixed.resolve("2024-02-29.csv"), "no header of samples\n");
        Files.writeString(mixed.resolve("README.md"), "# exported with our own tool\n");
        Lake lake = lake("mixed");

        IngestSummary summary = ingest(lake, mixed);

        assertThat(new MetricsFiles(spark).files(mixed.toString(), DAY)).extracting(MetricsFiles.MetricsFile::format)
                .containsExactly(MetricsFiles.Format.CSV, MetricsFiles.Format.PARQUET, MetricsFiles.Format.OPENMETRICS,
                        MetricsFiles.Format.CSV, MetricsFiles.Format.PARQUET);
        assertThat(summary.counts(CLUSTER)).isEqualTo(openMetricsCounts);
        // Rejected records have no labels, so no cluster label: they count for the default cluster.
        assertThat(summary.counts("default")).isEqualTo(new IngestSummary.SampleCounts(4, 0, 3, 1, 0));
        assertThat(summary.quarantineReasons()).isEqualTo(Map.of("expected =\" after label pod", 1L,
                "value is not a number", 1L, "value is null", 1L));
        assertSameBronzeAsOpenMetrics(lake);
        List<Row> quarantined = lake.read(QuarantineTable.INSTANCE, "default", DAY).orElseThrow()
                .orderBy("source", "line").collectAsList();
        assertThat(quarantined).extracting(row -> fileName(row.getAs("source")), row -> row.getAs("line"),
                row -> row.getAs("reason"), row -> row.getAs("raw")).containsExactly(
                tuple("bad.csv", 2L, "expected =\" after label pod at column 21",
                        "kube_pod_info,\"namespace=\"\"shop\"\",pod=web\",1709251200,1"),
                tuple("bad.csv", 4L, "value is not a number: 'one'", "kube_pod_info,,1709251200,one"),
                tuple("bad.parquet", 0L, "value is null",
                        "{\"metric\":\"kube_pod_info\",\"labels\":\"\",\"timestamp\":1709251200}"));
    }

    private static void assertSameBronzeAsOpenMetrics(Lake lake) {
        Map<BronzeTable, TableComparison> comparisons = fromOpenMetrics.against(lake);
        for (BronzeTable table : BronzeTable.values()) {
            TableComparison comparison = comparisons.get(table);
            if (table != BronzeTable.OPENCOST_PRICE) {
                assertThat(comparison.expectedRows()).as("rows of %s from OpenMetrics", table).isPositive();
            }
            assertThat(comparison.actualRows()).as("rows of %s", table).isEqualTo(comparison.expectedRows());
            assertThat(comparison.differingRows()).as("rows of %s that differ from OpenMetrics, e.g. %s", table,
                    comparison.example()).isZero();
        }
    }

    /** The file a quarantined record came from; a Parquet part file is named by its directory. */
    private static String fileName(String source) {
        String[] parts = source.split("/");
        String last = parts[parts.length - 1];
        return last.startsWith("part-") && last.endsWith(".parquet") ? parts[parts.length - 2] : last;
    }

    private static Lake lake(String name) {
        return new Lake(TestSpark.session(), work.resolve("lake-" + name).toString());
    }

    private static IngestSummary ingest(Lake lake, Path input) {
        MetricsFiles files = new MetricsFiles(TestSpark.session());
        return new BronzeIngest(lake).ingest(files.read(files.files(input.toString(), DAY)), DAY, "default");
    }
}
