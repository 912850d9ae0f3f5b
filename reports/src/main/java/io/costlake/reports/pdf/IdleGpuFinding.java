package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.Optional;

/** One idle-GPU episode (DESIGN §5): a pod held a GPU for hours and barely used it. */
record IdleGpuFinding(
        String cluster,
        String node,
        String gpuUuid,
        Optional<String> gpuModel,
        Optional<String> migProfile,
        String namespace,
        String pod,
        OffsetDateTime startAt,
        OffsetDateTime endAt,
        int hours,
        double meanUtil,
        BigDecimal wastedCost,
        String recommendation) {
    IdleGpuFinding {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(node, "node is null");
        requireNonNull(gpuUuid, "gpuUuid is null");
        requireNonNull(gpuModel, "gpuModel is null");
        requireNonNull(migProfile, "migProfile is null");
        requireNonNull(namespace, "namespace is null");
        requireNonNull(pod, "pod is null");
        requireNonNull(startAt, "startAt is null");
        requireNonNull(endAt, "endAt is null");
        requireNonNull(wastedCost, "wastedCost is null");
        requireNonNull(recommendation, "recommendation is null");
        if (!endAt.isAfter(startAt)) {
            throw new IllegalArgumentException("idle episode of " + gpuUuid + " ends before it starts");
        }
    }
}
