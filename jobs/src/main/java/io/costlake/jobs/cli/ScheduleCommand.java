package io.costlake.jobs.cli;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.concurrent.Callable;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.explore.JobExplorer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.support.CronExpression;

import io.costlake.jobs.config.ConfigurationException;
import io.costlake.jobs.config.CostlakeProperties;
import io.costlake.jobs.nightly.NightlyRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Run the nightly job for yesterday on a cron schedule until stopped.")
final class ScheduleCommand implements Callable<Integer> {
    @Option(names = "--cron", paramLabel = "EXPR",
            description = "Spring cron (second minute hour day month weekday); default costlake.schedule.cron or 0 30 2 * * *")
    String cron;

    @Option(names = "--zone", paramLabel = "ZONE", description = "time zone of the cron and of 'yesterday' (default UTC)")
    String zone;

    @Option(names = "--metrics", paramLabel = "FILE|DIR", description = "OpenMetrics, CSV or Parquet file, or a directory of them")
    String metrics;

    @Option(names = "--prices", paramLabel = "FILE", description = "price book YAML")
    String prices;

    @Option(names = "--runs", paramLabel = "N", description = "stop after N scheduled runs (default: run until stopped)")
    Integer runs;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        SpringContext spring = common.context().set("costlake.metrics", metrics).set("costlake.prices", prices)
                .set("costlake.schedule.cron", cron).set("costlake.schedule.zone", zone);
        try (ConfigurableApplicationContext context = spring.start()) {
            CostlakeProperties properties = context.getBean(CostlakeProperties.class);
            CronExpression expression;
            ZoneId zoneId;
            try {
                expression = CronExpression.parse(properties.getSchedule().getCron());
                zoneId = ZoneId.of(properties.getSchedule().getZone());
            } catch (RuntimeException e) {
                throw new ConfigurationException("costlake.schedule: " + e.getMessage(), e);
            }
            if (properties.getMetrics().isBlank()) {
                throw new ConfigurationException("schedule needs an input: --metrics or costlake.metrics");
            }
            String source = "metrics:" + java.nio.file.Path.of(properties.getMetrics()).toAbsolutePath().normalize();
            NightlyRunner runner = context.getBean(NightlyRunner.class);
            JobExplorer explorer = context.getBean(JobExplorer.class);
            int done = 0;
            ExitCode worst = ExitCode.OK;
            System.out.printf("costlake schedule: '%s' in %s%n", properties.getSchedule().getCron(), zoneId);
            while (runs == null || done < runs) {
                ZonedDateTime next = expression.next(ZonedDateTime.now(zoneId));
                if (next == null) {
                    throw new ConfigurationException("cron '" + properties.getSchedule().getCron() + "' never fires");
                }
                System.out.printf("next run at %s%n", next);
                Thread.sleep(Math.max(0, Duration.between(ZonedDateTime.now(zoneId), next).toMillis()));
                LocalDate yesterday = next.toLocalDate().minusDays(1);
                if (!explorer.findRunningJobExecutions("costlakeNightly").isEmpty()) {
                    System.out.printf("%s: a run is still in progress; not starting another%n", yesterday);
                } else {
                    JobExecution execution = runner.run(yesterday, properties.getCluster(), source);
                    System.out.printf("%s: %s%n", yesterday, execution.getStatus());
                    if (execution.getStatus() != BatchStatus.COMPLETED) {
                        worst = execution.getAllFailureExceptions().stream().findFirst().map(ExitCode::of)
                                .orElse(ExitCode.INTERNAL_ERROR);
                    }
                }
                done++;
            }
            return worst.code();
        }
    }
}
