package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The headline numbers of a period. Idle is the unallocated node capacity: the {@code __idle__} namespace,
 * plus idle shared into namespaces when the run used {@code shareIdle}; allocated is what real namespaces
 * used (total minus idle minus {@code __unmounted__} volumes).
 */
record KeyFigures(
        BigDecimal totalCost,
        BigDecimal idleCost,
        BigDecimal unmountedCost,
        BigDecimal cpuCost,
        BigDecimal ramCost,
        BigDecimal gpuCost,
        BigDecimal storageCost,
        BigDecimal gpuIdleWaste,
        int idleEpisodes,
        double idleGpuHours,
        long periodDays,
        int daysWithData,
        int clusters,
        int namespaces,
        int workloads,
        int nodes) {
    /** A month for "per month" figures, as cloud bills and Kubecost's savings count it. */
    static final int DAYS_PER_MONTH = 30;

    KeyFigures {
        requireNonNull(totalCost, "totalCost is null");
        requireNonNull(idleCost, "idleCost is null");
        requireNonNull(unmountedCost, "unmountedCost is null");
        requireNonNull(cpuCost, "cpuCost is null");
        requireNonNull(ramCost, "ramCost is null");
        requireNonNull(gpuCost, "gpuCost is null");
        requireNonNull(storageCost, "storageCost is null");
        requireNonNull(gpuIdleWaste, "gpuIdleWaste is null");
        if (periodDays < 1) {
            throw new IllegalArgumentException("a period has at least one day, got " + periodDays);
        }
    }

    BigDecimal allocatedCost() {
        return totalCost.subtract(idleCost).subtract(unmountedCost);
    }

    double allocatedShare() {
        return share(allocatedCost());
    }

    double idleShare() {
        return share(idleCost);
    }

    double unmountedShare() {
        return share(unmountedCost);
    }

    /** Idle-GPU waste of the period scaled to a 30-day month: what stopping those pods would save. */
    BigDecimal reclaimablePerMonth() {
        return gpuIdleWaste.multiply(BigDecimal.valueOf(DAYS_PER_MONTH))
                .divide(BigDecimal.valueOf(periodDays), 6, RoundingMode.HALF_EVEN);
    }

    boolean hasCosts() {
        return daysWithData > 0;
    }

    private double share(BigDecimal part) {
        return totalCost.signum() == 0 ? 0 : part.doubleValue() / totalCost.doubleValue();
    }
}
