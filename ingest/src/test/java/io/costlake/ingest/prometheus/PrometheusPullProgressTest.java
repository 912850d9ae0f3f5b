package io.costlake.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrometheusPullProgressTest {
    @Test
    void the_logged_summary_has_requests_series_samples_bytes_rate_and_eta() {
        try (PullProgress progress = PullProgress.logged("Prometheus 2024-03-01", 4)) {
            progress.addBytes(3_000_000);
            progress.requestDone(10, 14_400);
            progress.requestDone(5, 7_200);

            assertThat(progress.summary()).startsWith("Prometheus 2024-03-01: 2/4 requests, 15 series, 21,600 samples,"
                    + " 3.0 MB, ").contains(" samples/s, ").contains(" MB/s, ETA ");
        }
    }

    @Test
    void a_log_line_is_written_only_every_ten_seconds_so_a_log_file_is_not_flooded() {
        assertThat(PullProgress.LOG_INTERVAL).isEqualTo(java.time.Duration.ofSeconds(10));
    }
}
