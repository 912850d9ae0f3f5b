package io.costlake.ingest.prometheus;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;

import javax.net.ssl.SSLHandshakeException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.costlake.ingest.openmetrics.MetricsInputException;

/**
 * Sends {@code query_range} requests to one Prometheus-compatible server, with authentication, timeouts and
 * retries. Connection errors, timeouts, 429 and 5xx are retried with exponential backoff (honouring
 * {@code Retry-After}); any other answer is final, because a bad query or a wrong password does not get better
 * by asking again. Either way the caller gets one {@link MetricsInputException} that names the URL and the
 * last error.
 */
final class QueryRangeClient implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryRangeClient.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(60);
    private static final int ERROR_BODY_LIMIT = 2_000;

    /** Reads a successful response body; may be called once per attempt, each time with a fresh body. */
    @FunctionalInterface
    interface BodyReader<T> {
        T read(InputStream body) throws IOException, QueryRangeResponse.QueryFailedException;
    }

    private final PrometheusConfig config;
    private final HttpClient http;
    private final Optional<String> authorization;
    private final StallWatchdog watchdog;

    QueryRangeClient(PrometheusConfig config) {
        this.config = requireNonNull(config, "config is null");
        HttpClient.Builder builder = HttpClient.newBuilder()
                // HTTP/1.1: no h2c upgrade dance with proxies in front of Prometheus; parallel requests use
                // parallel connections from the pool.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NORMAL);
        config.caCertificate().ifPresent(pem -> builder.sslContext(TrustedCa.sslContext(pem)));
        this.http = builder.build();
        this.authorization = config.bearerToken().map(token -> "Bearer " + token)
                .or(() -> config.basicAuth().map(credentials -> "Basic " + Base64.getEncoder()
                        .encodeToString(credentials.getBytes(StandardCharsets.UTF_8))));
        this.watchdog = new StallWatchdog(config.timeout());
    }

    /** The request URL of a metric in a window; also what quarantined samples name as their source. */
    URI uri(String metric, QueryWindow window) {
        return URI.create(config.baseUrl() + "/api/v1/query_range?query="
                + URLEncoder.encode(metric, StandardCharsets.UTF_8)
                + "&start=" + window.start() + "&end=" + window.end() + "&step=" + window.step().toSeconds());
    }

    /**
     * GETs the URL until it answers 200 and {@code reader} has read the body, or until the retries are spent.
     *
     * @param wireBytes told how many bytes came over the wire (compressed), for progress
     */
    <T> T fetch(URI uri, BodyReader<T> reader, LongConsumer wireBytes) throws InterruptedException {
        requireNonNull(uri, "uri is null");
        requireNonNull(reader, "reader is null");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(config.timeout())
                .header("Accept", "application/json")
                // Prometheus compresses JSON ~10x when asked; the JDK client does not ask by itself.
                .header("Accept-Encoding", "gzip")
                .header("User-Agent", "costlake");
        authorization.ifPresent(value -> request.header("Authorization", value));
        config.tenant().ifPresent(tenant -> request.header("X-Scope-OrgID", tenant));
        HttpRequest get = request.build();

        String lastError = null;
        Duration retryAfter = Duration.ZERO;
        int attempts = config.maxRetries() + 1;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                Duration wait = backoff(attempt - 1, retryAfter);
                LOG.debug("retrying {} in {} ms after: {}", uri, wait.toMillis(), lastError);
                Thread.sleep(wait.toMillis());
            }
            retryAfter = Duration.ZERO;
            try {
                HttpResponse<InputStream> response = http.send(get, HttpResponse.BodyHandlers.ofInputStream());
                int status = response.statusCode();
                if (status == 200) {
                    try (InputStream body = decoded(response, wireBytes)) {
                        return reader.read(body);
                    } catch (IOException e) {
                        lastError = "reading the response failed: " + describe(e);
                        continue;
                    } catch (QueryRangeResponse.QueryFailedException e) {
                        throw new MetricsInputException("Prometheus at " + config.baseUrl() + " could not answer "
                                + uri + ": " + e.getMessage());
                    }
                }
                String detail = errorBody(response);
                if (status == 429 || status >= 500) {
                    lastError = "HTTP " + status + detail;
                    retryAfter = retryAfter(response);
                    continue;
                }
                throw new MetricsInputException("Prometheus at " + config.baseUrl() + " refused " + uri + ": HTTP "
                        + status + detail + hint(status));
            } catch (SSLHandshakeException e) {
                // An untrusted certificate stays untrusted: no point in retrying.
                throw new MetricsInputException("Prometheus at " + config.baseUrl() + " failed the TLS handshake for "
                        + uri + ": " + e.getMessage() + " (is its CA in the CA certificate file?)", e);
            } catch (HttpTimeoutException e) {
                lastError = "no answer within " + config.timeout().toMillis() + " ms (" + e.getMessage() + ")";
            } catch (IOException e) {
                lastError = describe(e);
            }
        }
        throw new MetricsInputException("Prometheus at " + config.baseUrl() + " is unreachable: " + uri + " failed "
                + attempts + (attempts == 1 ? " time" : " times") + ", last error: " + lastError);
    }

    private InputStream decoded(HttpResponse<InputStream> response, LongConsumer wireBytes)
            throws IOException {
        InputStream counted = new FilterInputStream(watchdog.watch(response.body())) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    wireBytes.accept(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = super.read(buffer, off, len);
                if (n > 0) {
                    wireBytes.accept(n);
                }
                return n;
            }
        };
        boolean gzip = response.headers().firstValue("Content-Encoding").map("gzip"::equalsIgnoreCase).orElse(false);
        return gzip ? new GZIPInputStream(counted, 64 * 1024) : counted;
    }

    /** initialBackoff × 2^(retry−1), capped, with ±20 % jitter so parallel retries do not arrive in lockstep. */
    private Duration backoff(int retry, Duration retryAfter) {
        long base = config.initialBackoff().toMillis() << Math.min(retry - 1, 20);
        long capped = Math.min(base, MAX_BACKOFF.toMillis());
        long jittered = (long) (capped * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble()));
        return Duration.ofMillis(Math.max(jittered, Math.min(retryAfter.toMillis(), MAX_RETRY_AFTER.toMillis())));
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                return Duration.ofSeconds(Long.parseLong(value.trim()));
            } catch (NumberFormatException | ArithmeticException e) {
                return Duration.ZERO; // an HTTP date: rare from Prometheus proxies; plain backoff is enough
            }
        }).orElse(Duration.ZERO);
    }

    /** The start of an error body (Prometheus puts {@code errorType} and {@code error} there), on one line. */
    private static String errorBody(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            byte[] head = body.readNBytes(ERROR_BODY_LIMIT);
            String text = new String(head, StandardCharsets.UTF_8).replaceAll("\\s+", " ").trim();
            return text.isEmpty() ? "" : " " + text;
        } catch (IOException e) {
            return "";
        }
    }

    private static String hint(int status) {
        return switch (status) {
            case 401, 403 -> " (check the bearer token / basic auth credentials, and the tenant for Mimir)";
            case 404 -> " (check the base path: Mimir serves the API under /prometheus, VictoriaMetrics cluster under"
                    + " /select/<tenant>/prometheus)";
            default -> "";
        };
    }

    private static String describe(IOException e) {
        if (e instanceof ConnectException) {
            return "connection refused or failed" + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")");
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    @Override
    public void close() {
        watchdog.close();
    }
}
