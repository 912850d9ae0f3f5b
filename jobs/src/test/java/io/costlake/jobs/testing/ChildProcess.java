package io.costlake.jobs.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A process started by a test (a JVM, a Pushgateway), output in a log file. It is always ended: by {@link #close()}
 * (the test's try-with-resources), or by a shutdown hook when the test JVM itself exits first. Ending it also ends
 * its own children (a Spark worker's executors).
 */
public final class ChildProcess implements AutoCloseable {
    /**
     * JVM flags for a child JVM that runs a test's small day: it is over before C2 and parallel GC pay off, and they
     * only compete for the build's cores. C1 alone gets a 48 MB code cache by default, which Spark's generated code
     * fills: then the JVM stops compiling.
     */
    public static final List<String> SHORT_LIVED_JVM = List.of("-XX:TieredStopAtLevel=1",
            "-XX:ReservedCodeCacheSize=256m", "-XX:+UseSerialGC");

    private final Process process;
    private final Path log;
    private final Thread hook;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.hook = new Thread(this::end);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code java <jvmArgs> <args>} (this JVM's java) with its output (stdout and stderr) in {@code log}. */
    public static ChildProcess java(List<String> jvmArgs, List<String> args, Map<String, String> environment,
            Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(args);
        return start(command, environment, log);
    }

    /** Starts {@code command} with its output (stdout and stderr) in {@code log}. */
    public static ChildProcess start(List<String> command, Map<String, String> environment, Path log) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        try {
            return new ChildProcess(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** A free port on the loopback interface for a child to listen on. */
    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Waits for the process to exit and returns its exit code; ends it and fails after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            end();
            throw new AssertionError("process did not finish within " + timeout + "; its output:\n" + output());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        end();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran: nothing left to do
        }
    }

    /** SIGTERM to the JVM and its children (so a worker can stop its executors), SIGKILL to whatever remains. */
    private void end() {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception notYet) {
                handle.destroyForcibly();
            }
        }
    }
}
