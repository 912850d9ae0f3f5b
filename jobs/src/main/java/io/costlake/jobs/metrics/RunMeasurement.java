package io.costlake.jobs.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import io.costlake.costmodel.audit.ClusterDayAudit;
import io.costlake.ingest.bronze.IngestSummary.SampleCounts;

/**
 * One run of a cluster-day as the nightly job saw it when it ended: its cost_run row, outcome, the steps of this
 * execution, and the sample counts and cost totals when the ingest and attribute steps got that far.
 */
public record RunMeasurement(long runId, String cluster, LocalDate day, boolean succeeded, Duration duration,
        List<StepMeasurement> steps, Optional<SampleCounts> samples, Optional<ClusterDayAudit> audit) {
    public RunMeasurement {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(day, "day is null");
        requireNonNull(duration, "duration is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        requireNonNull(samples, "samples is null");
        requireNonNull(audit, "audit is null");
    }
}
