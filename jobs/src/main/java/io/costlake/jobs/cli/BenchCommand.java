package io.costlake.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;
import org.springframework.context.ConfigurableApplicationContext;

import io.costlake.ingest.synthetic.SyntheticClusterGenerator;
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

    private record Stage(String day, String name, Duration wall, long rows, long peakHeapBytes) {}

    @Override
    public Integer call() throws Exception {
        Path root = (dir != null ? dir : Files.createTempDirectory("costlake-bench")).toAbsolutePath();
        int nodeCount = nodes != null ? nodes : Math.max(2, pods / 20) + (gpus + 3) / 4;
        LocalDate first = LocalDate.of(2026, 1, 1);
        System.out.printf("costlake bench: %d nodes, %d pods, %d GPUs, %d day(s) at %d s, in %s%n", nodeCount, pods,
                gpus, days, step, root);
        long generateStart = System.nanoTime();
        SyntheticClusterGenerator.Result input = new SyntheticClusterGenerator().generate(
                new SyntheticClusterSpec("bench", nodeCount, pods, gpus, days, first, step, 7L), root.resolve("input"));
        Duration generation = Duration.ofNanos(System.nanoTime() - generateStart);
        List<Stage> stages = new ArrayList<>();
        stages.add(new Stage("all", "generate", generation, input.samples(), 0));
        SpringContext spring = new SpringContext()
                .set("costlake.db.url", db)
                .set("costlake.db.schema", dbSchema)
                .set("costlake.cluster", "bench")
                .set("costlake.lake", root.resolve("lake"))
                .set("costlake.out", root.resolve("reports"))
                .set("costlake.prices", input.priceBook())
                .set("costlake.model.step-seconds", step);
        try (ConfigurableApplicationContext context = spring.start()) {
            NightlyRunner runner = context.getBean(NightlyRunner.class);
            for (LocalDate day = first; day.isBefore(first.plusDays(days)); day = day.plusDays(1)) {
                long start = System.nanoTime();
                JobExecution execution = runner.runFresh(day, "bench", "metrics:" + input.metricsDir());
                if (execution.getStatus() != BatchStatus.COMPLETED) {
                    Throwable failure = execution.getAllFailureExceptions().stream().findFirst()
                            .orElse(new IllegalStateException("run ended " + execution.getStatus()));
                    System.err.println("costlake bench failed on " + day + ": " + ExitCode.messageOf(failure));
                    return ExitCode.of(failure).code();
                }
                for (StepExecution step : execution.getStepExecutions()) {
                    stages.add(new Stage(day.toString(), step.getStepName(),
                            Duration.between(step.getStartTime(), step.getEndTime()), step.getWriteCount(),
                            step.getExecutionContext().getLong("peakHeapBytes", 0)));
                }
                stages.add(new Stage(day.toString(), "day total", Duration.ofNanos(System.nanoTime() - start), 0, 0));
            }
        }
        System.out.println();
        System.out.printf("%-10s %-10s %10s %14s %14s %12s%n", "day", "stage", "wall s", "rows", "rows/s", "peak heap");
        for (Stage stage : stages) {
            double seconds = stage.wall().toMillis() / 1000.0;
            System.out.printf(Locale.ROOT, "%-10s %-10s %10.1f %14s %14s %12s%n", stage.day(), stage.name(), seconds,
                    stage.rows() == 0 ? "" : "%,d".formatted(stage.rows()),
                    stage.rows() == 0 || seconds == 0 ? "" : "%,.0f".formatted(stage.rows() / seconds),
                    stage.peakHeapBytes() == 0 ? "" : "%,d MB".formatted(stage.peakHeapBytes() >> 20));
        }
        System.out.printf("JVM max heap %,d MB, %d cores%n", Runtime.getRuntime().maxMemory() >> 20,
                Runtime.getRuntime().availableProcessors());
        return ExitCode.OK.code();
    }
}
