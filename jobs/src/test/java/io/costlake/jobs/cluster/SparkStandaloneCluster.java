package io.costlake.jobs.cluster;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.costlake.jobs.testing.ChildProcess;

/**
 * A Spark standalone cluster on the loopback interface: one master and one worker, child JVMs of the test, built
 * from the Spark jars of this build. Their SPARK_HOME is a directory whose {@code jars/} links every jar of the test
 * class path except costlake's own and Delta Lake's (with its Unity Catalog client), as a Spark distribution has
 * none of those: executors can only get them from the application ({@code spark.jars}).
 */
final class SparkStandaloneCluster implements AutoCloseable {
    /** The JDK 17 flags Spark needs, the root pom's spark.jvm.flags (Failsafe passes them on). */
    static final List<String> SPARK_FLAGS = pomFlags("spark.jvm.flags");
    private static final List<String> NOT_IN_A_SPARK_DISTRIBUTION = List.of(
            "/io/costlake/", "/io/delta/", "/io/unitycatalog/");
    /** Executors log which jars they fetch and which tasks they finish; the rest only from WARN on. */
    private static final String LOGBACK = """
            <configuration>
              <appender name="err" class="ch.qos.logback.core.ConsoleAppender">
                <target>System.err</target>
                <encoder><pattern>%d{HH:mm:ss} %-5level %logger{30} %msg%n</pattern></encoder>
              </appender>
              <logger name="org.apache.spark.executor.Executor" level="INFO"/>
              <root level="WARN"><appender-ref ref="err"/></root>
            </configuration>
            """;

    private final ChildProcess master;
    private final ChildProcess worker;
    private final int masterPort;
    private final int masterUiPort;
    private final Path workDir;

    private SparkStandaloneCluster(ChildProcess master, ChildProcess worker, int masterPort, int masterUiPort,
            Path workDir) {
        this.master = master;
        this.worker = worker;
        this.masterPort = masterPort;
        this.masterUiPort = masterUiPort;
        this.workDir = workDir;
    }

    /** Starts the master and a worker offering {@code cores} and {@code memory} (e.g. "1200m"); does not wait. */
    static SparkStandaloneCluster start(Path dir, int cores, String memory) throws IOException {
        Path home = sparkHome(dir.resolve("spark-home"));
        Path workDir = Files.createDirectories(dir.resolve("work"));
        int masterPort = ChildProcess.freeLoopbackPort();
        int masterUiPort = ChildProcess.freeLoopbackPort();
        // The daemons bind to loopback; executors inherit the worker's environment and bind there too. The worker
        // builds an executor's class path from SPARK_HOME/jars, for the Scala version spark-class would have set.
        Map<String, String> environment = Map.of("SPARK_HOME", home.toString(), "SPARK_LOCAL_IP", "127.0.0.1",
                "SPARK_SCALA_VERSION", "2.13");
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-cp",
                home.resolve("conf") + File.pathSeparator + home.resolve("jars") + File.separator + "*"));
        jvm.addAll(SPARK_FLAGS);
        ChildProcess master = ChildProcess.java(jvm, List.of("org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", Integer.toString(masterPort),
                "--webui-port", Integer.toString(masterUiPort)), environment, dir.resolve("master.log"));
        ChildProcess worker;
        try {
            worker = ChildProcess.java(jvm, List.of("org.apache.spark.deploy.worker.Worker",
                    "--host", "127.0.0.1", "--port", Integer.toString(ChildProcess.freeLoopbackPort()),
                    "--webui-port", Integer.toString(ChildProcess.freeLoopbackPort()),
                    "--cores", Integer.toString(cores),
                    "--memory", memory, "--work-dir", workDir.toString(),
                    "spark://127.0.0.1:" + masterPort), environment, dir.resolve("worker.log"));
        } catch (RuntimeException e) {
            master.close();
            throw e;
        }
        return new SparkStandaloneCluster(master, worker, masterPort, masterUiPort, workDir);
    }

    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Waits until the master counts the worker as alive. */
    void awaitWorker(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest state = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterUiPort + "/json/"))
                .timeout(Duration.ofSeconds(5)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!master.isAlive() || !worker.isAlive()) {
                throw new AssertionError("the Spark master or worker exited:\n" + master.output() + worker.output());
            }
            try {
                HttpResponse<String> response = http.send(state, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200
                        && new ObjectMapper().readTree(response.body()).path("aliveworkers").asInt() == 1) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the master's UI is not up yet
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no alive worker after " + timeout + ":\n" + master.output() + worker.output());
    }

    /** What the executors of all applications wrote to stderr (the worker keeps it under work/app-*&#47;N/). */
    String executorLogs() throws IOException {
        StringBuilder logs = new StringBuilder();
        try (Stream<Path> files = Files.walk(workDir)) {
            for (Path file : files.filter(path -> path.getFileName().toString().equals("stderr")).sorted().toList()) {
                logs.append(Files.readString(file));
            }
        }
        return logs.toString();
    }

    @Override
    public void close() {
        try {
            worker.close();
        } finally {
            master.close();
        }
    }

    private static Path sparkHome(Path home) throws IOException {
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(Files.createDirectories(home.resolve("conf")).resolve("logback.xml"), LOGBACK);
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path jar = Path.of(entry).toAbsolutePath();
            String path = jar.toString().replace(File.separatorChar, '/');
            if (path.endsWith(".jar") && Files.isRegularFile(jar)
                    && NOT_IN_A_SPARK_DISTRIBUTION.stream().noneMatch(path::contains)
                    && !path.contains("/target/")) {
                Path link = jars.resolve(jar.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, jar);
                }
            }
        }
        return home;
    }

    /** JVM flags the root pom keeps in {@code property}, which Failsafe passes to the IT JVMs (jobs/pom.xml). */
    static List<String> pomFlags(String property) {
        return List.of(requireNonNull(System.getProperty(property), "system property " + property
                + " is not set (see the failsafe configuration in jobs/pom.xml)").trim().split("\\s+"));
    }
}
