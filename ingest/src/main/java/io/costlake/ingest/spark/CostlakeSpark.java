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
                .config("spark.sql.sources.partitionOverwriteMode", "static");
        if (!master.isBlank()) {
            builder.master(master);
        }
        return builder.getOrCreate();
    }
}
