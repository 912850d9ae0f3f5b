package io.costlake.ingest.prometheus;

import static java.util.Objects.requireNonNull;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The read timeout the JDK HttpClient lacks: its request timeout ends when the response headers arrive, and a
 * server (or proxy) that then stops sending the body would block the reader forever. The watchdog closes a
 * response stream that has delivered no byte for the timeout; closing wakes the blocked reader, which then
 * gets an {@link HttpTimeoutException} (and the request is retried).
 */
final class StallWatchdog implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "prometheus-stall-watchdog");
        thread.setDaemon(true);
        return thread;
    });
    private final Duration timeout;

    StallWatchdog(Duration timeout) {
        this.timeout = requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    InputStream watch(InputStream body) {
        return new WatchedStream(requireNonNull(body, "body is null"));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    private final class WatchedStream extends FilterInputStream {
        private volatile long lastProgressNanos = System.nanoTime();
        private volatile boolean stalled;
        private final ScheduledFuture<?> check;

        WatchedStream(InputStream in) {
            super(in);
            long period = Math.max(20, timeout.toMillis() / 4);
            check = timer.scheduleAtFixedRate(this::closeIfStalled, period, period, TimeUnit.MILLISECONDS);
        }

        private void closeIfStalled() {
            if (System.nanoTime() - lastProgressNanos > timeout.toNanos()) {
                stalled = true;
                check.cancel(false);
                try {
                    in.close();
                } catch (IOException ignored) {
                    // The reader learns of the stall from the flag; nothing more to do here.
                }
            }
        }

        private int progressed(int n) throws IOException {
            if (stalled) {
                throw new HttpTimeoutException("response body stalled: no data for " + timeout.toMillis() + " ms");
            }
            lastProgressNanos = System.nanoTime();
            return n;
        }

        @Override
        public int read() throws IOException {
            return progressed(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return progressed(super.read(b, off, len));
            } catch (IOException e) {
                if (stalled) {
                    throw new HttpTimeoutException("response body stalled: no data for " + timeout.toMillis() + " ms");
                }
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            check.cancel(false);
            super.close();
        }
    }
}
