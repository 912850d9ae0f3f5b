package io.costlake.jobs.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.concurrent.Callable;

import org.springframework.context.ConfigurableApplicationContext;

import io.costlake.costmodel.idlegpu.IdleGpuEvaluation;
import io.costlake.costmodel.idlegpu.IdleGpuScore;
import io.costlake.ingest.lake.Lake;
import io.costlake.jobs.config.ConfigurationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate-idle", mixinStandardHelpOptions = true,
        description = "Precision, recall and F1 of the idle-GPU findings in the lake over (GPU, hour) against labels.")
final class EvaluateIdleCommand implements Callable<Integer> {
    @Option(names = "--labels", required = true, paramLabel = "FILE",
            description = "CSV cluster,node,gpu_uuid,hour,idle[,mig_instance] (as costlake generate writes it)")
    Path labels;

    @Option(names = "--date", required = true, paramLabel = "D", description = "day to evaluate")
    LocalDate date;

    @Option(names = "--to", paramLabel = "D", description = "last day of a range (inclusive)")
    LocalDate to;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        LocalDate last = to != null ? to : date;
        if (last.isBefore(date)) {
            throw new ConfigurationException("--to " + last + " is before --date " + date);
        }
        if (!java.nio.file.Files.isRegularFile(labels)) {
            throw new ConfigurationException("labels file not found: " + labels);
        }
        try (ConfigurableApplicationContext context = common.context().start()) {
            IdleGpuScore score = new IdleGpuEvaluation(context.getBean(Lake.class)).evaluate(labels, date, last);
            System.out.printf("precision %.4f%nrecall    %.4f%nF1        %.4f%n", score.precision(), score.recall(),
                    score.f1());
            System.out.println(score.describe());
            return ExitCode.OK.code();
        }
    }
}
