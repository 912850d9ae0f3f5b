package io.costlake.jobs.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus Pushgateway (Debian's prometheus-pushgateway, as .ci/run installs it) on a free loopback port,
 * without persistence, so every test starts from an empty gateway.
 */
public final class Pushgateway implements AutoCloseable {
    private static final String BINARY = "/usr/bin/prometheus-pushgateway";

    private final ChildProcess process;
    private final int port;
    private final HttpClient http = HttpClient.newHttpClient();

    private Pushgateway(ChildProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    public static Pushgateway start(Path log) throws Exception {
        int port = ChildProcess.freeLoopbackPort();
        // Debian's build persists to /var/lib/prometheus by default; an empty file name turns persistence off.
        ChildProcess process = ChildProcess.start(List.of(BINARY, "--web.listen-address=127.0.0.1:" + port,
                "--persistence.file="), Map.of(), log);
        Pushgateway gateway = new Pushgateway(process, port);
        try {
            gateway.awaitReady(Duration.ofSeconds(30));
        } catch (Exception | AssertionError e) {
            process.close();
            throw e;
        }
        return gateway;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The value of a metric of the group {@code job="costlake", cluster=cluster} whose labels include
     * {@code labels}, from the gateway's {@code /api/v1/metrics}; a summary's value is its sum.
     */
    public double value(String cluster, String metric, Map<String, String> labels) throws Exception {
        for (JsonNode group : get("/api/v1/metrics").path("data")) {
            if (group.path("labels").path("job").asText().equals("costlake")
                    && group.path("labels").path("cluster").asText().equals(cluster)) {
                for (JsonNode sample : group.path(metric).path("metrics")) {
                    if (labels.entrySet().stream().allMatch(label ->
                            sample.path("labels").path(label.getKey()).asText().equals(label.getValue()))) {
                        return Double.parseDouble(sample.has("value") ? sample.path("value").asText()
                                : sample.path("sum").asText());
                    }
                }
                throw new AssertionError("no " + metric + labels + " in the group of cluster " + cluster + ": "
                        + group);
            }
        }
        throw new AssertionError("no group job=costlake, cluster=" + cluster + " in the gateway");
    }

    @Override
    public void close() {
        process.close();
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return new ObjectMapper().readTree(body(path));
    }

    private String body(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private void awaitReady(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the Pushgateway exited:\n" + process.output());
            }
            try {
                body("/-/ready");
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("the Pushgateway is not ready after " + timeout + ":\n" + process.output());
    }
}
