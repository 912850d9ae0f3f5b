package io.costlake.ingest.lake;

/** A Delta table of the lake: its layer (bronze, silver, gold) and name. */
public interface LakeTable {
    String layer();

    String tableName();
}
