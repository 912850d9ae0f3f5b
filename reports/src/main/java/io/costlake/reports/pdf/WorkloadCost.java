package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.OptionalDouble;

/**
 * A workload's cost over the period. Efficiencies are recomputed from the summed hours (usage / billable),
 * not averaged over days, so a busy day weighs more than a quiet one.
 */
record WorkloadCost(
        String cluster,
        String namespace,
        String kind,
        String name,
        BigDecimal totalCost,
        BigDecimal cpuCost,
        double cpuRequestCoreHours,
        double cpuUsageCoreHours,
        double cpuBillableCoreHours,
        double ramUsageGibHours,
        double ramBillableGibHours,
        double gpuHours) {
    WorkloadCost {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        requireNonNull(totalCost, "totalCost is null");
        requireNonNull(cpuCost, "cpuCost is null");
    }

    OptionalDouble cpuEfficiency() {
        return cpuBillableCoreHours > 0 ? OptionalDouble.of(cpuUsageCoreHours / cpuBillableCoreHours)
                : OptionalDouble.empty();
    }

    OptionalDouble ramEfficiency() {
        return ramBillableGibHours > 0 ? OptionalDouble.of(ramUsageGibHours / ramBillableGibHours)
                : OptionalDouble.empty();
    }

    /** CPU cost paid for cores that were requested but not used: cpu cost x (1 - efficiency). */
    BigDecimal unusedCpuCost() {
        OptionalDouble efficiency = cpuEfficiency();
        if (efficiency.isEmpty()) {
            return BigDecimal.ZERO;
        }
        return cpuCost.multiply(BigDecimal.valueOf(1 - efficiency.getAsDouble()))
                .setScale(2, java.math.RoundingMode.HALF_EVEN);
    }
}
