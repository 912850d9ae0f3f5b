package io.costlake.jobs.cli;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.JobExecution;
import org.springframework.context.ConfigurableApplicationContext;

import io.costlake.jobs.config.ConfigurationException;
import io.costlake.jobs.config.CostlakeProperties;
import io.costlake.jobs.nightly.NightlyRunner;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Ingest, attribute, store and report one day, or each day of --date..--to in order.",
                "A backfill skips days that already completed unless --force; a single day always runs."})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--date", required = true, paramLabel = "D", description = "day to run (UTC), YYYY-MM-DD")
    LocalDate date;

    @Option(names = "--to", paramLabel = "D", description = "last day of a backfill (inclusive)")
    LocalDate to;

    @ArgGroup(exclusive = true)
    Source source;

    @Option(names = "--prices", paramLabel = "FILE", description = "price book YAML (env COSTLAKE_PRICES)")
    Path prices;

    @Option(names = "--prometheus-token", paramLabel = "TOKEN",
            description = "bearer token (better: env COSTLAKE_PROMETHEUSCLIENT_TOKEN)")
    String prometheusToken;

    @Option(names = "--prometheus-basic-auth", paramLabel = "USER:PASSWORD", description = "basic auth")
    String prometheusBasicAuth;

    @Option(names = "--prometheus-ca", paramLabel = "FILE", description = "PEM file of a CA to trust")
    Path prometheusCa;

    @Option(names = "--prometheus-tenant", paramLabel = "ID", description = "X-Scope-OrgID for Mimir / Cortex")
    String prometheusTenant;

    @Option(names = "--pushgateway", paramLabel = "URL",
            description = "push each run's metrics to this Prometheus Pushgateway (costlake.pushgateway.url)")
    String pushgateway;

    @Option(names = "--force", description = "re-run days that already completed (a backfill skips them otherwise)")
    boolean force;

    @Mixin
    CommonOptions common;

    static final class Source {
        @Option(names = "--metrics", paramLabel = "FILE|DIR", description = "OpenMetrics, CSV or Parquet file, or a directory of them")
        String metrics;

        @Option(names = "--prometheus", paramLabel = "URL", description = "Prometheus-compatible base URL")
        String prometheus;
    }

    @Override
    public Integer call() throws Exception {
        LocalDate last = to != null ? to : date;
        if (last.isBefore(date)) {
            throw new ConfigurationException("--to " + last + " is before --date " + date);
        }
        SpringContext spring = common.context().set("costlake.prices", prices)
                .set("costlake.prometheus-client.token", prometheusToken)
                .set("costlake.prometheus-client.basic-auth", prometheusBasicAuth)
                .set("costlake.prometheus-client.ca", prometheusCa)
                .set("costlake.prometheus-client.tenant", prometheusTenant)
                .set("costlake.pushgateway.url", pushgateway);
        if (source != null) {
            spring.set("costlake.metrics", source.metrics).set("costlake.prometheus", source.prometheus);
        }
        try (ConfigurableApplicationContext context = spring.start()) {
            CostlakeProperties properties = context.getBean(CostlakeProperties.class);
            String input = sourceOf(properties);
            NightlyRunner runner = context.getBean(NightlyRunner.class);
            List<String> statuses = new ArrayList<>();
            Throwable firstFailure = null;
            boolean backfill = last.isAfter(date);
            for (LocalDate day = date; !day.isAfter(last); day = day.plusDays(1)) {
                if (backfill && !force && runner.completed(day, properties.getCluster(), input)) {
                    statuses.add(day + " SKIPPED (already completed; --force re-runs it)");
                    continue;
                }
                JobExecution execution = runner.run(day, properties.getCluster(), input);
                statuses.add(day + " " + execution.getStatus());
                if (execution.getStatus() != BatchStatus.COMPLETED) {
                    firstFailure = execution.getAllFailureExceptions().stream().findFirst()
                            .orElse(new IllegalStateException("run of " + day + " ended " + execution.getStatus()));
                    break;
                }
            }
            if (statuses.size() > 1 || firstFailure != null) {
                System.out.println("Per-day status:");
                statuses.forEach(status -> System.out.println("  " + status));
            }
            if (firstFailure != null) {
                System.err.println("costlake run failed: " + ExitCode.messageOf(firstFailure));
                return ExitCode.of(firstFailure).code();
            }
            return ExitCode.OK.code();
        }
    }

    private static String sourceOf(CostlakeProperties properties) {
        boolean hasMetrics = !properties.getMetrics().isBlank();
        boolean hasPrometheus = !properties.getPrometheus().isBlank();
        if (hasMetrics == hasPrometheus) {
            throw new ConfigurationException(hasMetrics ? "give either --metrics or --prometheus, not both"
                    : "no input: give --metrics FILE|DIR or --prometheus URL (or costlake.metrics in costlake.yaml)");
        }
        if (hasPrometheus) {
            return "prometheus:" + properties.getPrometheus();
        }
        return "metrics:" + Path.of(properties.getMetrics()).toAbsolutePath().normalize();
    }
}
