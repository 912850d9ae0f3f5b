package io.costlake.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class PrometheusConfigTest {
    private static final URI PROMETHEUS = URI.create("http://prometheus:9090");

    @Test
    void defaults_are_a_60_second_step_with_bounded_parallelism_timeouts_and_retries() {
        PrometheusConfig config = PrometheusConfig.of(PROMETHEUS);

        assertThat(config.step()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.parallelism()).isEqualTo(4);
        assertThat(config.timeout()).isPositive();
        assertThat(config.maxRetries()).isPositive();
    }

    @Test
    void a_trailing_slash_of_the_base_path_is_dropped() {
        assertThat(PrometheusConfig.of(URI.create("http://mimir:8080/prometheus/")).baseUrl())
                .isEqualTo(URI.create("http://mimir:8080/prometheus"));
    }

    @Test
    void the_url_must_be_http_and_end_before_the_api_path() {
        assertThatThrownBy(() -> PrometheusConfig.of(URI.create("ftp://prometheus")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http(s)://");
        assertThatThrownBy(() -> PrometheusConfig.of(URI.create("http://prometheus:9090/api/v1/query_range")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("end before /api/v1");
    }

    @Test
    void steps_are_whole_seconds_and_counts_are_bounded() {
        PrometheusConfig config = PrometheusConfig.of(PROMETHEUS);
        assertThatThrownBy(() -> config.withStep(Duration.ofMillis(1500)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("whole number of seconds");
        assertThatThrownBy(() -> config.withParallelism(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withRetries(Duration.ZERO, 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void either_a_bearer_token_or_basic_auth_and_credentials_never_show_in_to_string() {
        PrometheusConfig withToken = PrometheusConfig.of(PROMETHEUS).withBearerToken("s3cr3t");

        assertThatThrownBy(() -> withToken.withBasicAuth("user:pw"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> PrometheusConfig.of(PROMETHEUS).withBasicAuth("no-colon"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("user:password");
        assertThat(withToken.toString()).doesNotContain("s3cr3t");
        assertThat(PrometheusConfig.of(PROMETHEUS).withBasicAuth("user:pw").toString())
                .contains("user:***").doesNotContain("pw]");
    }
}
