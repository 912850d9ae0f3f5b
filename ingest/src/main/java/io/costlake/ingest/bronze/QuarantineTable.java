package io.costlake.ingest.bronze;

import io.costlake.ingest.lake.LakeTable;

/** Input lines and samples that were rejected, with source, line and reason: nothing disappears silently. */
public enum QuarantineTable implements LakeTable {
    INSTANCE;

    @Override
    public String layer() {
        return "bronze";
    }

    @Override
    public String tableName() {
        return "quarantine";
    }
}
