package io.costlake.ingest.prometheus;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.costlake.ingest.bronze.BronzeTable;
import io.costlake.ingest.openmetrics.MetricsInputException;
import io.costlake.ingest.openmetrics.OpenMetricsFileSource;
import io.costlake.ingest.openmetrics.ParsedSamples;

/**
 * Pulls one UTC day of every metric of the input contract (DESIGN §2.1) from a Prometheus-compatible HTTP API
 * ({@code /api/v1/query_range}: Prometheus, Thanos, Mimir, VictoriaMetrics) as {@link ParsedSamples}, so that
 * bronze ingest treats it exactly like a file.
 *
 * <p><b>Raw selectors, not {@code rate()}.</b> Each metric is queried by its bare name. Counters such as
 * {@code container_cpu_usage_seconds_total} arrive as the cumulative values Prometheus stored, and the cost
 * model turns them into per-interval usage from consecutive samples itself (a drop means a counter reset: the
 * new value is the usage since the reset). {@code rate()}/{@code increase()} would extrapolate to the window
 * edges, smear a pod's first and last minutes and depend on the range chosen; from raw values the sum of
 * per-interval usage is exactly what the counter says.
 *
 * <p><b>What a point is.</b> {@code query_range} evaluates the selector at {@code 00:00, 00:00 + step, ...}:
 * each point is the latest raw sample at or before that instant, within the server's lookback delta (5 min by
 * default), stamped with the evaluation instant. With a step at or above the scrape interval that is a
 * down-sampling to the step grid, which is the cost model's time base (a sample at t stands for [t, t+step)).
 * A series that vanishes is cut off by the staleness marker Prometheus writes when a target stops exposing it;
 * backfilled blocks have no staleness markers, so there a vanished series is repeated for up to the lookback
 * delta.
 *
 * <p><b>Windows.</b> Prometheus refuses more than 11,000 points per series per request, so a day is split into
 * windows of at most that many points ({@link QueryWindow#coveringDay}): one window at the default 60 s step,
 * eight at a 1 s step. Requests (metric × window) run {@code parallelism} at a time.
 *
 * <p><b>Bounded memory: staging files.</b> Each response is parsed as a stream and written, point by point, as
 * gzip-compressed OpenMetrics text to its own staging file; Spark then reads the staging files with
 * {@link OpenMetricsFileSource}, the same parser as a file input, with the same quarantine of bad values. The
 * driver therefore never holds more than one series per running request, however big the cluster; the format
 * is the one {@code promtool} takes, so a staging file can be inspected or replayed by hand; and gzip keeps
 * the staging area to roughly a tenth of the JSON. (Parquet would need a second writer stack for no gain: the
 * text is parsed in parallel by Spark anyway.) Staging files live under {@code stagingRoot} (any Hadoop URI; a
 * cluster-mode Spark needs a shared one) and are deleted by {@link #close()} or at JVM exit.
 *
 * <p>In the result, {@code source} is the request URL (base URL, metric and window), {@code line} is the index
 * of the point within that response (1-based), {@code raw} the point as OpenMetrics text for rejected points.
 */
public final class PrometheusSource implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PrometheusSource.class);

    private final PrometheusConfig config;
    private final SparkSession spark;
    private final Path stagingRoot;
    private final List<Path> stagingDirs = new ArrayList<>();
    private final boolean consoleProgress;

    /** Stages under {@code java.io.tmpdir}: right for local Spark. */
    public PrometheusSource(PrometheusConfig config, SparkSession spark) {
        this(config, spark, new java.io.File(System.getProperty("java.io.tmpdir"), "costlake-staging").toURI()
                .toString(), true);
    }

    /** Stages under {@code stagingRoot}, any Hadoop URI the Spark executors can read. */
    public PrometheusSource(PrometheusConfig config, SparkSession spark, String stagingRoot) {
        this(config, spark, stagingRoot, true);
    }

    PrometheusSource(PrometheusConfig config, SparkSession spark, String stagingRoot, boolean consoleProgress) {
        this.config = requireNonNull(config, "config is null");
        this.spark = requireNonNull(spark, "spark is null");
        requireNonNull(stagingRoot, "stagingRoot is null");
        if (stagingRoot.isBlank()) {
            throw new IllegalArgumentException("stagingRoot is blank");
        }
        this.stagingRoot = new Path(stagingRoot);
        this.consoleProgress = consoleProgress;
    }

    /** Every metric name of the contract, from the bronze tables that store them. */
    public static Set<String> contractMetrics() {
        Set<String> metrics = new TreeSet<>();
        for (BronzeTable table : BronzeTable.values()) {
            metrics.addAll(table.metrics());
        }
        return metrics;
    }

    /** Pulls the day's samples of every contract metric; fails with {@link MetricsInputException} if the server cannot be used. */
    public Dataset<Row> read(LocalDate day) {
        return read(day, contractMetrics());
    }

    /** Pulls the day's samples of the given metrics (e.g. without OpenCost's). */
    public Dataset<Row> read(LocalDate day, Collection<String> metrics) {
        requireNonNull(day, "day is null");
        requireNonNull(metrics, "metrics is null");
        if (metrics.isEmpty()) {
            throw new IllegalArgumentException("no metric to pull");
        }
        List<QueryWindow> windows = QueryWindow.coveringDay(day, config.step());
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path dir = new Path(stagingRoot, "prometheus-" + day + "-" + UUID.randomUUID());
        FileSystem fs;
        try {
            fs = dir.getFileSystem(hadoop);
            fs.mkdirs(dir);
            fs.deleteOnExit(dir);
            dir = fs.makeQualified(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create staging directory " + dir, e);
        }
        synchronized (stagingDirs) {
            stagingDirs.add(dir);
        }

        List<Request> requests = new ArrayList<>();
        try (QueryRangeClient client = new QueryRangeClient(config)) {
            int index = 0;
            for (String metric : new TreeSet<>(metrics)) {
                for (int w = 0; w < windows.size(); w++) {
                    URI uri = client.uri(metric, windows.get(w));
                    requests.add(new Request(metric, uri, new Path(dir, String.format("%04d-%s-%d.om.gz", index++,
                            metric, w))));
                }
            }
            String task = "Prometheus " + day;
            Map<String, String> sources;
            try (PullProgress progress = consoleProgress ? PullProgress.onConsole(task, requests.size())
                    : PullProgress.logged(task, requests.size())) {
                LOG.info("pulling {} from {}: {} metrics × {} windows at step {} s, {} in parallel", day,
                        config.baseUrl(), metrics.size(), windows.size(), config.step().toSeconds(),
                        config.parallelism());
                sources = pull(client, fs, requests, progress);
                LOG.info("pulled {} from {}: {} series, {} samples, {} MB in {} s", day, config.baseUrl(),
                        progress.series(), progress.samples(), progress.bytes() / 1_000_000,
                        progress.elapsed().toSeconds());
            }
            return parsedSamples(sources);
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    private record Request(String metric, URI uri, Path stagingFile) {}

    /** Runs the requests in parallel; returns staging file → source (request URL) for non-empty responses. */
    private Map<String, String> pull(QueryRangeClient client, FileSystem fs, List<Request> requests,
            PullProgress progress) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.parallelism(), requests.size()),
                runnable -> {
                    Thread thread = new Thread(runnable, "prometheus-pull-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        ExecutorCompletionService<Request> completion = new ExecutorCompletionService<>(pool);
        List<Future<Request>> futures = new ArrayList<>();
        for (Request request : requests) {
            futures.add(completion.submit(() -> pullOne(client, fs, request, progress)));
        }
        Map<String, String> sources = new LinkedHashMap<>();
        try {
            for (int i = 0; i < requests.size(); i++) {
                Request staged = completion.take().get();
                if (staged != null) {
                    sources.put(staged.stagingFile().toString(), staged.uri().toString());
                }
            }
            return sources;
        } catch (ExecutionException e) {
            // The first failure ends the pull: the remaining requests would only fail the same way, slower.
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new MetricsInputException("pull from " + config.baseUrl() + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetricsInputException("pull from " + config.baseUrl() + " was interrupted", e);
        } finally {
            futures.forEach(future -> future.cancel(true));
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Fetches one metric × window into its staging file; null when the response has no point. */
    private Request pullOne(QueryRangeClient client, FileSystem fs, Request request, PullProgress progress)
            throws InterruptedException {
        QueryRangeResponse.Transcoded transcoded = client.fetch(request.uri(), body -> {
            // Every attempt rewrites the file from scratch, so a response cut off half-way leaves nothing behind.
            try (Writer out = new BufferedWriter(new OutputStreamWriter(
                    new GZIPOutputStream(fs.create(request.stagingFile(), true), 64 * 1024),
                    StandardCharsets.UTF_8), 64 * 1024)) {
                return QueryRangeResponse.transcode(body, out, request.metric());
            }
        }, progress::addBytes);
        transcoded.warnings().forEach(warning -> LOG.warn("{} warns for {}: {}", config.baseUrl(), request.uri(),
                warning));
        progress.requestDone(transcoded.series(), transcoded.samples());
        if (transcoded.samples() == 0) {
            deleteQuietly(fs, request.stagingFile());
            return null;
        }
        return request;
    }

    private Dataset<Row> parsedSamples(Map<String, String> sources) {
        Dataset<Row> parsed = new OpenMetricsFileSource(spark).read(List.copyOf(sources.keySet()));
        if (sources.isEmpty()) {
            return parsed;
        }
        // Staging paths mean nothing to whoever reads the quarantine: name the request instead.
        List<Column> entries = new ArrayList<>();
        sources.forEach((file, url) -> {
            entries.add(lit(file));
            entries.add(lit(url));
        });
        Column urls = functions.map(entries.toArray(Column[]::new));
        return parsed.withColumn(ParsedSamples.SOURCE,
                coalesce(element_at(urls, col(ParsedSamples.SOURCE)), col(ParsedSamples.SOURCE)));
    }

    /** Deletes the staging files of every pull; call when the returned datasets are no longer used. */
    @Override
    public void close() {
        synchronized (stagingDirs) {
            stagingDirs.forEach(this::deleteQuietly);
            stagingDirs.clear();
        }
    }

    private void deleteQuietly(Path dir) {
        try {
            deleteQuietly(dir.getFileSystem(spark.sparkContext().hadoopConfiguration()), dir);
        } catch (IOException e) {
            LOG.warn("cannot delete staging directory {}: {}", dir, e.toString());
        }
    }

    private static void deleteQuietly(FileSystem fs, Path path) {
        try {
            fs.delete(path, true);
        } catch (IOException e) {
            LOG.warn("cannot delete staging file {}: {}", path, e.toString());
        }
    }
}
