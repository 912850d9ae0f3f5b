package io.costlake.ingest.spark;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the one SparkSession a costlake JVM uses, with Delta Lake enabled. Local mode by default; any
 * Spark master URL (spark://, k8s://, yarn) works because nothing here assumes a local file system.
 */
public final class CostlakeSpark {
    /** local, local[N], local[*] and local[N,F]: executors in this JVM (local-cluster[...] starts other JVMs). */
    private static final Pattern LOCAL = Pattern.compile("local(\\[.*])?");

    private CostlakeSpark() {}

    /** Whether a master URL runs the executors in this JVM. */
    public static boolean isLocal(String master) {
        return LOCAL.matcher(master).matches();
    }

    public static SparkSession session(String master) {
        requireNonNull(master, "master is null");
        SparkSession.Builder builder = SparkSession.builder().appName("costlake").config(conf(master));
        if (!master.isBlank()) {
            builder.master(master);
        }
        return builder.getOrCreate();
    }

    /**
     * The session's settings: the spark.* system properties (spark-submit --conf, {@code --spark-conf}, -D) win over
     * costlake's defaults, so a cluster's own settings are never silently replaced.
     */
    static SparkConf conf(String master) {
        SparkConf conf = new SparkConf();
        defaults().forEach(conf::setIfMissing);
        // An empty master is spark-submit's, which SparkConf has read from the system properties.
        if (isLocal(master.isBlank() ? conf.get("spark.master", "") : master)) {
            localDefaults().forEach(conf::setIfMissing);
        }
        return conf;
    }

    /** The settings costlake needs or chose, in the order they are explained. */
    static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
        defaults.put("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
        defaults.put("spark.ui.enabled", "false");
        defaults.put("spark.sql.session.timeZone", "UTC");
        // Day-sized batches on a few cores: AQE coalesces the shuffle partitions down to what the data needs.
        defaults.put("spark.sql.shuffle.partitions", "16");
        defaults.put("spark.sql.adaptive.enabled", "true");
        defaults.put("spark.sql.adaptive.coalescePartitions.enabled", "true");
        defaults.put("spark.databricks.delta.snapshotPartitions", "2");
        defaults.put("spark.databricks.delta.schema.autoMerge.enabled", "false");
        defaults.put("spark.sql.sources.partitionOverwriteMode", "static");
        // Partitioned writes (staging by outcome and table, Delta tables by cluster and day) keep one open
        // file per partition value instead of sorting every row by the partition columns first: a day
        // has few partition values and many rows, and the sort was most of the write's time.
        defaults.put("spark.sql.optimizer.plannedWrite.enabled", "false");
        defaults.put("spark.sql.maxConcurrentOutputFileWriters", "32");
        // Timestamps as Parquet's 64-bit microseconds instead of Spark's legacy 12-byte INT96: every bronze sample
        // has one, and writing it as INT96 (a dictionary of byte arrays, compared for min/max) was a quarter of
        // the bronze tables' write time. Readers of either kind read both.
        defaults.put("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
        // Compiled query code is cached by its source, 100 classes by default; a day's attribution, idle-GPU
        // detection and persist generate ~800 distinct classes, so with 100 the same code was compiled again and
        // again (1,100 compiles, 22 s of Janino on a 20-pod day). 2,000 keeps a day's code: ~250 compiles (the day
        // is a literal in some of it). Evicted classes are unloaded with their class loaders.
        defaults.put("spark.sql.codegen.cache.maxEntries", "2000");
        // An aggregation looks its keys up in one hash map, not first in a 65,536-entry "fast" map: the allocation
        // groups 51 million rows a 10,000-pod day into ~750,000 groups per task, so the small map is full early and
        // every later row probes it in vain before the large one (17 % of that stage in a profile). Off, the
        // stage's task time fell 8 %; the idle-GPU aggregations, whose groups fit the small map, did not change.
        defaults.put("spark.sql.codegen.aggregate.map.twolevel.enabled", "false");
        return defaults;
    }

    /**
     * What only a local master gets: the file system of {@code file:} paths (the lake on the local disk and every
     * staging directory) without a chmod or readlink process per file created or renamed, which Hadoop forks when
     * its native library is missing, as it is from Maven. A cluster's executors load the application's jar only
     * after their Hadoop configuration, and write to shared storage, not to file: paths.
     */
    static Map<String, String> localDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        ForklessLocalFileSystem.hadoopSettings().forEach((key, value) -> defaults.put("spark.hadoop." + key, value));
        return defaults;
    }
}
