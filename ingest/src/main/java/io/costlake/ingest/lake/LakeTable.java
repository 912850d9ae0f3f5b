package io.costlake.ingest.lake;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** A Delta table of the lake: its layer (bronze, silver, gold) and name. */
public interface LakeTable {
    String layer();

    String tableName();

    /** Where the table lives under the lake's root. */
    default String location() {
        return layer() + "/" + tableName();
    }

    /**
     * The rows as readers see them, from the rows as stored: the same, unless the table keeps part of each row
     * elsewhere (bronze keeps a series' columns once, in its series table, not in every sample).
     */
    default Dataset<Row> rows(Lake lake, Dataset<Row> stored) {
        return stored;
    }

    /**
     * Whether Delta collects per-file column statistics (min, max, null count) when the table is written. They
     * let a query on a column skip files; a table that is only ever read whole partitions at a time gains
     * nothing from them and pays for them on every row it writes.
     */
    default boolean columnStatistics() {
        return true;
    }
}
