package io.costlake.db.store;

import static io.costlake.db.generated.Tables.CONTAINER_COST_HOURLY;
import static io.costlake.db.generated.Tables.COST_POOL_DAILY;
import static io.costlake.db.generated.Tables.NAMESPACE_COST_DAILY;
import static io.costlake.db.generated.Tables.NODE_COST_DAILY;
import static io.costlake.db.generated.Tables.QUARANTINED_INPUT;
import static io.costlake.db.generated.Tables.STORAGE_COST_DAILY;
import static io.costlake.db.generated.Tables.WORKLOAD_COST_DAILY;

import org.jooq.Table;

/** The per-day result tables a run replaces; each has run_id, cluster and day columns. */
public enum ResultTable {
    CONTAINER_COST(CONTAINER_COST_HOURLY),
    NAMESPACE_COST(NAMESPACE_COST_DAILY),
    WORKLOAD_COST(WORKLOAD_COST_DAILY),
    NODE_COST(NODE_COST_DAILY),
    COST_POOL(COST_POOL_DAILY),
    STORAGE_COST(STORAGE_COST_DAILY),
    QUARANTINE(QUARANTINED_INPUT);

    private final Table<?> table;

    ResultTable(Table<?> table) {
        this.table = table;
    }

    public Table<?> table() {
        return table;
    }
}
