package io.costlake.ingest.bronze;

import io.costlake.ingest.lake.LakeTable;

/**
 * Every series of a day's bronze samples, once: its 64-bit id, its table and the columns read from its labels
 * ({@link SampleResolver#STAGED_COLUMNS}, null where its table has no such column). A sample table stores only
 * (cluster, day, series, ts, value) and is read joined with this one ({@link BronzeTable#rows}), so a pod's
 * namespace, name, container and node are written once a day instead of once a sample.
 */
public enum BronzeSeriesTable implements LakeTable {
    INSTANCE;

    /** The series' id: a hash of its cluster and its text as the input wrote it, unique across clusters. */
    public static final String SERIES = "series";
    /** The bronze table the series' samples are in. */
    public static final String TABLE = "table";

    @Override
    public String layer() {
        return "bronze";
    }

    @Override
    public String tableName() {
        return "series";
    }

    /** None: read a (cluster, day) partition at a time, like the samples. */
    @Override
    public boolean columnStatistics() {
        return false;
    }
}
