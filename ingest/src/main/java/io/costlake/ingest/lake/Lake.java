package io.costlake.ingest.lake;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.plans.logical.Filter;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.VersionChecksum;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.AddFile;
import org.apache.spark.sql.delta.actions.Format;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.delta.constraints.Constraint;
import org.apache.spark.sql.delta.constraints.Constraints;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import io.delta.tables.DeltaTable;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The Delta Lake of one costlake installation: bronze, silver and gold tables under one root (a local
 * directory or any Hadoop URI). Every table is partitioned by (cluster, day) and every write of a day
 * replaces exactly the (cluster, day) partitions it covers, so re-running a day never appends twice.
 */
public final class Lake {
    private static final int PARALLEL_WRITES = 4;
    private static final List<String> PARTITION_COLUMNS = List.of("cluster", "day");
    /** Delta's table property for how many leading columns get per-file statistics; 0 keeps only row counts. */
    static final String STATISTICS_COLUMNS = "delta.dataSkippingNumIndexedCols";

    /** See {@link #stage}: a quarter of a million rows of a few columns is a file of a few MB. */
    private static final long STAGED_ROWS_PER_FILE = 250_000;

    private final SparkSession spark;
    private final String root;
    /** Tables without column statistics whose existing Delta metadata has been checked in this JVM. */
    private final Set<String> statisticsChecked;
    /** The clusters' day this lake's reads are pinned to ({@link #ofDay}), or null: every read sees the whole table. */
    private final PinnedDay pinned;

    public Lake(SparkSession spark, String root) {
        this(spark, root, ConcurrentHashMap.newKeySet(), null);
    }

    private Lake(SparkSession spark, String root, Set<String> statisticsChecked, PinnedDay pinned) {
        this.spark = requireNonNull(spark, "spark is null");
        requireNonNull(root, "root is null");
        if (root.isBlank()) {
            throw new IllegalArgumentException("lake root is blank");
        }
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
        this.statisticsChecked = requireNonNull(statisticsChecked, "statisticsChecked is null");
        this.pinned = pinned;
    }

    /**
     * This lake as the reader of one day sees it: a table's reads give the rows of the given clusters' day only,
     * from the files the day had in the table's version at its first read here (another day's rows are not there).
     * Writes are the lake's own (a table written through this view is listed afresh at its next read).
     *
     * <p>A read of a Delta table by its path lists the table's files anew for every query that scans it: Delta
     * plans each such query with a Spark job over the table's state, filtered to the query's partitions. A day's
     * attribution and idle-GPU detection scan the same few dozen tables in a hundred queries, and on a small
     * cluster's day those jobs were a third of the time. Here a table's day is listed once, from its version's
     * checksum where that lists the table's files (fewer than 50), else by one such job.
     */
    public Lake ofDay(Collection<String> clusters, LocalDate day) {
        requireNonNull(clusters, "clusters is null");
        requireNonNull(day, "day is null");
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("no cluster to read");
        }
        return new Lake(spark, root, statisticsChecked, new PinnedDay(Set.copyOf(clusters), day,
                new ConcurrentHashMap<>()));
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
        requireNonNull(rows, "rows is null");
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("no cluster to replace in " + table.tableName());
        }
        String path = path(table);
        if (!DeltaTable.isDeltaTable(spark, path)) {
            create(table, clusters, day, rows);
            forgetPinned(path);
            return;
        }
        if (!table.columnStatistics()) {
            withoutColumnStatistics(table);
        }
        // The transaction Delta's replaceWhere write would run, without what it adds around it on every write: a
        // count of the table's files for its metrics, which reconstructs the table's state from the log in a Spark
        // job (half of a small table's write), and a second such job to find the day's files, which the
        // checksum of the table's version lists (below).
        OptimisticTransaction transaction = DeltaLog.forTable(spark, path).startTransaction();
        // By name, as Delta's own write matches them; a missing, extra or retyped column is refused.
        String[] tableColumns = transaction.metadata().schema().fieldNames();
        Dataset<Row> inTableOrder = Set.of(tableColumns).equals(Set.of(rows.schema().fieldNames()))
                ? rows.select(java.util.Arrays.stream(tableColumns).map(rows::col).toArray(Column[]::new))
                : rows;
        checkLayout(transaction, path, day, inTableOrder.schema(), "rows");
        commitReplacement(transaction, clusters, day, writeDay(transaction, inTableOrder, clusters, day));
        forgetPinned(path);
    }

    /**
     * The first write of a table: created, partitioned by (cluster, day) with the table's settings, in the commit
     * that adds its rows. A {@code DataFrameWriter} did the same in its own command, with a Spark job or two more
     * per table around it, and the first run of a lake creates some twenty tables.
     */
    private void create(LakeTable table, Collection<String> clusters, LocalDate day, Dataset<Row> rows) {
        OptimisticTransaction transaction = DeltaLog.forTable(spark, path(table)).startTransaction();
        newTable(transaction, table, rows.schema());
        commitReplacement(transaction, clusters, day, writeDay(transaction, rows, clusters, day));
    }

    /** Makes the transaction create the table: its columns, partitioned by (cluster, day), with its settings. */
    private void newTable(OptimisticTransaction transaction, LakeTable table, StructType schema) {
        // A "delta." property set when the table is created: nothing to check later.
        Map<String, String> properties = table.columnStatistics() ? Map.of() : Map.of(STATISTICS_COLUMNS, "0");
        // Every column nullable, as Delta stores a DataFrame's schema.
        transaction.updateMetadataForNewTable(new Metadata(UUID.randomUUID().toString(), null, null,
                new Format("parquet", scalaMap(Map.of())), schema.asNullable().json(),
                CollectionConverters.asScala(PARTITION_COLUMNS).toList(), scalaMap(properties),
                Option.apply(System.currentTimeMillis())));
        if (!table.columnStatistics()) {
            statisticsChecked.add(path(table));
        }
    }

    /**
     * Replaces the given clusters' day of a table with Parquet files that already hold its rows: {@code files} by
     * cluster, each with the table's columns but cluster and day ({@code fileSchema}); a cluster without files
     * has no rows that day. The files are moved into the table and committed as they are, in one Delta
     * transaction that also removes the day's old files, instead of being read and written again: for a day's
     * bronze samples, tens of millions of rows, that rewrite was a fifth of the ingest. A table that does not
     * exist yet is created by the same commit.
     */
    public void replaceWithFiles(LakeTable table, Collection<String> clusters, LocalDate day,
            Map<String, List<DataFile>> files, StructType fileSchema) {
        requireNonNull(table, "table is null");
        requireNonNull(clusters, "clusters is null");
        requireNonNull(day, "day is null");
        requireNonNull(files, "files is null");
        requireNonNull(fileSchema, "fileSchema is null");
        if (!clusters.containsAll(files.keySet())) {
            throw new IllegalArgumentException("files of clusters " + files.keySet() + " outside " + clusters);
        }
        StructType tableSchema = new StructType().add("cluster", DataTypes.StringType)
                .add("day", DataTypes.DateType);
        for (StructField field : fileSchema.fields()) {
            tableSchema = tableSchema.add(field.name(), field.dataType());
        }
        String path = path(table);
        boolean exists = DeltaTable.isDeltaTable(spark, path);
        if (exists && !table.columnStatistics()) {
            withoutColumnStatistics(table);
        }
        OptimisticTransaction transaction = DeltaLog.forTable(spark, path).startTransaction();
        if (!exists) {
            newTable(transaction, table, tableSchema);
        }
        checkLayout(transaction, path, day, tableSchema, "files");
        List<Action> actions = new ArrayList<>();
        try {
            FileSystem fs = new Path(path).getFileSystem(spark.sparkContext().hadoopConfiguration());
            for (Map.Entry<String, List<DataFile>> ofCluster : files.entrySet()) {
                String directory = "cluster=" + ExternalCatalogUtils.escapePathName(ofCluster.getKey()) + "/day=" + day;
                for (DataFile file : ofCluster.getValue()) {
                    String relative = directory + "/part-" + UUID.randomUUID() + ".snappy.parquet";
                    Path target = new Path(path, relative);
                    fs.mkdirs(target.getParent());
                    if (!fs.rename(new Path(file.path()), target)) {
                        throw new IOException("cannot move " + file + " to " + target);
                    }
                    FileStatus status = fs.getFileStatus(target);
                    actions.add(new AddFile(new Path(relative).toUri().toString(),
                            partitionValues(ofCluster.getKey(), day), status.getLen(), status.getModificationTime(),
                            true, "{\"numRecords\":" + file.rows() + "}", null, null, Option.empty(), Option.empty(),
                            Option.empty()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move files into " + path, e);
        }
        commitReplacement(transaction, clusters, day, actions);
        forgetPinned(path);
    }

    /** Fails unless the table is partitioned by (cluster, day) and has the columns of {@code written}, in order. */
    private static void checkLayout(OptimisticTransaction transaction, String path, LocalDate day, StructType written,
            String what) {
        StructType existing = transaction.metadata().schema();
        if (!sameColumns(existing, written)
                || !CollectionConverters.asJava(transaction.metadata().partitionColumns()).equals(PARTITION_COLUMNS)) {
            throw new IllegalStateException("cannot replace " + day + " of " + path + ": the table has columns "
                    + existing.simpleString() + " partitioned by " + transaction.metadata().partitionColumns()
                    + ", the " + what + " " + written.simpleString());
        }
    }

    /**
     * Commits {@code added} (new files of the day) with the removal of the files the clusters' day had, as one
     * Delta transaction: readers see the old day or the new one, never both or neither.
     *
     * <p>The day's old files come from the checksum file of the version the transaction read, which lists every
     * file of a table of fewer than 50 files (Delta's {@code allFilesInCrc}); else from the table's state, which a
     * Spark job reconstructs from the log. A small table's replacement then runs no Spark job but its own write.
     * Either way the transaction records that it read the day's partitions, so a concurrent writer of the same
     * day makes this commit fail instead of leaving both days' files. A transaction that creates the table
     * ({@link #newTable}) has no old files to find.
     */
    private void commitReplacement(OptimisticTransaction transaction, Collection<String> clusters, LocalDate day,
            List<Action> added) {
        List<Action> actions = new ArrayList<>(added);
        if (transaction.readVersion() >= 0) {
            oldFilesOfDay(transaction, clusters, day).forEach(file -> actions.add(file.remove()));
        }
        transaction.commit(CollectionConverters.asScala(actions).toSeq(), new DeltaOperations.Write(SaveMode.Overwrite,
                Option.apply(CollectionConverters.asScala(PARTITION_COLUMNS).toSeq()),
                Option.apply(partitionPredicate(clusters, day)), Option.empty(), Option.empty(), Option.empty(),
                Option.empty()));
    }

    /** The files the clusters' day has in the version the transaction read, recorded as read by it. */
    private List<AddFile> oldFilesOfDay(OptimisticTransaction transaction, Collection<String> clusters,
            LocalDate day) {
        Optional<List<AddFile>> listed = listedFilesOfDay(transaction.snapshot(), clusters, day);
        Expression daysRead = resolvedPartitionPredicate(transaction.metadata(), clusters, day);
        if (listed.isPresent()) {
            transaction.trackReadPredicates(CollectionConverters.asScala(List.of(daysRead)).toList(), true, true);
            transaction.trackFilesRead(CollectionConverters.asScala(listed.get()).toList());
            return listed.get();
        }
        return CollectionConverters.asJava(transaction.filterFiles(
                CollectionConverters.asScala(List.of(daysRead)).toList(), false));
    }

    /**
     * The clusters' day's files in the snapshot's version, where its checksum lists the table's files (Delta writes
     * them into it for a table of fewer than 50 files): no Spark job. Empty when it does not list them.
     */
    private static Optional<List<AddFile>> listedFilesOfDay(Snapshot snapshot, Collection<String> clusters,
            LocalDate day) {
        Option<VersionChecksum> checksum = snapshot.checksumOpt();
        if (checksum.isEmpty() || checksum.get().allFiles().isEmpty()) {
            return Optional.empty();
        }
        Set<scala.collection.immutable.Map<String, String>> partitions = partitionsOf(clusters, day);
        return Optional.of(CollectionConverters.asJava(checksum.get().allFiles().get()).stream()
                .filter(file -> partitions.contains(file.partitionValues())).toList());
    }

    /**
     * The rows written as new files of the transaction's table. Each must be in the clusters' day: rows outside it
     * would never be replaced by a later run of their own day, so they are refused, as Delta's replaceWhere refuses
     * them.
     */
    private List<Action> writeDay(OptimisticTransaction transaction, Dataset<Row> rows, Collection<String> clusters,
            LocalDate day) {
        Constraint inDay = new Constraints.Check("costlake replaces " + partitionPredicate(clusters, day),
                parsed(partitionPredicate(clusters, day)));
        return new ArrayList<>(CollectionConverters.asJava(transaction.writeFiles(rows,
                CollectionConverters.asScala(List.of(inDay)).toList())));
    }

    private static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> map) {
        return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(map));
    }

    private Expression parsed(String predicate) {
        try {
            return spark.sessionState().sqlParser().parseExpression(predicate);
        } catch (org.apache.spark.sql.catalyst.parser.ParseException e) {
            throw new IllegalStateException("cannot parse " + predicate, e);
        }
    }

    /** The clusters' day as a predicate on the table's partition columns, resolved as Delta's filters are. */
    private Expression resolvedPartitionPredicate(Metadata metadata, Collection<String> clusters, LocalDate day) {
        StructType partitionSchema = metadata.partitionSchema();
        LogicalPlan analyzed = spark.createDataFrame(List.of(), partitionSchema)
                .where(partitionPredicate(clusters, day)).queryExecution().analyzed();
        return ((Filter) analyzed).condition();
    }

    /** The Delta partition values of the clusters' day, as a file's {@code partitionValues} holds them. */
    private static Set<scala.collection.immutable.Map<String, String>> partitionsOf(Collection<String> clusters,
            LocalDate day) {
        Set<scala.collection.immutable.Map<String, String>> partitions = new java.util.HashSet<>();
        for (String cluster : clusters) {
            partitions.add(partitionValues(cluster, day));
        }
        return partitions;
    }

    private static scala.collection.immutable.Map<String, String> partitionValues(String cluster, LocalDate day) {
        return scalaMap(Map.of("cluster", cluster, "day", day.toString()));
    }

    /** Same column names and types in the same order; nullability aside (Delta stores every column nullable). */
    private static boolean sameColumns(StructType left, StructType right) {
        if (left.fields().length != right.fields().length) {
            return false;
        }
        for (int i = 0; i < left.fields().length; i++) {
            if (!left.fields()[i].name().equals(right.fields()[i].name())
                    || !left.fields()[i].dataType().equals(right.fields()[i].dataType())) {
                return false;
            }
        }
        return true;
    }

    /** Turns off column statistics of an existing table (both callers have just found it), once per lake. */
    private void withoutColumnStatistics(LakeTable table) {
        String path = path(table);
        if (!statisticsChecked.add(path)) {
            return;
        }
        // The property from the current version's metadata: DESCRIBE DETAIL (DeltaTable#detail) also counts the
        // table's files, a state reconstruction in a Spark job, for each bronze table at a run's first ingest.
        Option<String> current = DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty())
                .metadata().configuration().get(STATISTICS_COLUMNS);
        if (!(current.isDefined() && "0".equals(current.get()))) {
            spark.sql("ALTER TABLE delta.`" + path.replace("`", "``") + "` SET TBLPROPERTIES ('"
                    + STATISTICS_COLUMNS + "' = '0')");
        }
    }

    /** One table's replacement of a day, for {@link #replaceAll}. */
    public record Replacement(LakeTable table, Dataset<Row> rows) implements TableWrite {
        public Replacement {
            requireNonNull(table, "table is null");
            requireNonNull(rows, "rows is null");
        }

        @Override
        public void writeTo(Lake lake, Collection<String> clusters, LocalDate day) {
            lake.replace(table, clusters, day, rows);
        }
    }

    /** One table's day as files that already hold its rows, for {@link #replaceAll} ({@link #replaceWithFiles}). */
    public record FileReplacement(LakeTable table, Map<String, List<DataFile>> files, StructType fileSchema)
            implements TableWrite {
        public FileReplacement {
            requireNonNull(table, "table is null");
            files = Map.copyOf(requireNonNull(files, "files is null"));
            requireNonNull(fileSchema, "fileSchema is null");
        }

        @Override
        public void writeTo(Lake lake, Collection<String> clusters, LocalDate day) {
            lake.replaceWithFiles(table, clusters, day, files, fileSchema);
        }
    }

    /** A Parquet file of a table's rows, and how many it holds (Delta's statistics of the file). */
    public record DataFile(String path, long rows) {
        public DataFile {
            requireNonNull(path, "path is null");
            if (rows < 0) {
                throw new IllegalArgumentException("negative row count " + rows + " of " + path);
            }
        }
    }

    /** A table's new day: rows to write, or files to commit. */
    public sealed interface TableWrite permits Replacement, FileReplacement {
        LakeTable table();

        /** Replaces the given clusters' day of the table in {@code lake}. */
        void writeTo(Lake lake, Collection<String> clusters, LocalDate day);
    }

    /**
     * Replaces several tables' day at once. The writes are independent, so they run concurrently: for a day
     * of a small cluster the time is mostly Delta's per-commit work on the driver, which then overlaps.
     */
    public void replaceAll(Collection<String> clusters, LocalDate day, List<? extends TableWrite> replacements) {
        int threads = Math.max(1, Math.min(PARALLEL_WRITES, replacements.size()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "costlake-lake-write");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> writes = new ArrayList<>();
            for (TableWrite replacement : replacements) {
                writes.add(pool.submit(() -> replacement.writeTo(this, clusters, day)));
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
        // Files of at most STAGED_ROWS_PER_FILE rows, so the queries that read them back can share them out over
        // the cores: a Parquet file of one row group is read by one task, and a write whose rows come from an
        // uneven shuffle (one large partition) would leave every later read of them to one core.
        rows.write().mode("overwrite").option("maxRecordsPerFile", STAGED_ROWS_PER_FILE).parquet(path);
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

    /**
     * All rows as readers see them ({@link LakeTable#rows}), or empty when the table has never been written; through
     * a day's view ({@link #ofDay}), the day's rows.
     */
    public Optional<Dataset<Row>> readAll(LakeTable table) {
        return readStored(table).map(stored -> table.rows(this, stored));
    }

    /**
     * All rows as the Delta table stores them, or empty when the table has never been written; through a day's view
     * ({@link #ofDay}), the day's rows.
     */
    public Optional<Dataset<Row>> readStored(LakeTable table) {
        String path = path(table);
        if (pinned == null) {
            return DeltaTable.isDeltaTable(spark, path)
                    ? Optional.of(spark.read().format("delta").load(path))
                    : Optional.empty();
        }
        DayFiles files = pinned.tables().get(path);
        if (files == null) {
            if (!DeltaTable.isDeltaTable(spark, path)) {
                return Optional.empty();
            }
            files = pinned.tables().computeIfAbsent(path, this::dayFiles);
        }
        // A new relation for every read, as a read by path gives: one read's columns are never another's, so
        // joining two reads of a table is not a self-join.
        return Optional.of(files.log().createDataFrame(files.snapshot(), files.files(), false, Option.empty()));
    }

    /** The pinned day's files of the table at {@code path}, from its current version. */
    private DayFiles dayFiles(String path) {
        DeltaLog log = DeltaLog.forTable(spark, path);
        Snapshot snapshot = log.update(false, Option.empty(), Option.empty());
        Optional<List<AddFile>> listed = listedFilesOfDay(snapshot, pinned.clusters(), pinned.day());
        scala.collection.immutable.Seq<AddFile> files;
        if (listed.isPresent()) {
            files = CollectionConverters.asScala(listed.get()).toList();
        } else {
            Expression daysRead = resolvedPartitionPredicate(snapshot.metadata(), pinned.clusters(), pinned.day());
            files = snapshot.filesForScan(CollectionConverters.asScala(List.of(daysRead)).toList(), false).files();
        }
        return new DayFiles(log, snapshot, files);
    }

    /** A table this view has written is listed afresh at its next read. */
    private void forgetPinned(String path) {
        if (pinned != null) {
            pinned.tables().remove(path);
        }
    }

    /** See {@link #ofDay}. */
    private record PinnedDay(Set<String> clusters, LocalDate day, Map<String, DayFiles> tables) {}

    /** A table's files of the pinned day in one version of it. */
    private record DayFiles(DeltaLog log, Snapshot snapshot, scala.collection.immutable.Seq<AddFile> files) {}

    static String partitionPredicate(Collection<String> clusters, LocalDate day) {
        String inList = clusters.stream()
                .map(cluster -> "'" + cluster.replace("'", "''") + "'")
                .sorted()
                .collect(Collectors.joining(", "));
        return "cluster IN (" + inList + ") AND day = DATE'" + day + "'";
    }
}
