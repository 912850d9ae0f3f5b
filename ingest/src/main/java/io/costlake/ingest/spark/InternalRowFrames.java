package io.costlake.ingest.spark;

import static java.util.Objects.requireNonNull;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * DataFrames over rows already in Spark's internal form (strings as {@code UTF8String}), as Spark's own file
 * readers make them. A reader that emits {@code Row}s has every value of every row converted by the encoder;
 * for the tens of millions of samples of a day that conversion cost more than parsing them.
 */
public final class InternalRowFrames {
    private InternalRowFrames() {}

    /** The rows as a DataFrame of {@code schema}; every row must hold values of exactly those types. */
    public static Dataset<Row> of(SparkSession spark, JavaRDD<InternalRow> rows, StructType schema) {
        requireNonNull(spark, "spark is null");
        requireNonNull(rows, "rows is null");
        requireNonNull(schema, "schema is null");
        if (!(spark instanceof org.apache.spark.sql.classic.SparkSession classic)) {
            throw new IllegalStateException("costlake needs a classic SparkSession, not " + spark.getClass().getName());
        }
        return classic.internalCreateDataFrame(rows.rdd(), schema, false);
    }
}
