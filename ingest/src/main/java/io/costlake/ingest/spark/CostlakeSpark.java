package io.costlake.ingest.spark;

import static java.util.Objects.requireNonNull;

import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a costlake JVM uses, with Delta Lake enabled. Local mode by default; any
 * Spark master URL (spark://, k8s://, yarn) works because nothing here assumes a local file system.
 */
public final class CostlakeSpark {
    private CostlakeSpark() {}

    public static SparkSession session(String master) {
        requireNonNull(master, "master is null");
        SparkSession.Builder builder = SparkSession.builder()
                .appName("costlake")
                .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
                .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC")
                // Day-sized batches on a few cores: AQE coalesces the shuffle partitions down to what the data needs.
                .config("spark.sql.shuffle.partitions", "16")
                .config("spark.sql.adaptive.enabled", "true")
                .config("spark.sql.adaptive.coalescePartitions.enabled", "true")
                .config("spark.databricks.delta.snapshotPartitions", "2")
                .config("spark.databricks.delta.schema.autoMerge.enabled", "false")
                .config("spark.sql.sources.partitionOverwriteMode", "static")
                // Partitioned writes (staging by outcome and table, Delta tables by cluster and day) keep one open
                // file per partition value instead of sorting every row by the partition columns first: a day
                // has few partition values and many rows, and the sort was most of the write's time.
                .config("spark.sql.optimizer.plannedWrite.enabled", "false")
                .config("spark.sql.maxConcurrentOutputFileWriters", "32");
        if (!master.isBlank()) {
            builder.master(master);
        }
        return builder.getOrCreate();
    }
}
