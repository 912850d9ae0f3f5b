package io.costlake.jobs.metrics;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.costlake.db.schema.CostSchema;
import io.costlake.jobs.config.CostlakeProperties;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * At the end of every run, succeeded or failed: records its meters, stores them beside the run in
 * {@code cost_run_metric}, and pushes them to the Pushgateway when {@code costlake.pushgateway.url} is set.
 * Metrics are a by-product: failing to store or push them is logged and never changes the run's outcome.
 */
@Component
public class RunMetricsPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(RunMetricsPublisher.class);

    private final RunMetricStore store;
    private final Optional<RunMetricsPush> push;

    RunMetricsPublisher(CostSchema schema, CostlakeProperties properties) {
        this.store = new RunMetricStore(schema);
        String url = properties.getPushgateway().getUrl();
        this.push = url.isBlank() ? Optional.empty() : Optional.of(RunMetricsPush.to(url));
    }

    public void publish(RunMeasurement run) {
        requireNonNull(run, "run is null");
        PrometheusMeterRegistry registry = RunMetrics.of(run);
        try {
            try {
                store.save(run.runId(), registry);
            } catch (RuntimeException e) {
                LOG.warn("cannot store the metrics of run {} in cost_run_metric: {}", run.runId(), e.getMessage());
            }
            push.ifPresent(gateway -> {
                try {
                    gateway.push(run.cluster(), registry);
                    LOG.info("pushed the metrics of run {} (cluster {}) to the Pushgateway {}", run.runId(),
                            run.cluster(), gateway);
                } catch (Exception e) {
                    LOG.warn("cannot push the metrics of run {} to the Pushgateway {}: {}", run.runId(), gateway,
                            e.toString());
                }
            });
        } finally {
            registry.close();
        }
    }
}
