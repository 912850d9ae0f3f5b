package io.costlake.jobs.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import io.costlake.ingest.testing.OpenMetricsFixture;

/**
 * The hand-checked day (hourly samples of cluster c1, 2026-03-01): node n1 of type cpu8 (8 cores, 32 GiB) at
 * 0.80 $/h. With default rates 0.03 $/core-h and 0.005 $/GiB-h the price splits 0.24 : 0.16, so CPU costs
 * 0.06 $/core-h and RAM 0.01 $/GiB-h; the node costs 0.80 × 24 = 19.20 a day.
 * <ul>
 *   <li>shop/web: cpu max(2 requested, 1 used) = 2 → 2 × 0.06 × 24 = 2.88; ram max(4, 6) = 6 → 1.44; total 4.32
 *   <li>batch/job: cpu max(1, 3) = 3 → 4.32; ram max(8, 2) = 8 → 1.92; total 6.24
 *   <li>__idle__: cpu (8 − 5) × 0.06 × 24 = 4.32; ram (32 − 14) × 0.01 × 24 = 4.32; total 8.64
 * </ul>
 * 4.32 + 6.24 + 8.64 = 19.20 = the node's cost. One malformed line (24 × 15 + 1) is quarantined.
 */
public record HandCheckedDay(Path metrics, Path prices, Path config) {
    public static final LocalDate DAY = LocalDate.of(2026, 3, 1);

    /** Writes the day's OpenMetrics file, price book and costlake.yaml (step 3600 s) under {@code dir}. */
    public static HandCheckedDay writeTo(Path dir) throws IOException {
        Path metrics = OpenMetricsFixture.day(DAY, 3600, "c1")
                .namespace("shop", "team-shop").namespace("batch", "team-data")
                .namespaceLabels("shop", "label_team", "web-team")
                .node("n1", "cpu8", 8, 32, 0)
                .container("shop", "web-7f9c4-aaaaa", "n1", 2, 1, 4, 6)
                .container("batch", "job-1", "n1", 1, 3, 8, 2)
                .rawLine("container_memory_working_set_bytes{namespace=\"shop\",pod=\"web\" 1 1772323200")
                .writeTo(dir.resolve("metrics/2026-03-01.om"));
        Path prices = Files.writeString(dir.resolve("prices.yaml"), """
                currency: USD
                defaults: {cpuCoreHour: 0.03, ramGiBHour: 0.005, gpuHour: 2.0, storageGiBMonth: 0.04}
                instanceTypes: {cpu8: {hourly: 0.80}}
                """);
        Path config = Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  model:
                    step-seconds: 3600
                    aggregate-labels: [team]
                """);
        return new HandCheckedDay(metrics, prices, config);
    }
}
