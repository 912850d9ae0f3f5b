package io.costlake.ingest.lake;

/** A Delta table of the lake: its layer (bronze, silver, gold) and name. */
public interface LakeTable {
    String layer();

    String tableName();

    /**
     * Whether Delta collects per-file column statistics (min, max, null count) when the table is written. They
     * let a query on a column skip files; a table that is only ever read whole partitions at a time gains
     * nothing from them and pays for them on every row it writes.
     */
    default boolean columnStatistics() {
        return true;
    }
}
