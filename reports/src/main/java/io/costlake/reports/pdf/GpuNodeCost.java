package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * How a GPU node's GPU cost over the period was spent. The store keeps GPU utilisation only for idle
 * episodes, not for every hour, so "utilisation vs cost" is told in dollars: of the GPU cost, the part
 * no pod held (unallocated, the node's GPU idle cost), the part pods held but left idle (idle-episode
 * waste) and the rest, which pods held and used.
 */
record GpuNodeCost(String cluster, String node, Optional<String> gpuModel, double gpuHours, BigDecimal gpuCost,
        BigDecimal unallocatedCost, BigDecimal heldIdleCost) {
    GpuNodeCost {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(node, "node is null");
        requireNonNull(gpuModel, "gpuModel is null");
        requireNonNull(gpuCost, "gpuCost is null");
        requireNonNull(unallocatedCost, "unallocatedCost is null");
        requireNonNull(heldIdleCost, "heldIdleCost is null");
    }

    /** Held and used; never negative, even when rounding or a re-run makes the parts exceed the whole. */
    BigDecimal inUseCost() {
        return gpuCost.subtract(unallocatedCost).subtract(heldIdleCost).max(BigDecimal.ZERO);
    }
}
