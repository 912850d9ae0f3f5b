package io.costlake.ingest.prometheus;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of one pull: requests (metric × window) done of planned, series, samples and bytes, rate and ETA.
 * On a terminal it is a progress bar redrawn in place; otherwise (a log file, a CronJob's stdout) it is one
 * log line every {@link #LOG_INTERVAL}, because a bar redrawn with carriage returns turns into thousands of lines
 * there.
 */
final class PullProgress implements AutoCloseable {
    static final Duration LOG_INTERVAL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(PullProgress.class);

    private final String task;
    private final long requests;
    private final long startNanos = System.nanoTime();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong series = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final ProgressBar bar;
    private final ScheduledExecutorService logTimer;

    private PullProgress(String task, long requests, boolean terminal) {
        this.task = requireNonNull(task, "task is null");
        this.requests = requests;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(requests).setUnit(" req", 1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed().build();
            logTimer = null;
        } else {
            bar = null;
            logTimer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "prometheus-progress");
                thread.setDaemon(true);
                return thread;
            });
            logTimer.scheduleAtFixedRate(() -> LOG.info("{}", summary()), LOG_INTERVAL.toMillis(),
                    LOG_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** A bar when the JVM has a console, log lines otherwise. */
    static PullProgress onConsole(String task, long requests) {
        return new PullProgress(task, requests, System.console() != null);
    }

    static PullProgress logged(String task, long requests) {
        return new PullProgress(task, requests, false);
    }

    void addBytes(long n) {
        bytes.addAndGet(n);
    }

    void requestDone(long seriesInResponse, long samplesInResponse) {
        done.incrementAndGet();
        series.addAndGet(seriesInResponse);
        samples.addAndGet(samplesInResponse);
        if (bar != null) {
            bar.setExtraMessage(" " + counts());
            bar.step();
        }
    }

    long samples() {
        return samples.get();
    }

    long series() {
        return series.get();
    }

    long bytes() {
        return bytes.get();
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    String summary() {
        double seconds = Math.max(1e-3, elapsed().toNanos() / 1e9);
        long doneNow = done.get();
        String eta = doneNow == 0 ? "?" : Duration.ofSeconds((long) (seconds * (requests - doneNow) / doneNow))
                .toString().substring(2).toLowerCase(Locale.ROOT);
        return String.format(Locale.ROOT, "%s: %d/%d requests, %s, %.0f samples/s, %.1f MB/s, ETA %s", task, doneNow,
                requests, counts(), samples.get() / seconds, bytes.get() / seconds / 1e6, eta);
    }

    private String counts() {
        return String.format(Locale.ROOT, "%,d series, %,d samples, %.1f MB", series.get(), samples.get(),
                bytes.get() / 1e6);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
        if (logTimer != null) {
            logTimer.shutdownNow();
        }
    }
}
