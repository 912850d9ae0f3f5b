package io.costlake.jobs.metrics;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What one step of a run did: how it ended, how long it took, the rows it handled (Spring Batch's write count:
 * samples loaded, container samples attributed, rows stored, report files) and the heap it peaked at.
 */
public record StepMeasurement(String step, String status, Duration duration, long rows, long peakHeapBytes) {
    public StepMeasurement {
        requireNonNull(step, "step is null");
        requireNonNull(status, "status is null");
        requireNonNull(duration, "duration is null");
        if (duration.isNegative() || rows < 0 || peakHeapBytes < 0) {
            throw new IllegalArgumentException("negative measurement of step " + step);
        }
    }
}
