package io.costlake.ingest.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.openmetrics.MetricsInputException;
import io.costlake.ingest.openmetrics.ParsedSamples;
import io.costlake.ingest.testing.TestSpark;

/** Retries, timeouts, authentication and base paths, against a scripted HTTP server on the loopback. */
class PrometheusSourceAgainstStubTest {
    private static final LocalDate DAY = LocalDate.of(2024, 3, 1);
    private static final long DAY_START = DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    private static final String METRIC = "container_memory_working_set_bytes";
    private static final String QUERY_PATH = "/api/v1/query_range";

    @TempDir
    Path staging;

    private PrometheusConfig fastFailing(URI baseUrl) {
        return PrometheusConfig.of(baseUrl).withParallelism(1)
                .withRetries(Duration.ofMillis(800), 2, Duration.ofMillis(50));
    }

    private Dataset<Row> pull(PrometheusConfig config) {
        PrometheusSource source = new PrometheusSource(config, TestSpark.session(), staging.toUri().toString(), false);
        return source.read(DAY, Set.of(METRIC));
    }

    @Test
    void a_pull_survives_two_503s_and_asks_three_times() throws Exception {
        try (StubPrometheus stub = new StubPrometheus(QUERY_PATH, (n, exchange, self) -> {
            if (n <= 2) {
                StubPrometheus.respond(exchange, 503, "{\"status\":\"error\",\"errorType\":\"unavailable\"}");
            } else {
                StubPrometheus.respond(exchange, 200, StubPrometheus.matrix(METRIC, DAY_START));
            }
        })) {
            List<Row> rows = pull(fastFailing(stub.baseUrl())).orderBy(ParsedSamples.TS).collectAsList();

            assertThat(stub.requests()).hasSize(3);
            assertThat(rows).hasSize(2);
            assertThat(rows.get(0).<String>getAs(ParsedSamples.METRIC)).isEqualTo(METRIC);
            assertThat(rows.get(0).<Double>getAs(ParsedSamples.VALUE)).isEqualTo(1048576.0);
            assertThat(rows.get(1).<Double>getAs(ParsedSamples.VALUE)).isEqualTo(2097152.0);
            assertThat(rows.get(0).<java.sql.Timestamp>getAs(ParsedSamples.TS).toInstant())
                    .isEqualTo(DAY.atStartOfDay(ZoneOffset.UTC).toInstant());
            assertThat(rows.get(0).<scala.collection.Map<String, String>>getAs(ParsedSamples.LABELS).get("pod").get())
                    .isEqualTo("api-1");
            assertThat(rows.get(0).<String>getAs(ParsedSamples.SOURCE))
                    .startsWith(stub.baseUrl() + QUERY_PATH + "?query=" + METRIC + "&start=2024-03-01T00:00:00Z")
                    .endsWith("&end=2024-03-01T23:59:00Z&step=60");
            assertThat(rows.get(0).<Long>getAs(ParsedSamples.LINE)).isEqualTo(1L);
        }
    }

    @Test
    void the_query_asks_for_the_raw_metric_over_the_whole_day_at_the_configured_step() throws Exception {
        try (StubPrometheus stub = new StubPrometheus(QUERY_PATH, (n, exchange, self) ->
                StubPrometheus.respond(exchange, 200, StubPrometheus.matrix(METRIC, DAY_START)))) {
            pull(fastFailing(stub.baseUrl()).withStep(Duration.ofMinutes(5))).count();

            assertThat(stub.requests()).singleElement().extracting(StubPrometheus.SeenRequest::query)
                    .isEqualTo("query=" + METRIC + "&start=2024-03-01T00:00:00Z&end=2024-03-01T23:55:00Z&step=300");
        }
    }

    @Test
    void a_server_that_never_answers_fails_after_timeout_times_attempts_with_one_clear_message() throws Exception {
        try (StubPrometheus stub = new StubPrometheus(QUERY_PATH, (n, exchange, self) -> self.hang())) {
            long start = System.nanoTime();

            assertThatThrownBy(() -> pull(fastFailing(stub.baseUrl())))
                    .isInstanceOf(MetricsInputException.class)
                    .hasMessageContaining("Prometheus at " + stub.baseUrl() + " is unreachable")
                    .hasMessageContaining(QUERY_PATH + "?query=" + METRIC)
                    .hasMessageContaining("failed 3 times")
                    .hasMessageContaining("no answer within 800 ms");

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(stub.requests()).hasSize(3);
            assertThat(took).isBetween(Duration.ofMillis(3 * 800), Duration.ofMillis(3 * 800 + 4_000));
        }
    }

    @Test
    void a_response_that_stalls_mid_body_counts_as_a_timeout_and_is_retried() throws Exception {
        try (StubPrometheus stub = new StubPrometheus(QUERY_PATH, (n, exchange, self) -> {
            exchange.sendResponseHeaders(200, 0);
            OutputStream body = exchange.getResponseBody();
            body.write("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                    .getBytes(StandardCharsets.UTF_8));
            body.flush();
            self.hang();
        })) {
            PrometheusConfig config = PrometheusConfig.of(stub.baseUrl()).withParallelism(1)
                    .withRetries(Duration.ofMillis(500), 1, Duration.ofMillis(10));

            assertThatThrownBy(() -> pull(config))
                    .isInstanceOf(MetricsInputException.class)
                    .hasMessageContaining("failed 2 times")
                    .hasMessageContaining("stalled");
            assertThat(stub.requests()).hasSize(2);
        }
    }

    @Test
    void a_closed_port_fails_with_the_url_and_the_connection_error() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closedPort);

        assertThatThrownBy(() -> pull(fastFailing(nowhere)))
                .isInstanceOf(MetricsInputException.class)
                .hasMessageStartingWith("Prometheus at " + nowhere + " is unreachable")
                .hasMessageContaining("last error: connection refused");
    }

    @Test
    void a_rejected_query_fails_at_once_with_the_server_error() throws Exception {
        try (StubPrometheus stub = new StubPrometheus(QUERY_PATH, (n, exchange, self) -> StubPrometheus.respond(
                exchange, 400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"exceeded maximum"
                        + " resolution of 11,000 points per timeseries\"}"))) {
            assertThatThrownBy(() -> pull(fastFailing(stub.baseUrl())))
                    .isInstanceOf(MetricsInputException.class)
                    .hasMessageContaining("HTTP 400")
                    .hasMessageContaining("exceeded maximum resolution");
            assertThat(stub.requests()).hasSize(1);
        }
    }

    @Test
    void a_bearer_token_and_the_tenant_are_sent_with_every_request() throws Exception {
        try (StubPrometheus stub = new StubPrometheus(QUERY_PATH, (n, exchange, self) ->
                StubPrometheus.respond(exchange, 200, StubPrometheus.matrix(METRIC, DAY_START)))) {
            pull(fastFailing(stub.baseUrl()).withBearerToken("s3cr3t").withTenant("team-a")).count();

            assertThat(stub.requests()).singleElement().satisfies(request -> {
                assertThat(request.headers().getFirst("Authorization")).isEqualTo("Bearer s3cr3t");
                assertThat(request.headers().getFirst("X-Scope-OrgID")).isEqualTo("team-a");
            });
        }
    }

    @Test
    void basic_auth_is_sent_as_an_authorization_header() throws Exception {
        try (StubPrometheus stub = new StubPrometheus(QUERY_PATH, (n, exchange, self) ->
                StubPrometheus.respond(exchange, 200, StubPrometheus.matrix(METRIC, DAY_START)))) {
            pull(fastFailing(stub.baseUrl()).withBasicAuth("costlake:pa:ss")).count();

            assertThat(stub.requests()).singleElement().extracting(r -> r.headers().getFirst("Authorization"))
                    .isEqualTo("Basic " + java.util.Base64.getEncoder()
                            .encodeToString("costlake:pa:ss".getBytes(StandardCharsets.UTF_8)));
        }
    }

    @Test
    void a_base_path_such_as_mimirs_prometheus_prefix_comes_before_the_api_path() throws Exception {
        try (StubPrometheus stub = new StubPrometheus("/prometheus" + QUERY_PATH, (n, exchange, self) ->
                StubPrometheus.respond(exchange, 200, StubPrometheus.matrix(METRIC, DAY_START)))) {
            long rows = pull(fastFailing(URI.create(stub.baseUrl() + "/prometheus/"))).count();

            assertThat(rows).isEqualTo(2);
            assertThat(stub.requests()).singleElement().extracting(StubPrometheus.SeenRequest::path)
                    .isEqualTo("/prometheus" + QUERY_PATH);
        }
    }

    @Test
    void a_wrong_base_path_says_where_the_api_usually_lives() throws Exception {
        try (StubPrometheus stub = new StubPrometheus("/", (n, exchange, self) ->
                StubPrometheus.respond(exchange, 404, "404 page not found"))) {
            assertThatThrownBy(() -> pull(fastFailing(stub.baseUrl())))
                    .isInstanceOf(MetricsInputException.class)
                    .hasMessageContaining("HTTP 404")
                    .hasMessageContaining("check the base path");
        }
    }

    @Test
    void an_empty_result_is_an_empty_dataset_in_the_parsed_samples_schema() throws Exception {
        try (StubPrometheus stub = new StubPrometheus(QUERY_PATH, (n, exchange, self) -> StubPrometheus.respond(
                exchange, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"))) {
            Dataset<Row> rows = pull(fastFailing(stub.baseUrl()));

            assertThat(rows.count()).isZero();
            assertThat(rows.schema()).isEqualTo(ParsedSamples.SCHEMA);
        }
    }

    @Test
    void gzip_compressed_responses_are_decompressed() throws Exception {
        try (StubPrometheus stub = new StubPrometheus(QUERY_PATH, (n, exchange, self) -> {
            byte[] json = StubPrometheus.matrix(METRIC, DAY_START).getBytes(StandardCharsets.UTF_8);
            java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(zipped)) {
                gzip.write(json);
            }
            exchange.getResponseHeaders().set("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, zipped.size());
            try (OutputStream out = exchange.getResponseBody()) {
                zipped.writeTo(out);
            }
        })) {
            assertThat(pull(fastFailing(stub.baseUrl())).count()).isEqualTo(2);
            assertThat(stub.requests().get(0).headers().getFirst("Accept-Encoding")).isEqualTo("gzip");
        }
    }
    @Test
    void no_more_requests_than_the_configured_parallelism_are_in_flight_at_once() throws Exception {
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger mostInFlight = new java.util.concurrent.atomic.AtomicInteger();
        try (StubPrometheus stub = new StubPrometheus(QUERY_PATH, (n, exchange, self) -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(150);
                StubPrometheus.respond(exchange, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                        + "\"result\":[]}}");
            } finally {
                inFlight.decrementAndGet();
            }
        })) {
            PrometheusConfig config = fastFailing(stub.baseUrl()).withParallelism(2);
            new PrometheusSource(config, TestSpark.session(), staging.toUri().toString(), false)
                    .read(DAY, PrometheusSource.contractMetrics());

            assertThat(stub.requests()).hasSize(PrometheusSource.contractMetrics().size());
            assertThat(mostInFlight.get()).isEqualTo(2);
        }
    }

    @Test
    void every_metric_family_of_the_contract_is_asked_for_by_its_raw_name() throws Exception {
        try (StubPrometheus stub = new StubPrometheus(QUERY_PATH, (n, exchange, self) -> StubPrometheus.respond(
                exchange, 200, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}"))) {
            new PrometheusSource(fastFailing(stub.baseUrl()).withParallelism(4), TestSpark.session(),
                    staging.toUri().toString(), false).read(DAY);

            assertThat(stub.requests()).extracting(request -> request.query().replaceAll("^query=([^&]+)&.*", "$1"))
                    .containsExactlyInAnyOrderElementsOf(PrometheusSource.contractMetrics())
                    .contains("container_cpu_usage_seconds_total", "kube_pod_container_resource_requests",
                            "DCGM_FI_PROF_GR_ENGINE_ACTIVE", "kube_persistentvolume_capacity_bytes");
        }
    }
}
