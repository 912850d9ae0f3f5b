package io.costlake.ingest.bronze;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.openmetrics.MetricsInputException;
import io.costlake.ingest.files.MetricsFiles;
import io.costlake.ingest.testing.OpenMetricsFixture;
import io.costlake.ingest.testing.TestSpark;

class BronzeIngestTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    private static final long DAY_START = 1772323200L; // 2026-03-01T00:00:00Z

    @TempDir
    Path dir;

    private final SparkSession spark = TestSpark.session();

    /** 24 hourly samples of one node (labels + cpu and memory capacity) and one container (6 series). */
    private OpenMetricsFixture oneNodeOneContainer() {
        return OpenMetricsFixture.day(DAY, 3600, "prod")
                .node("n1", "m5.2xlarge", 8, 32, 0)
                .container("shop", "web-7f9c4", "n1", 2, 1, 4, 6);
    }

    @Test
    void malformedLineIsQuarantinedWithFileAndLineNumberWhileValidLinesLoad() {
        // 24 samples × (3 node lines + 5 container lines) = 192 valid lines, then the broken line 193.
        Path file = oneNodeOneContainer()
                .rawLine("container_memory_working_set_bytes{namespace=\"shop\",pod=\"web\" 1 " + DAY_START)
                .writeTo(dir.resolve("in/2026-03-01.om"));
        Lake lake = new Lake(spark, dir.resolve("lake").toString());

        IngestSummary summary = ingest(lake, file);

        assertThat(summary.total()).isEqualTo(new IngestSummary.SampleCounts(193, 192, 1, 0, 0));
        List<Row> quarantined = lake.readAll(QuarantineTable.INSTANCE).orElseThrow().collectAsList();
        assertThat(quarantined).hasSize(1);
        Row row = quarantined.get(0);
        assertThat(row.<String>getAs("source")).endsWith("in/2026-03-01.om");
        assertThat(row.<Long>getAs("line")).isEqualTo(193L);
        assertThat(row.<String>getAs("reason")).isEqualTo("expected , or } after label pod at column 62");
        assertThat(row.<String>getAs("raw")).startsWith("container_memory_working_set_bytes{namespace=\"shop\"");
        assertThat(count(lake, BronzeTable.CONTAINER_MEMORY)).isEqualTo(24);
        assertThat(count(lake, BronzeTable.NODE_CAPACITY)).isEqualTo(48);
    }

    @Test
    void impossibleValuesAreQuarantinedWithTheirReasonAndCountsAddUp() {
        Path file = oneNodeOneContainer()
                .rawLine("container_memory_working_set_bytes{namespace=\"shop\",pod=\"web\",container=\"app\"} -5 "
                        + DAY_START)
                .rawLine("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"GPU-1\",Hostname=\"n1\"} 140 " + DAY_START)
                .rawLine("kube_pod_container_resource_requests{namespace=\"shop\",pod=\"web\",resource=\"cpu\","
                        + "unit=\"millicore\"} 500 " + DAY_START)
                .rawLine("container_cpu_usage_seconds_total{namespace=\"shop\",pod=\"web\",container=\"app\"} NaN "
                        + DAY_START)
                .rawLine("go_goroutines 12 " + DAY_START)
                .rawLine("container_memory_working_set_bytes{namespace=\"shop\",pod=\"web\",container=\"app\"} 5 "
                        + (DAY_START + 86_400))
                .writeTo(dir.resolve("in.om"));
        Lake lake = new Lake(spark, dir.resolve("lake").toString());

        IngestSummary summary = ingest(lake, file);

        assertThat(summary.total()).isEqualTo(new IngestSummary.SampleCounts(198, 192, 4, 1, 1));
        assertThat(summary.quarantineReasons()).containsOnlyKeys("negative value",
                "impossible value", "unknown unit for cpu", "value is NaN");
        assertThat(lake.readAll(QuarantineTable.INSTANCE).orElseThrow().select("reason").as(
                org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactlyInAnyOrder(
                "negative value", "impossible value: GPU utilisation above 100 %", "unknown unit for cpu: millicore",
                "value is NaN");
    }

    @Test
    void reingestingADayReplacesItsRowsInsteadOfAppending() {
        Path file = oneNodeOneContainer().writeTo(dir.resolve("in.om"));
        Lake lake = new Lake(spark, dir.resolve("lake").toString());

        ingest(lake, file);
        List<Row> first = lake.readAll(BronzeTable.CONTAINER_CPU_USAGE).orElseThrow().orderBy("ts").collectAsList();
        ingest(lake, file);
        List<Row> second = lake.readAll(BronzeTable.CONTAINER_CPU_USAGE).orElseThrow().orderBy("ts").collectAsList();

        assertThat(second).hasSize(24).isEqualTo(first);
    }

    @Test
    void twoClustersIngestedSeparatelyBothStayInTheLake() {
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        Path prod = oneNodeOneContainer().writeTo(dir.resolve("prod.om"));
        Path staging = OpenMetricsFixture.day(DAY, 3600, "staging").node("s1", "m5.large", 2, 8, 0)
                .writeTo(dir.resolve("staging.om"));

        ingest(lake, prod);
        IngestSummary second = ingest(lake, staging);

        assertThat(second.clusters()).containsExactly("staging");
        Dataset<Row> capacity = lake.readAll(BronzeTable.NODE_CAPACITY).orElseThrow();
        assertThat(capacity.where(col("cluster").equalTo("prod")).count()).isEqualTo(48);
        assertThat(capacity.where(col("cluster").equalTo("staging")).count()).isEqualTo(48);
    }

    @Test
    void oneInputWithTwoClustersLoadsEverySampleUnderItsOwnClusterAndCountsItOnce() throws Exception {
        // Loaded samples are staged by the parsing task in one file per table and cluster: prod's dump has a node
        // and a container, staging's a node; both in one input file, so one task writes files of both clusters.
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        Path prod = oneNodeOneContainer().writeTo(dir.resolve("prod.om"));
        Path staging = OpenMetricsFixture.day(DAY, 3600, "staging").node("s1", "m5.large", 2, 8, 0)
                .writeTo(dir.resolve("staging.om"));
        Path both = dir.resolve("both.om");
        Files.writeString(both, Files.readString(prod) + Files.readString(staging));

        IngestSummary summary = ingest(lake, both);

        assertThat(summary.clusters()).containsExactlyInAnyOrder("prod", "staging");
        for (String cluster : List.of("prod", "staging")) {
            long stored = 0;
            for (BronzeTable table : BronzeTable.values()) {
                stored += lake.readStored(table).orElseThrow().where(col("cluster").equalTo(cluster)).count();
            }
            assertThat(stored).as(cluster).isEqualTo(summary.byCluster().get(cluster).loaded())
                    .isEqualTo(summary.byCluster().get(cluster).read());
        }
        Dataset<Row> capacity = lake.readAll(BronzeTable.NODE_CAPACITY).orElseThrow();
        assertThat(capacity.where(col("cluster").equalTo("prod")).count()).isEqualTo(48); // cpu + memory, 24 h
        assertThat(capacity.where(col("cluster").equalTo("staging")).count()).isEqualTo(48);
        assertThat(lake.readAll(BronzeTable.CONTAINER_CPU_USAGE).orElseThrow().groupBy("cluster").count()
                .collectAsList()).map(Row::toString).containsExactly("[prod,24]");
        // The staged files are gone with the ingest's staging directory.
        try (var staged = Files.walk(dir.resolve("lake/_staging"))) {
            assertThat(staged.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void theSameSeriesOfTwoClustersIngestedApartHasTwoIds() {
        // One dump without a cluster label, ingested once as --cluster blue and once as --cluster green: the texts
        // are equal, so only the cluster in the hash keeps readers that join a day's samples of both clusters to
        // their series by the id alone from mixing them.
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        Path file = OpenMetricsFixture.day(DAY, 3600, null).node("n1", "m5.large", 2, 8, 0).writeTo(dir.resolve("in.om"));
        MetricsFiles files = new MetricsFiles(spark);
        new BronzeIngest(lake).ingest(files, files.files(file.toString(), DAY), DAY, "blue");
        new BronzeIngest(lake).ingest(files, files.files(file.toString(), DAY), DAY, "green");

        Dataset<Row> series = lake.readStored(BronzeSeriesTable.INSTANCE).orElseThrow()
                .where(col("table").equalTo("node_capacity"));
        assertThat(series.count()).isEqualTo(4); // cpu and memory of n1, in each cluster
        assertThat(series.select("series").distinct().count()).isEqualTo(4);
        SeriesSamples both = BronzeTable.NODE_CAPACITY.readBySeries(lake).orElseThrow();
        assertThat(both.samples().join(both.series().select("series", "node"), "series").count()).isEqualTo(96);
    }

    @Test
    void exportedLabelsWinOverTheScrapeTargetsOwn() {
        Path file = OpenMetricsFixture.day(DAY, 3600, null)
                .rawLine("kube_pod_container_resource_requests{namespace=\"monitoring\",exported_namespace=\"shop\","
                        + "pod=\"kube-state-metrics-0\",exported_pod=\"web\",container=\"app\",node=\"n1\","
                        + "resource=\"cpu\",unit=\"core\"} 2 " + DAY_START)
                .writeTo(dir.resolve("in.om"));
        Lake lake = new Lake(spark, dir.resolve("lake").toString());

        ingest(lake, file);

        Row row = lake.readAll(BronzeTable.CONTAINER_RESOURCE).orElseThrow().first();
        assertThat(row.<String>getAs("cluster")).isEqualTo("default");
        assertThat(row.<String>getAs("namespace")).isEqualTo("shop");
        assertThat(row.<String>getAs("pod")).isEqualTo("web");
    }

    @Test
    void everySampleReachesItsSeriesWhateverOrderTheDumpWritesThemIn() {
        // A reader guesses each line's series from the lines before it (the series that followed the previous
        // one last time, else the previous one), and checks the guess byte for byte. Scrape 1 writes a, b, c;
        // scrape 2 repeats that order (every guess right); scrape 3 writes c, a, b (guesses wrong); then b is
        // written three times in a row (series by series). Values are the hour, so any sample given to another
        // series would show: a holds 0, 1, 2; b 0, 1, 2, 3, 4, 5; c 0, 1, 2.
        String a = "kube_node_status_capacity{node=\"n1\",resource=\"cpu\",unit=\"core\"}";
        String b = "kube_node_status_capacity{node=\"n1\",resource=\"memory\",unit=\"byte\"}";
        String c = "kube_node_status_capacity{node=\"n2\",resource=\"cpu\",unit=\"core\"}";
        OpenMetricsFixture dump = OpenMetricsFixture.day(DAY, 3600, "prod");
        String[][] order = {{a, b, c}, {a, b, c}, {c, a, b}};
        for (int hour = 0; hour < order.length; hour++) {
            for (String series : order[hour]) {
                dump.rawLine(series + " " + hour + " " + (DAY_START + hour * 3600L));
            }
        }
        for (int hour = 3; hour < 6; hour++) {
            dump.rawLine(b + " " + hour + " " + (DAY_START + hour * 3600L));
        }
        Lake lake = new Lake(spark, dir.resolve("lake").toString());

        ingest(lake, dump.writeTo(dir.resolve("in.om")));

        Map<String, List<Double>> values = new java.util.TreeMap<>();
        for (Row row : lake.readAll(BronzeTable.NODE_CAPACITY).orElseThrow().orderBy("ts").collectAsList()) {
            values.computeIfAbsent(row.<String>getAs("node") + "/" + row.<String>getAs("resource"),
                    key -> new java.util.ArrayList<>()).add(row.<Double>getAs("value"));
        }
        assertThat(values).containsExactly(
                Map.entry("n1/cpu", List.of(0.0, 1.0, 2.0)),
                Map.entry("n1/memory", List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0)),
                Map.entry("n2/cpu", List.of(0.0, 1.0, 2.0)));
    }

    @Test
    void seriesWithNonAsciiQuotesAndBracesInLabelValuesReadTheSameAtEverySample() {
        // A known series is found again by its bytes: the same text at three samples is one series with the
        // values as written (UTF-8, an escaped quote, braces inside quotes), and a broken line after non-ASCII
        // text is reported at its column in characters: the stray "3" is character 72 (byte 77).
        String series = "kube_pod_labels{namespace=\"shop\",pod=\"web\",label_team=\"Zürich 日本\","
                + "label_note=\"say \\\"hi\\\" {not} a brace\"}";
        Path file = OpenMetricsFixture.day(DAY, 3600, "prod")
                .rawLine(series + " 1 " + DAY_START)
                .rawLine(series + " 1 " + (DAY_START + 3600))
                .rawLine(series + "  1   " + (DAY_START + 7200) + " ")
                .rawLine("kube_pod_labels{namespace=\"shop\",pod=\"web\",label_team=\"Zürich 日本\"} 1 2 3")
                .writeTo(dir.resolve("in.om"));
        Lake lake = new Lake(spark, dir.resolve("lake").toString());

        IngestSummary summary = ingest(lake, file);

        assertThat(summary.total()).isEqualTo(new IngestSummary.SampleCounts(4, 3, 1, 0, 0));
        List<Row> labels = lake.readAll(BronzeTable.OBJECT_LABELS).orElseThrow().orderBy("ts").collectAsList();
        assertThat(labels).hasSize(3).allSatisfy(row -> assertThat(row.<scala.collection.Map<String, String>>getAs(
                "labels")).isEqualTo(scala.collection.immutable.Map.from(scala.jdk.javaapi.CollectionConverters.asScala(
                        java.util.Map.of("label_team", "Zürich 日本", "label_note", "say \"hi\" {not} a brace")))));
        Row quarantined = lake.readAll(QuarantineTable.INSTANCE).orElseThrow().first();
        assertThat(quarantined.<String>getAs("reason")).isEqualTo("unexpected text after the timestamp at column 72");
        assertThat(quarantined.<String>getAs("raw")).contains("Zürich 日本");
    }

    @Test
    void samplesAreStoredBySeriesIdAndEachSeriesColumnsOnceADay() {
        // One container on one node: its cpu usage is 24 stored samples of one series, whose namespace, pod,
        // container and node are one row of the day's series table, and are read back on every sample.
        Lake lake = ingestedOneNodeOneContainer();

        Dataset<Row> stored = lake.readStored(BronzeTable.CONTAINER_CPU_USAGE).orElseThrow();
        assertThat(stored.columns()).containsExactlyInAnyOrder("cluster", "day", "series", "ts", "value");
        assertThat(stored.count()).isEqualTo(24);
        List<Row> series = lake.readStored(BronzeSeriesTable.INSTANCE).orElseThrow()
                .where(col("table").equalTo("container_cpu_usage")).collectAsList();
        assertThat(series).hasSize(1);
        assertThat(series.get(0).<String>getAs("pod")).isEqualTo("web-7f9c4");
        List<Row> typed = lake.readAll(BronzeTable.CONTAINER_CPU_USAGE).orElseThrow().collectAsList();
        assertThat(typed).hasSize(24).allSatisfy(row -> {
            assertThat(row.<String>getAs("namespace")).isEqualTo("shop");
            assertThat(row.<String>getAs("container")).isEqualTo("app");
            assertThat(row.<String>getAs("node")).isEqualTo("n1");
        });
    }

    @Test
    void latestReadGivesEachSeriesLastSampleWithItsColumns() {
        // kube_pod_info of the one pod, hourly from 00:00 to 23:00: one row, at 23:00, with node and owner.
        Lake lake = ingestedOneNodeOneContainer();

        List<Row> latest = BronzeTable.POD_INFO.readLatest(lake).orElseThrow().collectAsList();
        assertThat(latest).hasSize(1);
        Row row = latest.get(0);
        assertThat(row.<java.sql.Timestamp>getAs("ts").toInstant().getEpochSecond()).isEqualTo(DAY_START + 23 * 3600);
        assertThat(row.<String>getAs("pod")).isEqualTo("web-7f9c4");
        assertThat(row.<String>getAs("node")).isEqualTo("n1");
        assertThat(row.<String>getAs("created_by_kind")).isEqualTo("ReplicaSet");
        assertThat(row.<Double>getAs("value")).isEqualTo(1.0);
    }

    @Test
    void missingInputFailsWithOneClearMessage() {
        MetricsFiles files = new MetricsFiles(spark);

        assertThatThrownBy(() -> files.files(dir.resolve("nope.om").toString(), DAY))
                .isInstanceOf(MetricsInputException.class)
                .hasMessageContaining("metrics input not found").hasMessageContaining("nope.om");
    }

    @Test
    void directoryInputSkipsFilesDatedOnOtherDays() throws Exception {
        Files.createDirectories(dir.resolve("metrics"));
        Files.writeString(dir.resolve("metrics/2026-02-28.om"), "# EOF\n");
        Files.writeString(dir.resolve("metrics/2026-03-01.om"), "# EOF\n");
        Files.writeString(dir.resolve("metrics/extra.prom.gz"), "");

        List<String> files = new MetricsFiles(spark).files(dir.resolve("metrics").toString(), DAY).stream()
                .map(MetricsFiles.MetricsFile::path).toList();

        assertThat(files).hasSize(2).anyMatch(name -> name.endsWith("2026-03-01.om"))
                .anyMatch(name -> name.endsWith("extra.prom.gz"));
    }

    /** A lake holding the one-node, one-container day. */
    private Lake ingestedOneNodeOneContainer() {
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        ingest(lake, oneNodeOneContainer().writeTo(dir.resolve("in.om")));
        return lake;
    }

    private IngestSummary ingest(Lake lake, Path file) {
        MetricsFiles files = new MetricsFiles(spark);
        return new BronzeIngest(lake).ingest(files, files.files(file.toString(), DAY), DAY, "default");
    }

    private static long count(Lake lake, BronzeTable table) {
        return lake.readAll(table).orElseThrow().count();
    }
}
