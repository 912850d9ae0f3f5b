package io.costlake.jobs.nightly;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.time.LocalDateTime;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParameters;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.stereotype.Component;

import io.costlake.jobs.config.CostlakeProperties;

/**
 * Runs the nightly job for one day. The job instance of a day is identified by (day, cluster, source,
 * attempt): a failed or killed instance is restarted (Spring Batch resumes at the failed step); a completed
 * one is run again as the next attempt, because re-running a day must recompute it (and replaces its
 * results rather than adding to them). One run at a time per cost schema ({@link NightlyRunLock}); a run that
 * finds the lock taken starts nothing and throws {@link RunInProgressException}.
 */
@Component
public class NightlyRunner {
    private static final Logger LOG = LoggerFactory.getLogger(NightlyRunner.class);

    private final JobLauncher launcher;
    private final JobRepository repository;
    private final Job job;
    private final DataSource dataSource;
    private final String schema;

    NightlyRunner(JobLauncher launcher, JobRepository repository, Job costlakeNightly, DataSource dataSource,
            CostlakeProperties properties) {
        this.launcher = launcher;
        this.repository = repository;
        this.job = costlakeNightly;
        this.dataSource = dataSource;
        this.schema = properties.getDb().getSchema();
    }

    /** Whether a run of this day, cluster and source has completed (any attempt). */
    public boolean completed(LocalDate day, String defaultCluster, String source) {
        for (long attempt = 0; ; attempt++) {
            JobExecution last = repository.getLastJobExecution(job.getName(), parameters(day, defaultCluster, source,
                    attempt));
            if (last == null) {
                return false;
            }
            if (last.getStatus() == BatchStatus.COMPLETED) {
                return true;
            }
        }
    }

    /**
     * Runs the day from scratch: an unfinished earlier run of it is abandoned rather than restarted (the demo
     * uses this, since its lake may have been deleted since).
     */
    public JobExecution runFresh(LocalDate day, String defaultCluster, String source) throws Exception {
        try (NightlyRunLock lock = lock(day)) {
            abandonUnfinished(day, defaultCluster, source);
            return launch(day, defaultCluster, source);
        }
    }

    private void abandonUnfinished(LocalDate day, String defaultCluster, String source) {
        for (long attempt = 0; ; attempt++) {
            JobExecution last = repository.getLastJobExecution(job.getName(), parameters(day, defaultCluster, source,
                    attempt));
            if (last == null) {
                break;
            }
            if (last.getStatus() != BatchStatus.COMPLETED && last.getStatus() != BatchStatus.ABANDONED) {
                for (StepExecution step : last.getStepExecutions()) {
                    if (step.getStatus() != BatchStatus.COMPLETED) {
                        step.setStatus(BatchStatus.ABANDONED);
                        repository.update(step);
                    }
                }
                last.setStatus(BatchStatus.ABANDONED);
                last.setEndTime(LocalDateTime.now());
                repository.update(last);
            }
        }
    }

    /**
     * Runs the day: restarts its failed or killed run from the step that did not finish, else starts a new one.
     *
     * @throws RunInProgressException when another process is running the nightly job on the same cost schema
     */
    public JobExecution run(LocalDate day, String defaultCluster, String source) throws Exception {
        try (NightlyRunLock lock = lock(day)) {
            return launch(day, defaultCluster, source);
        }
    }

    private NightlyRunLock lock(LocalDate day) {
        return NightlyRunLock.tryAcquire(dataSource, schema).orElseThrow(() -> new RunInProgressException(
                "another costlake run is in progress on schema " + schema + ": did not start " + day
                        + "; run it again when that one has finished"));
    }

    private JobExecution launch(LocalDate day, String defaultCluster, String source) throws Exception {
        requireNonNull(day, "day is null");
        requireNonNull(defaultCluster, "defaultCluster is null");
        requireNonNull(source, "source is null");
        for (long attempt = 0; ; attempt++) {
            JobParameters parameters = parameters(day, defaultCluster, source, attempt);
            JobExecution last = repository.getLastJobExecution(job.getName(), parameters);
            if (last == null) {
                return launcher.run(job, parameters);
            }
            if (last.getStatus() == BatchStatus.COMPLETED || last.getStatus() == BatchStatus.ABANDONED) {
                continue;
            }
            if (last.getStatus().isRunning()) {
                // A JVM killed mid-step leaves its execution marked running. We hold the run lock, so no live
                // process is running it: mark it failed so it can restart.
                LOG.warn("run of {} (execution {}) was left running by a process that died; restarting it from "
                        + "the step that did not finish", day, last.getId());
                markFailed(last);
            } else {
                LOG.info("restarting the failed run of {} (execution {}) from the step that failed", day, last.getId());
            }
            return launcher.run(job, parameters);
        }
    }

    /**
     * A run's identity in Spring Batch's repository, which all cost schemas of a database share: the schema is
     * part of it, so runs of one day into two schemas are two runs (without it, a run found the other schema's
     * run of the day "left running", failed it and took it over, and a backfill skipped days another schema had
     * completed).
     */
    private JobParameters parameters(LocalDate day, String defaultCluster, String source, long attempt) {
        return new JobParametersBuilder()
                .addString(RunContext.SCHEMA, schema)
                .addString(RunContext.DAY, day.toString())
                .addString(RunContext.CLUSTER, defaultCluster)
                .addString(RunContext.SOURCE, source)
                .addLong(RunContext.ATTEMPT, attempt)
                .toJobParameters();
    }

    private void markFailed(JobExecution execution) {
        LocalDateTime now = LocalDateTime.now();
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus().isRunning()) {
                step.setStatus(BatchStatus.FAILED);
                step.setExitStatus(ExitStatus.FAILED);
                step.setEndTime(now);
                repository.update(step);
            }
        }
        execution.setStatus(BatchStatus.FAILED);
        execution.setExitStatus(ExitStatus.FAILED);
        execution.setEndTime(now);
        repository.update(execution);
    }
}
