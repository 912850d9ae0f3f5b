package io.costlake.ingest.lake;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.delta.tables.DeltaTable;

/**
 * The Delta Lake of one costlake installation: bronze, silver and gold tables under one root (a local
 * directory or any Hadoop URI). Every table is partitioned by (cluster, day) and every write of a day
 * replaces exactly the (cluster, day) partitions it covers, so re-running a day never appends twice.
 */
public final class Lake {
    private static final int PARALLEL_WRITES = 4;
    /** Delta's table property for how many leading columns get per-file statistics; 0 keeps only row counts. */
    static final String STATISTICS_COLUMNS = "delta.dataSkippingNumIndexedCols";

    private final SparkSession spark;
    private final String root;
    /** Tables without column statistics whose existing Delta metadata has been checked in this JVM. */
    private final Set<String> statisticsChecked = ConcurrentHashMap.newKeySet();

    public Lake(SparkSession spark, String root) {
        this.spark = requireNonNull(spark, "spark is null");
        requireNonNull(root, "root is null");
        if (root.isBlank()) {
            throw new IllegalArgumentException("lake root is blank");
        }
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    public SparkSession spark() {
        return spark;
    }

    public String root() {
        return root;
    }

    public String path(LakeTable table) {
        return root + "/" + table.location();
    }

    /** Replaces the rows of the given clusters and day with {@code rows}; other partitions are untouched. */
    public void replace(LakeTable table, Collection<String> clusters, LocalDate day, Dataset<Row> rows) {
        requireNonNull(table, "table is null");
        requireNonNull(clusters, "clusters is null");
        requireNonNull(day, "day is null");
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("no cluster to replace in " + table.tableName());
        }
        DataFrameWriter<Row> writer = rows.write()
                .format("delta")
                .mode("overwrite")
                .option("replaceWhere", partitionPredicate(clusters, day))
                .partitionBy("cluster", "day");
        if (!table.columnStatistics()) {
            // A "delta." option becomes a table property when the write creates the table; a table an earlier
            // version created is altered once.
            writer = writer.option(STATISTICS_COLUMNS, "0");
            withoutColumnStatistics(table);
        }
        writer.save(path(table));
    }

    private void withoutColumnStatistics(LakeTable table) {
        String path = path(table);
        if (!statisticsChecked.add(path) || !DeltaTable.isDeltaTable(spark, path)) {
            return;
        }
        Row properties = DeltaTable.forPath(spark, path).detail().select("properties").first();
        Map<String, String> current = properties.getJavaMap(0);
        if (!"0".equals(current.get(STATISTICS_COLUMNS))) {
            spark.sql("ALTER TABLE delta.`" + path.replace("`", "``") + "` SET TBLPROPERTIES ('"
                    + STATISTICS_COLUMNS + "' = '0')");
        }
    }

    /** One table's replacement of a day, for {@link #replaceAll}. */
    public record Replacement(LakeTable table, Dataset<Row> rows) {
        public Replacement {
            requireNonNull(table, "table is null");
            requireNonNull(rows, "rows is null");
        }
    }

    /**
     * Replaces several tables' day at once. The writes are independent, so they run concurrently: for a day
     * of a small cluster the time is mostly Delta's per-commit work on the driver, which then overlaps.
     */
    public void replaceAll(Collection<String> clusters, LocalDate day, List<Replacement> replacements) {
        int threads = Math.max(1, Math.min(PARALLEL_WRITES, replacements.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "costlake-lake-write");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (Replacement replacement : replacements) {
                writes.add(pool.submit(() -> replace(replacement.table(), clusters, day, replacement.rows())));
            }
            for (Future<?> write : writes) {
                try {
                    write.get();
                } catch (ExecutionException e) {
                    writes.forEach(other -> other.cancel(false));
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    throw new IllegalStateException("cannot write to the lake at " + root, cause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to the lake at " + root, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** A new, unused path under {@code <root>/_staging} for intermediate files of one run. */
    public String newStagingPath(String name) {
        return root + "/_staging/" + name + "-" + java.util.UUID.randomUUID();
    }

    /**
     * Writes {@code rows} as Parquet at a staging path and returns them read back. For per-sample intermediate
     * results that several queries consume this is cheaper than {@code persist}: no cached batches are built and
     * serialized block by block, the columns read back vectorized and pruned, and nothing is held in the heap.
     */
    public Dataset<Row> stage(String path, Dataset<Row> rows) {
        requireNonNull(path, "path is null");
        requireNonNull(rows, "rows is null");
        rows.write().mode("overwrite").parquet(path);
        return spark.read().parquet(path);
    }

    /** Deletes a staging path; a failure to delete is not worth failing a run for. */
    public void deleteStaging(String path) {
        try {
            org.apache.hadoop.fs.Path staging = new org.apache.hadoop.fs.Path(path);
            staging.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(staging, true);
        } catch (java.io.IOException e) {
            org.slf4j.LoggerFactory.getLogger(Lake.class).warn("cannot delete staging {}: {}", path, e.getMessage());
        }
    }

    /** Rows of the given cluster and day, or empty when the table has never been written. */
    public Optional<Dataset<Row>> read(LakeTable table, String cluster, LocalDate day) {
        return readAll(table).map(rows -> rows.where(partitionPredicate(java.util.List.of(cluster), day)));
    }

    /** All rows as readers see them ({@link LakeTable#rows}), or empty when the table has never been written. */
    public Optional<Dataset<Row>> readAll(LakeTable table) {
        return readStored(table).map(stored -> table.rows(this, stored));
    }

    /** All rows as the Delta table stores them, or empty when the table has never been written. */
    public Optional<Dataset<Row>> readStored(LakeTable table) {
        String path = path(table);
        if (!DeltaTable.isDeltaTable(spark, path)) {
            return Optional.empty();
        }
        return Optional.of(spark.read().format("delta").load(path));
    }

    static String partitionPredicate(Collection<String> clusters, LocalDate day) {
        String inList = clusters.stream()
                .map(cluster -> "'" + cluster.replace("'", "''") + "'")
                .sorted()
                .collect(Collectors.joining(", "));
        return "cluster IN (" + inList + ") AND day = DATE'" + day + "'";
    }
}
