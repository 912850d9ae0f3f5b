package io.costlake.ingest.prometheus;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A scripted Prometheus on 127.0.0.1 (port chosen by the OS) that records every request it gets. Handlers
 * that hang wait on {@link #hang()}, which {@link #close()} releases, so no test leaves a thread behind.
 */
final class StubPrometheus implements AutoCloseable {
    record SeenRequest(String path, String query, Headers headers) {}

    @FunctionalInterface
    interface Script {
        void answer(int requestNumber, HttpExchange exchange, StubPrometheus stub) throws Exception;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<SeenRequest> requests = new CopyOnWriteArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);

    StubPrometheus(String contextPath, Script script) throws IOException {
        this(contextPath, null, script);
    }

    /** Serves HTTPS with the given server context when not null. */
    StubPrometheus(String contextPath, SSLContext tls, Script script) throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls == null) {
            server = HttpServer.create(loopback, 0);
        } else {
            HttpsServer https = HttpsServer.create(loopback, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        }
        server.createContext(contextPath, exchange -> {
            int number;
            synchronized (requests) {
                requests.add(new SeenRequest(exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders()));
                number = requests.size();
            }
            try {
                script.answer(number, exchange, this);
            } catch (Exception e) {
                // a hung handler released at close, or a client that gave up: nothing to answer any more
            } finally {
                exchange.close();
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    URI baseUrl() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort());
    }

    List<SeenRequest> requests() {
        return List.copyOf(requests);
    }

    /** Blocks the handler until the stub is closed. */
    void hang() throws InterruptedException {
        released.await();
    }

    static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A matrix of one series of {@code metric} with two points, as Prometheus returns it. */
    static String matrix(String metric, long firstEpochSecond) {
        return """
                {"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"%s",\
                "namespace":"shop","pod":"api-1","container":"app","node":"n1"},\
                "values":[[%d,"1048576"],[%d,"2097152"]]}]}}""".formatted(metric, firstEpochSecond,
                firstEpochSecond + 60);
    }

    @Override
    public void close() {
        released.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
