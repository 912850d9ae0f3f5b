package io.costlake.db.store;

import static io.costlake.db.generated.Tables.CONTAINER_COST_HOURLY;
import static io.costlake.db.generated.Tables.COST_POOL_DAILY;
import static io.costlake.db.generated.Tables.GPU_UNALLOCATED_DAILY;
import static io.costlake.db.generated.Tables.IDLE_GPU_EPISODE;
import static io.costlake.db.generated.Tables.LABEL_COST_DAILY;
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
    LABEL_COST(LABEL_COST_DAILY),
    QUARANTINE(QUARANTINED_INPUT),
    GPU_UNALLOCATED(GPU_UNALLOCATED_DAILY),
    /**
     * An idle episode that crosses midnight is written by each day it touches, under the same key (it keeps
     * its start): the row of the later day wins, so re-running an earlier day never shrinks an episode a
     * later day extended.
     */
    IDLE_GPU(IDLE_GPU_EPISODE, true);

    private final Table<?> table;
    private final boolean laterDayWins;

    ResultTable(Table<?> table) {
        this(table, false);
    }

    ResultTable(Table<?> table, boolean laterDayWins) {
        this.table = table;
        this.laterDayWins = laterDayWins;
    }

    /** Rows are upserted on the primary key, replacing a row only when it was written for an earlier day. */
    public boolean laterDayWins() {
        return laterDayWins;
    }

    public Table<?> table() {
        return table;
    }
}
