package io.costlake.costmodel.idlegpu;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * Ground truth for one GPU (or MIG instance) and hour: is the hour part of an idle episode by DESIGN §5?
 *
 * @param migInstance GPU_I_ID of a MIG instance, '' for a whole GPU
 * @param hour start of the hour (UTC, on an hour boundary)
 */
public record IdleHourLabel(String cluster, String node, String gpuUuid, String migInstance, Instant hour,
        boolean idle) {
    public IdleHourLabel {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(node, "node is null");
        requireNonNull(gpuUuid, "gpuUuid is null");
        requireNonNull(migInstance, "migInstance is null");
        requireNonNull(hour, "hour is null");
        if (hour.getEpochSecond() % 3600 != 0 || hour.getNano() != 0) {
            throw new IllegalArgumentException("hour is not on an hour boundary: " + hour);
        }
    }

    /** The (GPU, hour) this label is about. */
    GpuHour gpuHour() {
        return new GpuHour(cluster, node, gpuUuid, migInstance, hour);
    }

    /** A GPU (cluster, node, UUID, MIG instance) and the start of an hour. */
    record GpuHour(String cluster, String node, String gpuUuid, String migInstance, Instant hour) {}
}
