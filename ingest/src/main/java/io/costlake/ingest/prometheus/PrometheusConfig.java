package io.costlake.ingest.prometheus;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where and how to pull metrics from a Prometheus-compatible HTTP API.
 *
 * <p>{@code baseUrl} is everything before {@code /api/v1}: {@code http://prometheus:9090} for Prometheus,
 * Thanos Query and single-node VictoriaMetrics, {@code http://vmselect:8481/select/0/prometheus} for
 * VictoriaMetrics cluster, {@code http://mimir:8080/prometheus} for Mimir (which also wants a
 * {@code tenant}, sent as {@code X-Scope-OrgID}). {@code timeout} bounds connecting, waiting for the
 * response headers and each silence while the body streams in; {@code maxRetries} more attempts follow
 * a failed one, {@code initialBackoff} apart and doubling. {@code basicAuth} is {@code user:password}.
 * {@code caCertificate} is a PEM file of the CA(s) to trust instead of the JVM's default trust store.
 */
public record PrometheusConfig(
        URI baseUrl,
        Duration step,
        int parallelism,
        Duration timeout,
        int maxRetries,
        Duration initialBackoff,
        Optional<String> bearerToken,
        Optional<String> basicAuth,
        Optional<Path> caCertificate,
        Optional<String> tenant) {

    public static final Duration DEFAULT_STEP = Duration.ofSeconds(60);
    public static final int DEFAULT_PARALLELISM = 4;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_RETRIES = 4;
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofSeconds(1);

    public PrometheusConfig {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(step, "step is null");
        requireNonNull(timeout, "timeout is null");
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(bearerToken, "bearerToken is null");
        requireNonNull(basicAuth, "basicAuth is null");
        requireNonNull(caCertificate, "caCertificate is null");
        requireNonNull(tenant, "tenant is null");
        String scheme = baseUrl.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("Prometheus URL must be http(s)://host[:port][/path], got " + baseUrl);
        }
        if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("Prometheus URL must not have a query or fragment, got " + baseUrl);
        }
        String path = baseUrl.getRawPath() == null ? "" : baseUrl.getRawPath();
        if (path.contains("/api/v1")) {
            throw new IllegalArgumentException(
                    "Prometheus URL must end before /api/v1 (e.g. http://host:9090 or http://mimir/prometheus), got "
                            + baseUrl);
        }
        // Normalised without a trailing slash, so the API path can simply be appended.
        if (path.endsWith("/")) {
            baseUrl = URI.create(baseUrl.toString().replaceAll("/+$", ""));
        }
        if (step.isNegative() || step.isZero() || step.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("step must be a positive whole number of seconds, got " + step);
        }
        if (step.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("step must not exceed a day, got " + step);
        }
        if (parallelism < 1 || parallelism > 64) {
            throw new IllegalArgumentException("parallelism must be between 1 and 64, got " + parallelism);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        if (maxRetries < 0 || maxRetries > 20) {
            throw new IllegalArgumentException("maxRetries must be between 0 and 20, got " + maxRetries);
        }
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative, got " + initialBackoff);
        }
        bearerToken.ifPresent(token -> {
            if (token.isBlank()) {
                throw new IllegalArgumentException("bearer token is blank");
            }
        });
        basicAuth.ifPresent(credentials -> {
            if (credentials.indexOf(':') < 1) {
                throw new IllegalArgumentException("basic auth must be user:password");
            }
        });
        if (bearerToken.isPresent() && basicAuth.isPresent()) {
            throw new IllegalArgumentException("use either a bearer token or basic auth, not both");
        }
        tenant.ifPresent(id -> {
            if (id.isBlank()) {
                throw new IllegalArgumentException("tenant is blank");
            }
        });
    }

    /** Defaults for everything but the URL: 60 s step, 4 parallel requests, 60 s timeout, 4 retries from 1 s. */
    public static PrometheusConfig of(URI baseUrl) {
        return new PrometheusConfig(baseUrl, DEFAULT_STEP, DEFAULT_PARALLELISM, DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES,
                DEFAULT_INITIAL_BACKOFF, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public PrometheusConfig withStep(Duration step) {
        return new PrometheusConfig(baseUrl, step, parallelism, timeout, maxRetries, initialBackoff, bearerToken,
                basicAuth, caCertificate, tenant);
    }

    public PrometheusConfig withParallelism(int parallelism) {
        return new PrometheusConfig(baseUrl, step, parallelism, timeout, maxRetries, initialBackoff, bearerToken,
                basicAuth, caCertificate, tenant);
    }

    public PrometheusConfig withRetries(Duration timeout, int maxRetries, Duration initialBackoff) {
        return new PrometheusConfig(baseUrl, step, parallelism, timeout, maxRetries, initialBackoff, bearerToken,
                basicAuth, caCertificate, tenant);
    }

    public PrometheusConfig withBearerToken(String token) {
        return new PrometheusConfig(baseUrl, step, parallelism, timeout, maxRetries, initialBackoff,
                Optional.of(token), basicAuth, caCertificate, tenant);
    }

    public PrometheusConfig withBasicAuth(String userColonPassword) {
        return new PrometheusConfig(baseUrl, step, parallelism, timeout, maxRetries, initialBackoff, bearerToken,
                Optional.of(userColonPassword), caCertificate, tenant);
    }

    public PrometheusConfig withCaCertificate(Path pemFile) {
        return new PrometheusConfig(baseUrl, step, parallelism, timeout, maxRetries, initialBackoff, bearerToken,
                basicAuth, Optional.of(pemFile), tenant);
    }

    public PrometheusConfig withTenant(String tenant) {
        return new PrometheusConfig(baseUrl, step, parallelism, timeout, maxRetries, initialBackoff, bearerToken,
                basicAuth, caCertificate, Optional.of(tenant));
    }

    /** Never prints credentials: records' generated toString would. */
    @Override
    public String toString() {
        return "PrometheusConfig[baseUrl=" + baseUrl + ", step=" + step + ", parallelism=" + parallelism
                + ", timeout=" + timeout + ", maxRetries=" + maxRetries + ", initialBackoff=" + initialBackoff
                + ", bearerToken=" + bearerToken.map(t -> "***") + ", basicAuth="
                + basicAuth.map(b -> b.substring(0, b.indexOf(':')) + ":***") + ", caCertificate=" + caCertificate
                + ", tenant=" + tenant + "]";
    }
}
