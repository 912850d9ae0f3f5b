package io.costlake.costmodel.allocation;

import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.costmodel.CostAttribution;
import io.costlake.costmodel.CostModelConfig;
import io.costlake.costmodel.GoldTable;
import io.costlake.costmodel.testing.FixtureLake;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.pricing.PriceBook;
import io.costlake.ingest.testing.OpenMetricsFixture;

/**
 * A container's CPU and memory requests are shuffled as blocks of intervals, merged into one row where both hold
 * the same intervals: requests that change, and a request series that loses samples the other keeps, must still
 * give each interval its own requests. Hourly samples on one 8-core, 32 GiB node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RequestIntervalsTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double EXACT = 1e-9;
    private static final PriceBook PRICES = new PriceBook("USD", new PriceBook.DefaultRates(0.03, 0.005, 2.0, 0.04),
            Map.of("cpu8", 0.80), Map.of(), Map.of());

    @TempDir
    static Path dir;

    private Map<String, Row> pods;

    @BeforeAll
    void attributeADayOfChangingRequests() {
        OpenMetricsFixture fixture = OpenMetricsFixture.day(DAY, 3600, "c1")
                .node("n1", "cpu8", 8, 32, 0)
                // Both requests all day, in the same scrapes: their blocks merge.
                .container("steady", "s-0", "n1", 1, 0.5, 2, 1);
        // 2 cores requested all day; 4 GiB of memory in hours 0-11, 2 GiB in 12-17, no memory request sample in
        // 18-23 (its series lost there); 1 core and 1 GiB used all day.
        long start = DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        String pod = "namespace=\"vary\",pod=\"v-0\",container=\"app\",node=\"n1\"";
        for (int hour = 0; hour < 24; hour++) {
            long ts = start + hour * 3600L;
            fixture.rawLine(line("kube_pod_info", "namespace=\"vary\",pod=\"v-0\",node=\"n1\"", 1, ts))
                    .rawLine(line("kube_pod_container_resource_requests", pod + ",resource=\"cpu\",unit=\"core\"", 2,
                            ts))
                    .rawLine(line("container_cpu_usage_seconds_total", pod, hour * 3600.0, ts))
                    .rawLine(line("container_memory_working_set_bytes", pod, GIB, ts));
            if (hour < 18) {
                fixture.rawLine(line("kube_pod_container_resource_requests", pod
                        + ",resource=\"memory\",unit=\"byte\"", (hour < 12 ? 4 : 2) * GIB, ts));
            }
        }
        Path file = fixture.writeTo(dir.resolve("day.om"));
        Lake lake = FixtureLake.ingest(file, DAY, dir.resolve("lake"));
        new CostAttribution(lake, PRICES, CostModelConfig.defaults().withStepSeconds(3600)).attribute(List.of("c1"),
                DAY);
        pods = new HashMap<>();
        for (Row row : lake.read(GoldTable.CONTAINER_HOUR, "c1", DAY).orElseThrow().groupBy("pod")
                .agg(sum("cpu_request_core_hours").as("cpu_request"), sum("ram_request_gib_hours").as("ram_request"),
                        sum("ram_billable_gib_hours").as("ram_billable"),
                        sum("cpu_billable_core_hours").as("cpu_billable"))
                .collectAsList()) {
            pods.put(row.getAs("pod"), row);
        }
    }

    @Test
    void keepsEachIntervalsRequestsWhenTheyChangeOrOneSeriesLosesSamples() {
        Row vary = pods.get("v-0");
        // CPU: 2 cores × 24 h = 48 core-hours requested and billed (usage 1 < 2).
        assertThat(vary.<Double>getAs("cpu_request")).isCloseTo(48, within(EXACT));
        assertThat(vary.<Double>getAs("cpu_billable")).isCloseTo(48, within(EXACT));
        // Memory requested: 4 GiB × 12 h + 2 GiB × 6 h = 60 GiB-hours; none in the last 6 hours.
        assertThat(vary.<Double>getAs("ram_request")).isCloseTo(60, within(EXACT));
        // Billed max(request, usage): 4 × 12 + 2 × 6 + max(0, 1 GiB used) × 6 = 66 GiB-hours.
        assertThat(vary.<Double>getAs("ram_billable")).isCloseTo(66, within(EXACT));
    }

    @Test
    void keepsBothRequestsOfMergedBlocks() {
        Row steady = pods.get("s-0");
        // 1 core and 2 GiB requested all day: 24 core-hours and 48 GiB-hours, above the usage (0.5, 1).
        assertThat(steady.<Double>getAs("cpu_request")).isCloseTo(24, within(EXACT));
        assertThat(steady.<Double>getAs("ram_request")).isCloseTo(48, within(EXACT));
        assertThat(steady.<Double>getAs("cpu_billable")).isCloseTo(24, within(EXACT));
        assertThat(steady.<Double>getAs("ram_billable")).isCloseTo(48, within(EXACT));
    }

    private static String line(String metric, String labels, double value, long ts) {
        return String.format(Locale.ROOT, "%s{cluster=\"c1\",%s} %.6f %d", metric, labels, value, ts);
    }
}
