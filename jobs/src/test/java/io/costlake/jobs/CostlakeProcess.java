package io.costlake.jobs;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.costlake.jobs.testing.ChildProcess;

/**
 * The costlake command line in a JVM of its own, as a CronJob or an operator runs it: its own environment
 * (no inherited {@code COSTLAKE_*}), working directory ({@code ./costlake.yaml} is read from there), exit code and
 * console. The classpath is this test JVM's without test classes and test jars, so the logging setup is the
 * production one (the ingest test jar brings a {@code logback-test.xml}).
 */
final class CostlakeProcess {
    private static final AtomicInteger STARTED = new AtomicInteger();

    private final Path workDir;
    private final Map<String, String> environment = new LinkedHashMap<>();

    private CostlakeProcess(Path workDir) {
        this.workDir = requireNonNull(workDir, "workDir is null");
    }

    static CostlakeProcess in(Path workDir) {
        return new CostlakeProcess(workDir);
    }

    CostlakeProcess env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** A started process; its stdout and stderr go to files in the working directory. */
    Started start(String... args) throws IOException {
        Files.createDirectories(workDir);
        int number = STARTED.incrementAndGet();
        Path stdout = workDir.resolve("stdout-" + number + ".log");
        Path stderr = workDir.resolve("stderr-" + number + ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.addAll(ChildProcess.SHORT_LIVED_JVM);
        // The --add-opens flags Spark needs and the test Spark settings, exactly as this JVM got them from
        // Surefire's argLine.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("--add-opens") || argument.startsWith("-Dspark."))
                .forEach(command::add);
        command.add("-cp");
        command.add(productionClasspath());
        command.add(CostlakeCommand.class.getName());
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("COSTLAKE_"));
        builder.environment().putAll(environment);
        return new Started(builder.start(), stdout, stderr);
    }

    /** Runs to the end (at most {@code timeout}) and returns the exit code and console. */
    Result run(Duration timeout, String... args) throws Exception {
        Started started = start(args);
        if (!started.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            started.process().destroyForcibly().waitFor();
            throw new AssertionError("costlake " + String.join(" ", args) + " did not finish within " + timeout
                    + "; " + started.result());
        }
        return started.result();
    }

    record Started(Process process, Path stdout, Path stderr) {
        Result result() throws IOException {
            return new Result(process.exitValue(), Files.readAllLines(stdout, StandardCharsets.UTF_8),
                    Files.readAllLines(stderr, StandardCharsets.UTF_8));
        }
    }

    record Result(int exitCode, List<String> stdout, List<String> stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + String.join("\n", stdout) + "\nstderr:\n"
                    + String.join("\n", stderr);
        }
    }

    private static String productionClasspath() {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.endsWith("-tests.jar") && !entry.endsWith("test-classes"))
                .reduce((left, right) -> left + File.pathSeparator + right).orElseThrow();
    }
}
