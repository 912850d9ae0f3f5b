package io.costlake.costmodel.idlegpu;

import io.costlake.ingest.lake.LakeTable;

/**
 * Delta tables written by {@link IdleGpuDetector}, all partitioned by (cluster, day). The two gold tables
 * have exactly the columns of the PostgreSQL tables of the same name (minus {@code run_id}), so the
 * persist step can copy them by column name.
 */
public enum IdleGpuTable implements LakeTable {
    /** Idle episodes of at least {@code minIdleHours}; an episode crossing midnight is in the row of its last day. */
    EPISODE("gold", "idle_gpu_episode"),
    /** GPU hours held by no pod, per GPU and day, with their cost. */
    UNALLOCATED("gold", "gpu_unallocated_daily"),
    /**
     * The idle run of each GPU and pod that is still open at midnight (any length, also shorter than
     * {@code minIdleHours}), so the next day can continue it instead of starting a new episode.
     */
    OPEN_RUN("silver", "idle_gpu_open_run");

    private final String layer;
    private final String tableName;

    IdleGpuTable(String layer, String tableName) {
        this.layer = layer;
        this.tableName = tableName;
    }

    @Override
    public String layer() {
        return layer;
    }

    @Override
    public String tableName() {
        return tableName;
    }
}
