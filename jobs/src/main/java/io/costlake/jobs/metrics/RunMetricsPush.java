package io.costlake.jobs.metrics;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

import io.costlake.jobs.config.ConfigurationException;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.exporter.pushgateway.PushGateway;
import io.prometheus.metrics.exporter.pushgateway.Scheme;

/**
 * Pushes a run's meters to a Prometheus Pushgateway as job {@code costlake}, grouped by cluster: each push
 * replaces that cluster's previous run (HTTP PUT), so the gateway always holds the last run of every cluster.
 */
public final class RunMetricsPush {
    static final String JOB = "costlake";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Scheme scheme;
    private final String address;

    private RunMetricsPush(Scheme scheme, String address) {
        this.scheme = scheme;
        this.address = address;
    }

    /** {@code url} is the gateway's base URL, {@code http(s)://host:port}. */
    public static RunMetricsPush to(String url) {
        requireNonNull(url, "url is null");
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw invalid(url, "expected http://host:port or https://host:port");
        }
        if (uri.getScheme() == null || !uri.getScheme().matches("(?i)https?") || uri.getHost() == null) {
            throw invalid(url, "expected http://host:port or https://host:port");
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/")) {
            throw invalid(url, "a path prefix is not supported; give the gateway's base URL");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        Scheme scheme = uri.getScheme().equalsIgnoreCase("https") ? Scheme.HTTPS : Scheme.HTTP;
        return new RunMetricsPush(scheme, uri.getHost() + ":" + port);
    }

    public void push(String cluster, PrometheusMeterRegistry registry) throws IOException {
        PushGateway.builder()
                .scheme(scheme)
                .address(address)
                .job(JOB)
                .groupingKey("cluster", cluster)
                .registry(registry.getPrometheusRegistry())
                // A gateway that does not answer must not hold up the end of a nightly run.
                .connectionFactory(url -> {
                    HttpURLConnection connection = (HttpURLConnection) url.openConnection();
                    connection.setConnectTimeout((int) TIMEOUT.toMillis());
                    connection.setReadTimeout((int) TIMEOUT.toMillis());
                    return connection;
                })
                .build()
                .push();
    }

    @Override
    public String toString() {
        return scheme.toString().toLowerCase(java.util.Locale.ROOT) + "://" + address;
    }

    private static ConfigurationException invalid(String url, String problem) {
        return new ConfigurationException("costlake.pushgateway.url '" + url + "': " + problem);
    }
}
