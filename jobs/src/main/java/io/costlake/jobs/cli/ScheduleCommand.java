package io.costlake.jobs.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.support.CronExpression;

import io.costlake.jobs.config.ConfigurationException;
import io.costlake.jobs.config.CostlakeProperties;
import io.costlake.jobs.nightly.NightlyRunner;
import io.costlake.jobs.nightly.RunInProgressException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The nightly job on a cron, for the day before each trigger, until stopped. A trigger never starts a second run:
 * triggers that pass while this process runs the job are skipped (and logged), and so are triggers that find
 * another process's run holding the run lock. Everything it says is a log line (JSON with
 * {@code costlake.log-format: json}), since it runs unattended.
 */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Run the nightly job for yesterday on a cron schedule until stopped.")
final class ScheduleCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleCommand.class);

    @Option(names = "--cron", paramLabel = "EXPR",
            description = "Spring cron (second minute hour day month weekday); default costlake.schedule.cron or 0 30 2 * * *")
    String cron;

    @Option(names = "--zone", paramLabel = "ZONE", description = "time zone of the cron and of 'yesterday' (default UTC)")
    String zone;

    @Option(names = "--metrics", paramLabel = "FILE|DIR", description = "OpenMetrics, CSV or Parquet file, or a directory of them")
    String metrics;

    @Option(names = "--prices", paramLabel = "FILE", description = "price book YAML")
    String prices;

    @Option(names = "--runs", paramLabel = "N",
            description = "stop after N runs have been started (skipped triggers do not count); default: until stopped")
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
            if (runs != null && runs < 1) {
                throw new ConfigurationException("--runs must be at least 1, got " + runs);
            }
            if (properties.getMetrics().isBlank()) {
                throw new ConfigurationException("schedule needs an input: --metrics or costlake.metrics");
            }
            String source = "metrics:" + Path.of(properties.getMetrics()).toAbsolutePath().normalize();
            NightlyRunner runner = context.getBean(NightlyRunner.class);
            int started = 0;
            ExitCode worst = ExitCode.OK;
            LOG.info("schedule '{}' in {}: each trigger runs the day before", properties.getSchedule().getCron(), zoneId);
            ZonedDateTime trigger = next(expression, ZonedDateTime.now(zoneId), properties);
            while (runs == null || started < runs) {
                LOG.info("next run at {}", trigger);
                Thread.sleep(Math.max(0, Duration.between(ZonedDateTime.now(zoneId), trigger).toMillis()));
                LocalDate yesterday = trigger.toLocalDate().minusDays(1);
                try {
                    JobExecution execution = runner.run(yesterday, properties.getCluster(), source);
                    started++;
                    LOG.info("run of {} (triggered at {}): {}", yesterday, trigger, execution.getStatus());
                    if (execution.getStatus() != BatchStatus.COMPLETED) {
                        worst = execution.getAllFailureExceptions().stream().findFirst().map(ExitCode::of)
                                .orElse(ExitCode.INTERNAL_ERROR);
                    }
                    List<ZonedDateTime> passed = triggersBetween(expression, trigger, ZonedDateTime.now(zoneId));
                    if (!passed.isEmpty()) {
                        LOG.warn("{} trigger(s) skipped while the run of {} was in progress: {}", passed.size(),
                                yesterday, passed);
                    }
                } catch (RunInProgressException e) {
                    LOG.warn("trigger at {} skipped: {}", trigger, e.getMessage());
                }
                trigger = next(expression, ZonedDateTime.now(zoneId), properties);
            }
            return worst.code();
        }
    }

    private static ZonedDateTime next(CronExpression expression, ZonedDateTime after, CostlakeProperties properties) {
        ZonedDateTime next = expression.next(after);
        if (next == null) {
            throw new ConfigurationException("cron '" + properties.getSchedule().getCron() + "' never fires");
        }
        return next;
    }

    /** The triggers after {@code from} up to {@code to}: those that fired while a run kept this process busy. */
    private static List<ZonedDateTime> triggersBetween(CronExpression expression, ZonedDateTime from, ZonedDateTime to) {
        List<ZonedDateTime> triggers = new ArrayList<>();
        for (ZonedDateTime next = expression.next(from); next != null && !next.isAfter(to);
                next = expression.next(next)) {
            triggers.add(next);
        }
        return triggers;
    }
}
