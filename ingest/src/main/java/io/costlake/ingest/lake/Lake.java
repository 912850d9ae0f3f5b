package io.costlake.ingest.lake;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

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
    private final SparkSession spark;
    private final String root;

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
        return root + "/" + table.layer() + "/" + table.tableName();
    }

    /** Replaces the rows of the given clusters and day with {@code rows}; other partitions are untouched. */
    public void replace(LakeTable table, Collection<String> clusters, LocalDate day, Dataset<Row> rows) {
        requireNonNull(table, "table is null");
        requireNonNull(clusters, "clusters is null");
        requireNonNull(day, "day is null");
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("no cluster to replace in " + table.tableName());
        }
        rows.write()
                .format("delta")
                .mode("overwrite")
                .option("replaceWhere", partitionPredicate(clusters, day))
                .partitionBy("cluster", "day")
                .save(path(table));
    }

    /** Rows of the given cluster and day, or empty when the table has never been written. */
    public Optional<Dataset<Row>> read(LakeTable table, String cluster, LocalDate day) {
        return readAll(table).map(rows -> rows.where(partitionPredicate(java.util.List.of(cluster), day)));
    }

    public Optional<Dataset<Row>> readAll(LakeTable table) {
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
