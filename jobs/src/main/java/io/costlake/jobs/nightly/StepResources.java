package io.costlake.jobs.nightly;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;

/**
 * Records each step's peak heap (the sum of the heap pools' peaks, reset when the step starts) in the
 * step's execution context, so the benchmark and the run history can show memory per stage.
 */
final class StepResources implements StepExecutionListener {
    static final String PEAK_HEAP_BYTES = "peakHeapBytes";

    @Override
    public void beforeStep(StepExecution stepExecution) {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        stepExecution.getExecutionContext().putLong(PEAK_HEAP_BYTES, peak);
        return stepExecution.getExitStatus();
    }
}
