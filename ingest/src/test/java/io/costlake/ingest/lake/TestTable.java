package io.costlake.ingest.lake;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** A lake table for the tests of {@link Lake}, with the rows of {@link #SCHEMA}. */
record TestTable(String layer, String tableName, boolean columnStatistics) implements LakeTable {
    /** (cluster, day, pod, value): a day's rows of a cluster. */
    static final StructType SCHEMA = new StructType().add("cluster", DataTypes.StringType)
            .add("day", DataTypes.DateType).add("pod", DataTypes.StringType).add("value", DataTypes.DoubleType);
}
