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

/**
 * The nightly job: ingest → attribute → persist → report, each a restartable step. A failed or killed run
 * of a day restarts from the step that failed; completed steps are not repeated.
 */
@Configuration
class NightlyJobConfiguration {
    static final String JOB_NAME = "costlakeNightly";

    @Bean
    Job costlakeNightly(JobRepository repository, NightlySteps steps, CostStore store) {
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
                .listener(new FailedRunRecorder(store))
                .build();
    }

    /** A failed run leaves a failed cost_run row with the reason, so run history shows it. */
    private record FailedRunRecorder(CostStore store) implements JobExecutionListener {
        @Override
        public void afterJob(JobExecution execution) {
            if (!execution.getStatus().isUnsuccessful()) {
                return;
            }
            RunContext run = RunContext.of(execution);
            String message = execution.getAllFailureExceptions().stream().findFirst()
                    .map(Throwable::getMessage).orElse(execution.getExitStatus().getExitDescription());
            java.util.List<String> clusters = run.clusters().isEmpty() ? java.util.List.of(run.defaultCluster())
                    : run.clusters();
            for (String cluster : clusters) {
                long runId = store.startRun(cluster, run.day(), run.source(), run.startedAt());
                store.failRun(runId, message);
            }
        }
    }
}
