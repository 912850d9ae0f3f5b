package io.costlake.ingest.prometheus;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus server (the Debian package's {@code /usr/bin/prometheus}) on a free loopback port,
 * serving a TSDB that {@code promtool tsdb create-blocks-from openmetrics} built from an OpenMetrics file.
 */
final class LocalPrometheus implements AutoCloseable {
    static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");
    private static final Duration STARTUP = Duration.ofSeconds(60);

    private final Process process;
    private final URI baseUrl;
    private final Path log;

    private LocalPrometheus(Process process, URI baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    static boolean installed() {
        return Files.isExecutable(PROMETHEUS) && Files.isExecutable(PROMTOOL);
    }

    /**
     * Loads the file into a TSDB under {@code workDir} and serves it. {@code lookbackDelta} is the server's
     * {@code --query.lookback-delta}: backfilled blocks carry no staleness markers, so with the default 5 min a
     * series that ends mid-day (a finished Job) would be repeated for 5 more minutes of query_range points.
     */
    static LocalPrometheus serve(Path openMetricsFile, Path workDir, Duration lookbackDelta)
            throws IOException, InterruptedException {
        Path tsdb = Files.createDirectories(workDir.resolve("tsdb"));
        Path promtoolLog = workDir.resolve("promtool.log");
        int exit = run(List.of(PROMTOOL.toString(), "tsdb", "create-blocks-from", "openmetrics",
                openMetricsFile.toString(), tsdb.toString()), promtoolLog);
        if (exit != 0) {
            throw new IllegalStateException("promtool rejected " + openMetricsFile + " (exit " + exit + "):\n"
                    + tail(promtoolLog));
        }
        Path config = Files.writeString(workDir.resolve("prometheus.yml"), "global:\n  scrape_interval: 1m\n"
                + "scrape_configs: []\n", StandardCharsets.UTF_8);
        IllegalStateException lastFailure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Path log = workDir.resolve("prometheus-" + attempt + ".log");
            Process process = new ProcessBuilder(PROMETHEUS.toString(),
                    "--storage.tsdb.path=" + tsdb,
                    "--storage.tsdb.retention.time=100y",
                    "--config.file=" + config,
                    "--web.listen-address=127.0.0.1:" + port,
                    "--query.lookback-delta=" + lookbackDelta.toSeconds() + "s")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            LocalPrometheus server = new LocalPrometheus(process, URI.create("http://127.0.0.1:" + port), log);
            try {
                server.awaitReady();
                return server;
            } catch (IllegalStateException e) {
                // most likely another process took the port between probing and binding: try another one
                server.close();
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    URI baseUrl() {
        return baseUrl;
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl + "/-/ready")).timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited with " + process.exitValue() + ":\n" + tail(log));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("prometheus not ready after " + STARTUP + ":\n" + tail(log));
    }

    private static int run(List<String> command, Path output) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 2 minutes");
        }
        return process.exitValue();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
