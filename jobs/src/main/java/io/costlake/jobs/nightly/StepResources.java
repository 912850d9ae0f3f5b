package io.costlake.jobs.nightly;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.StepExecutionListener;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * Records each step's peak heap in the step's execution context, so the benchmark and the run history can show
 * memory per stage. The peak is the largest heap in use right after a garbage collection during the step: what
 * the step really held, measured at one moment. (Summing each heap pool's own peak, as this did before, adds up
 * maxima reached at different times and reported more than the maximum heap.) A step that ends before any
 * collection reports the heap in use at its end.
 */
final class StepResources implements StepExecutionListener {
    static final String PEAK_HEAP_BYTES = "peakHeapBytes";

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final NotificationListener afterGc = this::collected;
    private final List<NotificationEmitter> watched = new ArrayList<>();

    @Override
    public synchronized void beforeStep(StepExecution stepExecution) {
        peakAfterGc.set(0);
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (collector instanceof NotificationEmitter emitter && !watched.contains(emitter)) {
                emitter.addNotificationListener(afterGc, null, null);
                watched.add(emitter);
            }
        }
    }

    @Override
    public synchronized ExitStatus afterStep(StepExecution stepExecution) {
        for (NotificationEmitter emitter : watched) {
            try {
                emitter.removeNotificationListener(afterGc);
            } catch (ListenerNotFoundException e) {
                // Already gone: nothing to stop.
            }
        }
        watched.clear();
        long peak = peakAfterGc.get();
        if (peak == 0) {
            peak = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        }
        stepExecution.getExecutionContext().putLong(PEAK_HEAP_BYTES, peak);
        return stepExecution.getExitStatus();
    }

    private void collected(Notification notification, Object handback) {
        if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
            return;
        }
        GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
        long used = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
            }
        }
        peakAfterGc.accumulateAndGet(used, Math::max);
    }
}
