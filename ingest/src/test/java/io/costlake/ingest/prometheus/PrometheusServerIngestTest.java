package io.costlake.ingest.prometheus;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.map_entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.bronze.BronzeIngest;
import io.costlake.ingest.bronze.BronzeTable;
import io.costlake.ingest.bronze.IngestSummary;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.files.MetricsFiles;
import io.costlake.ingest.openmetrics.ParsedSamples;
import io.costlake.ingest.synthetic.SyntheticClusterGenerator;
import io.costlake.ingest.synthetic.SyntheticClusterSpec;
import io.costlake.ingest.testing.BronzeComparison;
import io.costlake.ingest.testing.BronzeComparison.TableComparison;
import io.costlake.ingest.testing.TestSpark;

/**
 * A generated day loaded into a real Prometheus with promtool and pulled back over the HTTP API must land in
 * bronze exactly as the file itself does.
 */
class PrometheusServerIngestTest {
    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final String CLUSTER = "c1";
    private static final String SIDE = "side";

    @TempDir
    static Path work;

    private static LocalPrometheus prometheus;
    private static Path metricsFile;

    @BeforeAll
    static void loadADayIntoPrometheus() throws Exception {
        assumeTrue(LocalPrometheus.installed(), "skipped: " + LocalPrometheus.PROMETHEUS + " or "
                + LocalPrometheus.PROMTOOL + " is missing (apt-get install prometheus; CI installs it)");
        // Few nodes and pods, but a Job that ends mid-day, GPUs held and unheld, volumes: every bronze table.
        SyntheticClusterGenerator.Result generated = new SyntheticClusterGenerator().generate(
                new SyntheticClusterSpec(CLUSTER, 3, 8, 2, 1, DAY, (int) STEP.toSeconds(), 42L),
                work.resolve("generated"));
        metricsFile = generated.metricsDir().resolve(DAY + ".om");
        // A lookback just under the sample interval: see LocalPrometheus.serve.
        prometheus = LocalPrometheus.serve(metricsFile, Files.createDirectories(work.resolve("prometheus")),
                STEP.minusSeconds(1));
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    private static PrometheusSource source(PrometheusConfig config) {
        return new PrometheusSource(config, TestSpark.session(), work.resolve("staging").toUri().toString(), false);
    }

    private static Dataset<Row> fromFile() {
        MetricsFiles files = new MetricsFiles(TestSpark.session());
        return files.read(files.files(metricsFile.toString(), DAY));
    }

    @Test
    void a_day_pulled_over_http_fills_the_bronze_tables_exactly_as_the_file_prometheus_was_loaded_from() {
        SparkSession spark = TestSpark.session();
        Lake fileLake = new Lake(spark, work.resolve("lake-file").toUri().toString());
        Lake httpLake = new Lake(spark, work.resolve("lake-http").toUri().toString());
        try (PrometheusSource source = source(PrometheusConfig.of(prometheus.baseUrl()).withStep(STEP))) {
            IngestSummary fromFile = new BronzeIngest(fileLake).ingest(fromFile(), DAY, "default");
            IngestSummary overHttp = new BronzeIngest(httpLake).ingest(source.read(DAY), DAY, "default");

            assertThat(overHttp.clusters()).containsExactly(CLUSTER);
            assertThat(overHttp.counts(CLUSTER).loaded()).isEqualTo(fromFile.counts(CLUSTER).loaded()).isPositive();
            assertThat(overHttp.counts(CLUSTER).quarantined()).isZero();
            Map<BronzeTable, TableComparison> comparisons = BronzeComparison.of(fileLake, CLUSTER, DAY).against(httpLake);
            for (BronzeTable table : BronzeTable.values()) {
                TableComparison comparison = comparisons.get(table);
                if (table != BronzeTable.OPENCOST_PRICE) {
                    assertThat(comparison.expectedRows()).as("rows of %s from the file", table).isPositive();
                }
                assertThat(comparison.actualRows()).as("rows of %s over HTTP", table)
                        .isEqualTo(comparison.expectedRows());
                assertThat(comparison.differingRows()).as("rows of %s that are not the same on both sides, e.g. %s",
                        table, comparison.example()).isZero();
            }
        }
    }

    @Test
    void prometheus_adds_no_labels_to_series_that_promtool_loaded() {
        try (PrometheusSource source = source(PrometheusConfig.of(prometheus.baseUrl()).withStep(STEP))) {
            Dataset<Row> overHttp = samples(source.read(DAY, Set.of("kube_pod_info", "DCGM_FI_DEV_GPU_UTIL")));
            Dataset<Row> fromFile = samples(fromFile())
                    .where(col(ParsedSamples.METRIC).isin("kube_pod_info", "DCGM_FI_DEV_GPU_UTIL"));

            assertThat(fromFile.count()).isPositive();
            assertThat(differences(fromFile, overHttp)).isEmpty();
        }
    }

    @Test
    void a_fine_step_is_pulled_in_several_windows_that_prometheus_accepts_without_gaps_or_duplicates() {
        Duration fine = Duration.ofSeconds(5); // 17,280 points a day: two windows
        assertThat(QueryWindow.coveringDay(DAY, fine)).hasSize(2);
        try (PrometheusSource source = source(PrometheusConfig.of(prometheus.baseUrl()).withStep(fine))) {
            Dataset<Row> rows = source.read(DAY, Set.of("kube_persistentvolume_info"));

            // Two volumes present all day; with the lookback just under a minute every 5 s instant has a value.
            assertThat(rows.count()).isEqualTo(2 * 17_280);
            assertThat(rows.select(ParsedSamples.LABELS + ".persistentvolume", ParsedSamples.TS).distinct().count())
                    .isEqualTo(2 * 17_280);
            assertThat(rows.select(ParsedSamples.SOURCE).distinct().count()).isEqualTo(2);
        }
    }

    /** The columns BronzeIngest looks at; labels as a sorted list of entries, since maps do not compare in Spark. */
    private static Dataset<Row> samples(Dataset<Row> parsed) {
        return parsed.select(col(ParsedSamples.METRIC), array_sort(map_entries(col(ParsedSamples.LABELS))).as("labels"),
                col(ParsedSamples.TS), col(ParsedSamples.VALUE), col(ParsedSamples.ERROR));
    }

    /** Rows whose multiplicity differs between the two sides (a multiset difference both ways). */
    private static List<Row> differences(Dataset<Row> expected, Dataset<Row> actual) {
        Column[] all = Arrays.stream(expected.columns()).map(functions::col).toArray(Column[]::new);
        return expected.withColumn(SIDE, lit(1)).unionByName(actual.withColumn(SIDE, lit(-1)))
                .groupBy(all).agg(sum(col(SIDE)).as("surplus"))
                .where(col("surplus").notEqual(0)).limit(5).collectAsList();
    }
}
