package io.costlake.jobs.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;
import java.util.concurrent.Callable;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;

import io.costlake.ingest.synthetic.SyntheticClusterGenerator;
import io.costlake.ingest.synthetic.SyntheticClusterGenerator.GeneratedDay;
import io.costlake.ingest.synthetic.SyntheticClusterSpec;
import io.costlake.jobs.nightly.NightlyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Generate a synthetic cluster and time the nightly job on it, per stage:",
                "wall time, rows per second and peak heap. Timings are measured here, never asserted in tests."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--pods", defaultValue = "1000", description = "pods (default: ${DEFAULT-VALUE})")
    int pods;

    @Option(names = "--gpus", defaultValue = "100", description = "GPUs (default: ${DEFAULT-VALUE})")
    int gpus;

    @Option(names = "--nodes", description = "nodes incl. GPU nodes (default: pods / 20 + GPU nodes)")
    Integer nodes;

    @Option(names = "--days", defaultValue = "1", description = "days (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--step", defaultValue = "60", description = "seconds between samples (default: ${DEFAULT-VALUE})")
    int step;

    @Option(names = "--dir", paramLabel = "DIR", description = "workspace (default: a new temporary directory)")
    Path dir;

    @Option(names = "--db", paramLabel = "JDBC_URL", description = "PostgreSQL JDBC URL; default: embedded")
    String db;

    @Option(names = "--db-schema", defaultValue = "costlake_bench", description = "schema (default: ${DEFAULT-VALUE})")
    String dbSchema;

    @Option(names = "--keep-input", description = {"keep each day's generated metrics file (default: deleted once "
            + "the day has run, so that a long backfill needs the disk of one day's dump, not of all of them)"})
    boolean keepInput;

    @Option(names = "--profile", paramLabel = "EVENT", description = {"sample each stage with async-profiler (cpu, "
            + "wall, alloc, itimer, ...): a flame graph per stage and day in DIR/profiles, the hottest frames in the "
            + "log (default: no profiling)"})
    String profile;

    /** One line of the table; {@code liveHeapBytes} only on a day's total: the heap still in use after a full GC. */
    private record Stage(String day, String name, Duration wall, long rows, long peakHeapBytes, long liveHeapBytes) {}

    /** A day's run did not complete: ends the generation and the bench with the run's exit code. */
    private static final class DayFailed extends RuntimeException {
        private final ExitCode exitCode;

        DayFailed(LocalDate day, Throwable failure) {
            super("costlake bench failed on " + day + ": " + ExitCode.messageOf(failure), failure);
            this.exitCode = ExitCode.of(failure);
        }
    }

    @Override
    public Integer call() throws Exception {
        Path root = (dir != null ? dir : Files.createTempDirectory("costlake-bench")).toAbsolutePath();
        int nodeCount = nodes != null ? nodes : Math.max(2, pods / 20) + (gpus + 3) / 4;
        LocalDate first = LocalDate.of(2026, 1, 1);
        System.out.printf("costlake bench: %d nodes, %d pods, %d GPUs, %d day(s) at %d s, in %s%n", nodeCount, pods,
                gpus, days, step, root);
        SyntheticClusterGenerator generator = new SyntheticClusterGenerator();
        Path input = root.resolve("input");
        Path profiles = root.resolve("profiles");
        List<Stage> stages = new ArrayList<>();
        SpringContext spring = new SpringContext()
                .set("costlake.db.url", db)
                .set("costlake.db.schema", dbSchema)
                .set("costlake.cluster", "bench")
                .set("costlake.lake", root.resolve("lake"))
                .set("costlake.out", root.resolve("reports"))
                .set("costlake.prices", generator.priceBook(input))
                .set("costlake.model.step-seconds", step)
                .set("costlake.profile.event", profile)
                .set("costlake.profile.dir", profiles);
        try (ConfigurableApplicationContext context = spring.start()) {
            NightlyRunner runner = context.getBean(NightlyRunner.class);
            // Days are generated and run one at a time: a 30-day backfill of a big cluster would not fit on disk
            // as 30 dumps, and each day's run sees only its own file, as a nightly run does.
            long[] generateStart = {System.nanoTime()};
            generator.generate(new SyntheticClusterSpec("bench", nodeCount, pods, gpus, days, first, step, 7L), input,
                    generated -> {
                        stages.add(new Stage(generated.day().toString(), "generate",
                                Duration.ofNanos(System.nanoTime() - generateStart[0]), generated.samples(), 0, 0));
                        runDay(runner, generated, stages);
                        if (!keepInput) {
                            Files.delete(generated.file());
                        }
                        generateStart[0] = System.nanoTime();
                    });
        } catch (DayFailed failed) {
            System.err.println(failed.getMessage());
            return failed.exitCode.code();
        }
        print(stages);
        if (profile != null && !profile.isBlank()) {
            System.out.printf("Flame graphs (%s) of each stage: %s%n", profile.strip(), profiles);
        }
        return ExitCode.OK.code();
    }

    private static void runDay(NightlyRunner runner, GeneratedDay generated, List<Stage> stages) {
        LocalDate day = generated.day();
        long start = System.nanoTime();
        JobExecution execution;
        try {
            execution = runner.runFresh(day, "bench", "metrics:" + generated.file());
        } catch (Exception e) {
            throw new DayFailed(day, e);
        }
        if (execution.getStatus() != BatchStatus.COMPLETED) {
            throw new DayFailed(day, execution.getAllFailureExceptions().stream().findFirst()
                    .orElse(new IllegalStateException("run ended " + execution.getStatus())));
        }
        Duration total = Duration.ofNanos(System.nanoTime() - start);
        for (StepExecution step : execution.getStepExecutions()) {
            stages.add(new Stage(day.toString(), step.getStepName(),
                    Duration.between(step.getStartTime(), step.getEndTime()), step.getWriteCount(),
                    step.getExecutionContext().getLong("peakHeapBytes", 0), 0));
        }
        // What a day leaves behind in the heap shows whether a backfill's memory stays flat; the peak of a step
        // is mostly garbage the JVM had no reason to collect yet.
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        memory.gc();
        stages.add(new Stage(day.toString(), "day total", total, 0, 0, memory.getHeapMemoryUsage().getUsed()));
    }

    private void print(List<Stage> stages) {
        System.out.println();
        System.out.printf("%-10s %-10s %10s %14s %14s %12s %12s%n", "day", "stage", "wall s", "rows", "rows/s",
                "peak heap", "heap after");
        for (Stage stage : stages) {
            double seconds = stage.wall().toMillis() / 1000.0;
            System.out.printf(Locale.ROOT, "%-10s %-10s %10.1f %14s %14s %12s %12s%n", stage.day(), stage.name(),
                    seconds, stage.rows() == 0 ? "" : "%,d".formatted(stage.rows()),
                    stage.rows() == 0 || seconds == 0 ? "" : "%,.0f".formatted(stage.rows() / seconds),
                    megabytes(stage.peakHeapBytes()), megabytes(stage.liveHeapBytes()));
        }
        List<Stage> dayTotals = stages.stream().filter(stage -> stage.name().equals("day total")).toList();
        Duration jobs = dayTotals.stream().map(Stage::wall).reduce(Duration.ZERO, Duration::plus);
        LongSummaryStatistics live = dayTotals.stream().mapToLong(Stage::liveHeapBytes).summaryStatistics();
        System.out.printf(Locale.ROOT, "%d day(s): nightly job %.1f s in all, %.1f s a day; heap after a day %,d to"
                + " %,d MB%n", dayTotals.size(), jobs.toMillis() / 1000.0, jobs.toMillis() / 1000.0 / dayTotals.size(),
                live.getMin() >> 20, live.getMax() >> 20);
        System.out.printf("JVM max heap %,d MB, %d cores%n", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
    }

    private static String megabytes(long bytes) {
        return bytes == 0 ? "" : "%,d MB".formatted(bytes >> 20);
    }
}
