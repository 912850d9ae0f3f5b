package io.costlake.costmodel.idlegpu;

/**
 * What one detection run found, over all its clusters.
 *
 * @param episodes idle episodes written for the day (including those continued from the previous day)
 * @param idleGpuHours hours of those episodes, whole GPUs and MIG instances alike
 * @param wastedCost GPU cost of those hours
 * @param unallocatedGpuHours GPU hours held by no pod (MIG instances as their fraction of a GPU)
 * @param unallocatedCost cost of those hours
 * @param unresolvedGpuHours GPU hours on nodes without pod labels whose holder the requests could not name
 */
public record IdleGpuResult(long episodes, double idleGpuHours, double wastedCost, double unallocatedGpuHours,
        double unallocatedCost, double unresolvedGpuHours) {}
