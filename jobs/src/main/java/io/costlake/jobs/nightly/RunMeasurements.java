package io.costlake.jobs.nightly;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.StepExecution;

import io.costlake.jobs.metrics.RunMeasurement;
import io.costlake.jobs.metrics.StepMeasurement;

/** Reads a finished job execution into the measurements of one cluster's run. */
final class RunMeasurements {
    private RunMeasurements() {}

    static RunMeasurement of(JobExecution execution, String cluster, long runId) {
        RunContext run = RunContext.of(execution);
        List<StepMeasurement> steps = execution.getStepExecutions().stream()
                .map(RunMeasurements::step)
                .toList();
        return new RunMeasurement(runId, cluster, run.day(), !execution.getStatus().isUnsuccessful(),
                between(execution.getStartTime(), execution.getEndTime()), steps,
                run.ingested(cluster) ? Optional.of(run.counts(cluster)) : Optional.empty(),
                run.attributed(cluster) ? Optional.of(run.audit(cluster)) : Optional.empty());
    }

    private static StepMeasurement step(StepExecution step) {
        return new StepMeasurement(step.getStepName(), step.getStatus().name(),
                between(step.getStartTime(), step.getEndTime()), step.getWriteCount(),
                step.getExecutionContext().getLong(StepResources.PEAK_HEAP_BYTES, 0));
    }

    /** A step or job still marked running has no end yet: it counts until now. */
    private static Duration between(LocalDateTime start, LocalDateTime end) {
        if (start == null) {
            return Duration.ZERO;
        }
        return Duration.between(start, end != null ? end : LocalDateTime.now());
    }
}
