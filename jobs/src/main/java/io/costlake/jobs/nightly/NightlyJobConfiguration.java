package io.costlake.jobs.nightly;

import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobExecutionListener;
import org.springframework.batch.core.Step;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.support.transaction.ResourcelessTransactionManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.costlake.db.store.CostStore;
import io.costlake.jobs.metrics.RunMetricsPublisher;

/**
 * The nightly job: ingest → attribute → persist → report, each a restartable step. A failed or killed run
 * of a day restarts from the step that failed; completed steps are not repeated.
 */
@Configuration
class NightlyJobConfiguration {
    static final String JOB_NAME = "costlakeNightly";

    @Bean
    Job costlakeNightly(JobRepository repository, NightlySteps steps, CostStore store, RunMetricsPublisher metrics) {
        // The tasklets do Spark and their own jOOQ transactions; wrapping them in a JDBC transaction would
        // only hold a connection open for minutes.
        ResourcelessTransactionManager noTransaction = new ResourcelessTransactionManager();
        StepResources resources = new StepResources();
        Step ingest = new StepBuilder("ingest", repository).tasklet(steps::ingest, noTransaction)
                .listener(resources).build();
        Step attribute = new StepBuilder("attribute", repository).tasklet(steps::attribute, noTransaction)
                .listener(resources).build();
        Step persist = new StepBuilder("persist", repository).tasklet(steps::persist, noTransaction)
                .listener(resources).build();
        Step report = new StepBuilder("report", repository).tasklet(steps::report, noTransaction)
                .listener(resources).build();
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
