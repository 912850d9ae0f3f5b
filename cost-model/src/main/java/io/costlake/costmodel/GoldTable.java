package io.costlake.costmodel;

import io.costlake.ingest.lake.LakeTable;

/** Silver and gold Delta tables written by the cost model, all partitioned by (cluster, day). */
public enum GoldTable implements LakeTable {
    NODE_DAY("gold", "node_cost_daily"),
    CONTAINER_HOUR("gold", "container_cost_hourly"),
    NAMESPACE_DAY("gold", "namespace_cost_daily"),
    WORKLOAD_DAY("gold", "workload_cost_daily"),
    COST_POOL_DAY("gold", "cost_pool_daily"),
    VOLUME_DAY("gold", "storage_cost_daily"),
    LABEL_DAY("gold", "label_cost_daily"),
    AUDIT("gold", "conservation_audit");

    private final String layer;
    private final String tableName;

    GoldTable(String layer, String tableName) {
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
