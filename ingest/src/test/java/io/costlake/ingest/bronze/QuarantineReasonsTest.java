package io.costlake.ingest.bronze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.files.MetricsFiles;
import io.costlake.ingest.testing.TestSpark;

/**
 * Every reason a line or sample can be quarantined for, one input line each, in one ingest: the line lands in
 * the quarantine with its file, line number, reason and text, and read = loaded + quarantined + ignored +
 * other day. The reasons of the long-format readers (CSV, Parquet) are specified with those readers.
 */
class QuarantineReasonsTest {
    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    private static final long T = 1_709_251_200L; // 2024-03-01T00:00:00Z
    private static final String CONTAINER = "{namespace=\"shop\",pod=\"web\",container=\"app\"}";

    /** A line and the reason it is quarantined for, whether it does not parse or its sample is impossible. */
    private record Rejected(String line, String reason) {}

    private static Rejected rejected(String line, String reason) {
        return new Rejected(line, reason);
    }

    private static final List<Rejected> REJECTED = List.of(
            // The OpenMetrics line parser.
            rejected("9up 1 " + T, "invalid metric name at column 1"),
            rejected("up{a=\"b\"}1 " + T, "expected a space before the value at column 10"),
            rejected("up 1", "sample has no timestamp"),
            rejected("up 1 " + T + " extra", "unexpected text after the timestamp at column 17"),
            rejected("up{a=\"b\",", "unterminated label set"),
            rejected("up{1a=\"b\"} 1 " + T, "invalid label name at column 4"),
            rejected("up{a=b} 1 " + T, "expected =\" after label a at column 5"),
            rejected("up{a=\"\\x\"} 1 " + T, "invalid escape \\x in label a"),
            rejected("up{a=\"b} 1 " + T, "unterminated value of label a"),
            rejected("up{a=\"b\",a=\"c\"} 1 " + T, "duplicate label a"),
            rejected("up{a=\"b\" c=\"d\"} 1 " + T, "expected , or } after label a at column 9"),
            rejected("up one " + T, "value is not a number: 'one'"),
            rejected("up 1 noon", "timestamp is not a number: 'noon'"),
            rejected("up 1 NaN", "timestamp is not finite: 'NaN'"),
            // Samples of the contract whose value or labels cannot be true (BronzeIngest).
            rejected("container_memory_working_set_bytes" + CONTAINER + " NaN " + T, "value is NaN"),
            rejected("container_memory_working_set_bytes" + CONTAINER + " +Inf " + T, "value is infinite"),
            rejected("container_memory_working_set_bytes" + CONTAINER + " -5 " + T, "negative value"),
            rejected("DCGM_FI_DEV_GPU_UTIL{gpu=\"0\",UUID=\"GPU-1\",Hostname=\"n1\"} 140 " + T,
                    "impossible value: GPU utilisation above 100 %"),
            rejected("DCGM_FI_PROF_GR_ENGINE_ACTIVE{gpu=\"0\",UUID=\"GPU-1\",Hostname=\"n1\"} 1.5 " + T,
                    "impossible value: GPU engine activity above 1"),
            rejected("kube_pod_container_resource_requests" + CONTAINER + " 1 " + T, "missing label: resource"),
            rejected("kube_node_status_capacity{node=\"n1\",resource=\"cpu\",unit=\"millicore\"} 8000 " + T,
                    "unknown unit for cpu: millicore"),
            rejected("kube_pod_container_resource_limits{namespace=\"shop\",pod=\"web\",container=\"app\","
                    + "resource=\"memory\",unit=\"kilobyte\"} 1024 " + T, "unknown unit for memory: kilobyte"),
            rejected("kube_pod_container_resource_requests{namespace=\"shop\",pod=\"web\",container=\"app\","
                    + "resource=\"nvidia_com_gpu\",unit=\"core\"} 1 " + T, "unknown unit for GPU: core"),
            rejected("container_cpu_usage_seconds_total{pod=\"web\",container=\"app\"} 5 " + T,
                    "missing label: namespace"));

    /** Lines that are read but not quarantined: two loaded, three ignored, one of another day. */
    private static final List<String> ACCEPTED = List.of(
            "container_memory_working_set_bytes" + CONTAINER + " 1e9 " + T,
            "kube_node_status_capacity{node=\"n1\",resource=\"cpu\",unit=\"core\"} 8 " + T,
            // Not a family of the contract: ignored, even when its value is impossible.
            "go_goroutines 12 " + T,
            "go_memstats_heap_bytes NaN " + T,
            // cAdvisor's pod-level aggregate (container="POD"): ignored.
            "container_cpu_usage_seconds_total{namespace=\"shop\",pod=\"web\",container=\"POD\"} 5 " + T,
            "container_memory_working_set_bytes" + CONTAINER + " 1e9 " + (T + 86_400));

    @TempDir
    Path dir;

    @Test
    void quarantinesEveryImpossibleSampleWithFileLineReasonAndText() throws IOException {
        // Line 1 is a comment and line 2 blank (neither is read); the rejected lines start at line 3.
        List<String> lines = new ArrayList<>(List.of("# TYPE up gauge", ""));
        REJECTED.forEach(rejected -> lines.add(rejected.line()));
        lines.addAll(ACCEPTED);
        Path file = Files.write(dir.resolve("2024-03-01.om"), lines);
        Lake lake = new Lake(TestSpark.session(), dir.resolve("lake").toString());

        MetricsFiles files = new MetricsFiles(TestSpark.session());
        IngestSummary summary = new BronzeIngest(lake).ingest(files, files.files(file.toString(), DAY), DAY,
                "default");

        // read 30 = loaded 2 + quarantined 24 + ignored 3 + other day 1.
        assertThat(summary.total()).isEqualTo(new IngestSummary.SampleCounts(30, 2, REJECTED.size(), 3, 1));
        Map<Long, Row> quarantined = new HashMap<>();
        for (Row row : lake.read(QuarantineTable.INSTANCE, "default", DAY).orElseThrow().collectAsList()) {
            quarantined.put(row.getAs("line"), row);
        }
        assertThat(quarantined).hasSize(REJECTED.size());
        for (int i = 0; i < REJECTED.size(); i++) {
            Rejected rejected = REJECTED.get(i);
            Row row = quarantined.get(i + 3L);
            assertThat(row).as("quarantine row of line %d: %s", i + 3, rejected.line()).isNotNull();
            assertThat(row.<String>getAs("source")).endsWith("/2024-03-01.om");
            assertThat(row.<String>getAs("reason")).as("reason for %s", rejected.line()).isEqualTo(rejected.reason());
            // Whether the line did not parse or its sample is impossible, the quarantine shows the line as written.
            assertThat(row.<String>getAs("raw")).isEqualTo(rejected.line());
        }
        assertThat(summary.quarantineReasons()).containsEntry("impossible value", 2L)
                .containsEntry("expected , or } after label a", 1L).containsEntry("missing label", 2L)
                .containsEntry("unknown unit for cpu", 1L).containsEntry("value is NaN", 1L)
                .containsEntry("invalid escape \\x in label a", 1L);
        assertThat(summary.quarantineReasons().values().stream().mapToLong(Long::longValue).sum())
                .isEqualTo(REJECTED.size());
    }
}
