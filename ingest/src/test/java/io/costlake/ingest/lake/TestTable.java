package io.costlake.ingest.lake;

import java.sql.Date;
import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.costlake.ingest.testing.TestSpark;

/** A lake table for the tests of {@link Lake}, with the rows of {@link #SCHEMA}. */
record TestTable(String layer, String tableName, boolean columnStatistics) implements LakeTable {
    /** (cluster, day, pod, value): a day's rows of a cluster. */
    static final StructType SCHEMA = new StructType().add("cluster", DataTypes.StringType)
            .add("day", DataTypes.DateType).add("pod", DataTypes.StringType).add("value", DataTypes.DoubleType);

    /** A row of {@link #SCHEMA}. */
    static Row row(String cluster, LocalDate day, String pod, double value) {
        return RowFactory.create(cluster, Date.valueOf(day), pod, value);
    }

    /** Rows of {@link #SCHEMA} to write. */
    static Dataset<Row> rows(Row... rows) {
        return TestSpark.session().createDataFrame(List.of(rows), SCHEMA);
    }

    /** What a reader of the table in the lake sees, ordered by cluster, day and pod, a row's text each. */
    static List<String> contents(Lake lake, LakeTable table) {
        return lake.readAll(table).orElseThrow().orderBy("cluster", "day", "pod").collectAsList().stream()
                .map(Row::toString).toList();
    }
}
