package io.costlake.jobs.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.costlake.costmodel.audit.ClusterDayAudit;
import io.costlake.ingest.bronze.IngestSummary.SampleCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The meters of one run of a cluster-day, in a registry of their own: a run's values are pushed (replacing the
 * previous run's in the Pushgateway) and stored once, so nothing accumulates across the runs of a long-lived
 * {@code schedule} JVM. Gauges, not counters: each push is the state of the last run, not a running total.
 *
 * <p>In Prometheus (job {@code costlake}, grouped by {@code cluster}): {@code costlake_run_succeeded},
 * {@code costlake_run_duration_seconds}, {@code costlake_run_day_seconds} (start of the day run, for "last day
 * done" alerts), {@code costlake_step_duration_seconds_sum{step,status}}, {@code costlake_step_rows{step}},
 * {@code costlake_step_heap_peak_bytes{step}}, {@code costlake_samples_read} / {@code _loaded} /
 * {@code _quarantined} / {@code _ignored} / {@code _other_day}, and {@code costlake_cost_nodes} / {@code _volumes}
 * / {@code _namespaces} with {@code costlake_cost_conservation_delta}.
 */
public final class RunMetrics {
    private RunMetrics() {}

    public static PrometheusMeterRegistry of(RunMeasurement run) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        gauge(registry, "costlake.run.succeeded", "1 when the run succeeded, 0 when it failed",
                () -> run.succeeded() ? 1 : 0);
        TimeGauge.builder("costlake.run.duration", () -> run.duration().toMillis(), TimeUnit.MILLISECONDS)
                .description("Wall time of the nightly job, all steps").strongReference(true).register(registry);
        TimeGauge.builder("costlake.run.day", () -> run.day().atStartOfDay(ZoneOffset.UTC).toEpochSecond(),
                        TimeUnit.SECONDS)
                .description("The day run (UTC midnight, Unix time)").strongReference(true).register(registry);
        for (StepMeasurement step : run.steps()) {
            Timer.builder("costlake.step.duration").description("Wall time of a step")
                    .tags("step", step.step(), "status", step.status()).register(registry).record(step.duration());
            Gauge.builder("costlake.step.rows", step::rows)
                    .description("Rows a step handled: samples loaded, container samples attributed, rows stored, "
                            + "report files").tags("step", step.step()).strongReference(true).register(registry);
            Gauge.builder("costlake.step.heap.peak", step::peakHeapBytes).baseUnit("bytes")
                    .description("Largest heap in use after a garbage collection in the driver JVM during a step")
                    .tags("step", step.step())
                    .strongReference(true).register(registry);
        }
        run.samples().ifPresent(samples -> samples(registry, samples));
        run.audit().ifPresent(audit -> costs(registry, audit));
        return registry;
    }

    private static void samples(MeterRegistry registry, SampleCounts samples) {
        gauge(registry, "costlake.samples.read", "Samples and lines read for the day", samples::read);
        gauge(registry, "costlake.samples.loaded", "Samples written to the bronze tables", samples::loaded);
        gauge(registry, "costlake.samples.quarantined", "Malformed lines and impossible samples quarantined",
                samples::quarantined);
        gauge(registry, "costlake.samples.ignored", "Samples of metric families costlake does not use",
                samples::ignored);
        gauge(registry, "costlake.samples.other.day", "Valid samples of other days", samples::otherDay);
    }

    /** Money as PostgreSQL stores it (numeric(20,6)), so a pushed total equals cost_run's to the last digit. */
    private static void costs(MeterRegistry registry, ClusterDayAudit audit) {
        gauge(registry, "costlake.cost.nodes", "Sum of node costs of the day", () -> money(audit.nodeCost()));
        gauge(registry, "costlake.cost.volumes", "Sum of persistent volume costs of the day",
                () -> money(audit.volumeCost()));
        gauge(registry, "costlake.cost.namespaces", "Sum of namespace costs of the day, __idle__ and __unmounted__ "
                + "included", () -> money(audit.namespaceCost()));
        gauge(registry, "costlake.cost.conservation.delta", "Namespace costs minus node and volume costs, before "
                + "rounding", audit::delta);
    }

    private static double money(double amount) {
        return BigDecimal.valueOf(amount).setScale(6, RoundingMode.HALF_UP).doubleValue();
    }

    private static void gauge(MeterRegistry registry, String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).strongReference(true).register(registry);
    }
}
