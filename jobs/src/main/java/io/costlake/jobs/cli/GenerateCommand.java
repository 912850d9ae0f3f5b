package io.costlake.jobs.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;

import io.costlake.ingest.synthetic.SyntheticClusterGenerator;
import io.costlake.ingest.synthetic.SyntheticClusterSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write a synthetic cluster as OpenMetrics files (one per day) plus a price book.")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--nodes", defaultValue = "4", description = "nodes, GPU nodes included (default: ${DEFAULT-VALUE})")
    int nodes;

    @Option(names = "--pods", defaultValue = "40", description = "pods (default: ${DEFAULT-VALUE})")
    int pods;

    @Option(names = "--gpus", defaultValue = "4", description = "GPUs, 4 per GPU node (default: ${DEFAULT-VALUE})")
    int gpus;

    @Option(names = "--days", defaultValue = "1", description = "days (default: ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--start", paramLabel = "DATE", description = "first day (default: the days before today, UTC)")
    LocalDate start;

    @Option(names = "--cluster", defaultValue = "default", description = "cluster label (default: ${DEFAULT-VALUE})")
    String cluster;

    @Option(names = "--step", defaultValue = "60", description = "seconds between samples (default: ${DEFAULT-VALUE})")
    int step;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Override
    public Integer call() {
        LocalDate first = start != null ? start : LocalDate.now(ZoneOffset.UTC).minusDays(days);
        SyntheticClusterGenerator.Result result = new SyntheticClusterGenerator().generate(
                new SyntheticClusterSpec(cluster, nodes, pods, gpus, days, first, step, seed), out);
        System.out.printf("Wrote %,d samples of cluster '%s' (%s to %s) to %s%n", result.samples(), cluster, first,
                first.plusDays(days - 1L), result.metricsDir());
        System.out.printf("Price book: %s%nIdle-GPU labels: %s%n", result.priceBook(), result.idleLabels());
        System.out.printf("Next: costlake run --date %s --metrics %s --prices %s%n", first, result.metricsDir(),
                result.priceBook());
        return ExitCode.OK.code();
    }
}
