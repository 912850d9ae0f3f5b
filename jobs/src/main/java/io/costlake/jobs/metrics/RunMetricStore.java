package io.costlake.jobs.metrics;

import static io.costlake.db.generated.Tables.COST_RUN_METRIC;
import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import io.costlake.db.schema.CostSchema;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/** Writes a run's meters to {@code cost_run_metric}, one row per meter, replacing what the run had. */
public final class RunMetricStore {
    private final DSLContext dsl;

    public RunMetricStore(CostSchema schema) {
        this.dsl = requireNonNull(schema, "schema is null").dsl();
    }

    /** Returns the number of rows written. */
    public int save(long runId, MeterRegistry registry) {
        List<Meter> meters = registry.getMeters();
        return dsl.transactionResult(configuration -> {
            DSLContext tx = DSL.using(configuration);
            tx.deleteFrom(COST_RUN_METRIC).where(COST_RUN_METRIC.RUN_ID.eq(runId)).execute();
            var insert = tx.insertInto(COST_RUN_METRIC, COST_RUN_METRIC.RUN_ID, COST_RUN_METRIC.NAME,
                    COST_RUN_METRIC.TAGS, COST_RUN_METRIC.VALUE, COST_RUN_METRIC.UNIT);
            for (Meter meter : meters) {
                insert = insert.values(runId, meter.getId().getName(), tags(meter), value(meter), unit(meter));
            }
            return meters.isEmpty() ? 0 : insert.execute();
        });
    }

    /** {@code key=value} pairs in Micrometer's order (sorted by key), joined by commas. */
    static String tags(Meter meter) {
        return meter.getId().getTags().stream().map(tag -> tag.getKey() + "=" + tag.getValue())
                .collect(Collectors.joining(","));
    }

    /** The one number a meter of a run stands for: a gauge's value, a timer's total time in seconds. */
    static double value(Meter meter) {
        return meter.match(
                gauge -> gauge.value(),
                counter -> counter.count(),
                timer -> timer.totalTime(TimeUnit.SECONDS),
                summary -> summary.totalAmount(),
                longTask -> longTask.duration(TimeUnit.SECONDS),
                timeGauge -> timeGauge.value(TimeUnit.SECONDS),
                functionCounter -> functionCounter.count(),
                functionTimer -> functionTimer.totalTime(TimeUnit.SECONDS),
                other -> {
                    throw new IllegalArgumentException("no single value for meter " + other.getId());
                });
    }

    private static String unit(Meter meter) {
        return switch (meter.getId().getType()) {
            case TIMER, LONG_TASK_TIMER -> "seconds";
            default -> meter.getId().getBaseUnit() != null ? meter.getId().getBaseUnit() : "";
        };
    }
}
