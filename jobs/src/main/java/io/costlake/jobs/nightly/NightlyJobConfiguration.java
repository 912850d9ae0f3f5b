package io.costlake.jobs.nightly;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobExecutionListener;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.StepExecutionListener;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.support.transaction.ResourcelessTransactionManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.costlake.db.store.CostStore;
import io.costlake.jobs.config.CostlakeProperties;
import io.costlake.jobs.metrics.RunMetricsPublisher;

/**
 * The nightly job: ingest → attribute → persist → report, each a restartable step. A failed or killed run
 * of a day restarts from the step that failed; completed steps are not repeated.
 */
@Configuration
class NightlyJobConfiguration {
    static final String JOB_NAME = "costlakeNightly";

    @Bean
    Job costlakeNightly(JobRepository repository, NightlySteps steps, CostStore store, RunMetricsPublisher metrics,
            CostlakeProperties properties) {
        // The tasklets do Spark and their own jOOQ transactions; wrapping them in a JDBC transaction would
        // only hold a connection open for minutes.
        ResourcelessTransactionManager noTransaction = new ResourcelessTransactionManager();
        List<StepExecutionListener> listeners = new ArrayList<>(List.of(new StepResources()));
        CostlakeProperties.Profile profile = properties.getProfile();
        if (!profile.getEvent().isBlank()) {
            listeners.add(new StepProfiler(profile.getEvent(), Path.of(profile.getDir()).toAbsolutePath()));
        }
        Function<String, StepBuilder> step = name -> {
            StepBuilder builder = new StepBuilder(name, repository);
            listeners.forEach(builder::listener);
            return builder;
        };
        Step ingest = step.apply("ingest").tasklet(steps::ingest, noTransaction).build();
        Step attribute = step.apply("attribute").tasklet(steps::attribute, noTransaction).build();
        Step persist = step.apply("persist").tasklet(steps::persist, noTransaction).build();
        Step report = step.apply("report").tasklet(steps::report, noTransaction).build();
        return new JobBuilder(JOB_NAME, repository)
                .start(ingest).next(attribute).next(persist).next(report)
                .listener(new RunEndRecorder(store, metrics))
                .build();
    }

    /**
     * A failed run leaves a failed cost_run row with the reason, so run history shows it; then every run, failed
     * or not, publishes its metrics under its cost_run row.
     */
    private record RunEndRecorder(CostStore store, RunMetricsPublisher metrics) implements JobExecutionListener {
        @Override
        public void afterJob(JobExecution execution) {
            RunContext run = RunContext.of(execution);
            java.util.Map<String, Long> runIds = new java.util.LinkedHashMap<>(run.runIds());
            if (execution.getStatus().isUnsuccessful()) {
                String message = execution.getAllFailureExceptions().stream().findFirst()
                        .map(Throwable::getMessage).orElse(execution.getExitStatus().getExitDescription());
                java.util.List<String> clusters = run.clusters().isEmpty() ? java.util.List.of(run.defaultCluster())
                        : run.clusters();
                for (String cluster : clusters) {
                    long runId = store.startRun(cluster, run.day(), run.source(), run.startedAt());
                    store.failRun(runId, message);
                    runIds.put(cluster, runId);
                }
            }
            runIds.forEach((cluster, runId) -> metrics.publish(RunMeasurements.of(execution, cluster, runId)));
        }
    }
}
