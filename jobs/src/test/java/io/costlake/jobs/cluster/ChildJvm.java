package io.costlake.jobs.cluster;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM started by a test, output in a log file. It is always ended: by {@link #close()} (the test's
 * try-with-resources), or by a shutdown hook when the test JVM itself exits first. Ending it also ends its own
 * children (a Spark worker's executors).
 */
final class ChildJvm implements AutoCloseable {
    /** The JDK 17 flags Spark needs, as the root pom's spark.jvm.flags (failsafe passes them on). */
    static final List<String> SPARK_FLAGS = List.of(requireNonNull(System.getProperty("spark.jvm.flags"),
            "system property spark.jvm.flags is not set (see jobs/pom.xml failsafe configuration)").split("\\s+"));

    private final Process process;
    private final Path log;
    private final Thread hook;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.hook = new Thread(this::end);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code java <jvmArgs> <args>} with its output (stdout and stderr) in {@code log}. */
    static ChildJvm start(List<String> jvmArgs, List<String> args, Map<String, String> environment, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmArgs);
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        try {
            return new ChildJvm(builder.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits for the JVM to exit and returns its exit code; ends it and fails after {@code timeout}. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            end();
            throw new AssertionError("process did not finish within " + timeout + "; its output:\n" + output());
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String output() {
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
