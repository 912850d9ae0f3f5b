package io.costlake.costmodel.audit;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/**
 * The conservation check of one cluster-day (DESIGN §4): every dollar of nodes and volumes lands in some
 * namespace (including {@code __idle__} and {@code __unmounted__}), to a relative 1e-9 before rounding.
 */
public record ClusterDayAudit(
        String cluster,
        LocalDate day,
        double nodeCost,
        double volumeCost,
        double namespaceCost,
        long containerSamples,
        long unpricedSamples) {
    public static final double TOLERANCE = 1e-9;

    public ClusterDayAudit {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(day, "day is null");
    }

    public double expectedCost() {
        return nodeCost + volumeCost;
    }

    /** Σ namespaces − (Σ nodes + Σ volumes). */
    public double delta() {
        return namespaceCost - expectedCost();
    }

    public double relativeDelta() {
        double scale = Math.max(Math.abs(expectedCost()), Math.abs(namespaceCost));
        return scale == 0 ? 0 : Math.abs(delta()) / scale;
    }

    public boolean balanced() {
        return relativeDelta() <= TOLERANCE;
    }

    public String describe() {
        return "cluster %s day %s: namespaces %.9f vs nodes %.9f + volumes %.9f (delta %.3e, relative %.3e)"
                .formatted(cluster, day, namespaceCost, nodeCost, volumeCost, delta(), relativeDelta());
    }
}
