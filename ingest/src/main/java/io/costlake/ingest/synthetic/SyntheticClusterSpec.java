package io.costlake.ingest.synthetic;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/**
 * What {@link SyntheticClusterGenerator} builds: cluster size, days, resolution, random seed and optional
 * extras.
 */
public record SyntheticClusterSpec(
        String cluster, int nodes, int pods, int gpus, int days, LocalDate firstDay, int stepSeconds, long seed,
        SyntheticVariety variety) {
    public SyntheticClusterSpec {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(variety, "variety is null");
        requireNonNull(firstDay, "firstDay is null");
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1, got " + nodes);
        }
        if (pods < 0 || gpus < 0) {
            throw new IllegalArgumentException("pods and gpus must not be negative");
        }
        if (days < 1) {
            throw new IllegalArgumentException("days must be at least 1, got " + days);
        }
        if (stepSeconds < 1 || 86_400 % stepSeconds != 0) {
            throw new IllegalArgumentException("step must divide a day into whole samples, got " + stepSeconds);
        }
        if (gpus > 0 && nodes < 2) {
            throw new IllegalArgumentException("a cluster with GPUs needs at least 2 nodes (a CPU and a GPU node)");
        }
    }

    /** A cluster of the default shape, without extras. */
    public SyntheticClusterSpec(String cluster, int nodes, int pods, int gpus, int days, LocalDate firstDay,
            int stepSeconds, long seed) {
        this(cluster, nodes, pods, gpus, days, firstDay, stepSeconds, seed, SyntheticVariety.NONE);
    }
}
