package io.costlake.costmodel.idlegpu;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import io.costlake.costmodel.GoldTable;
import io.costlake.costmodel.JoinKeys;
import io.costlake.costmodel.LatestValues;
import io.costlake.ingest.bronze.BronzeTable;
import io.costlake.ingest.bronze.SeriesSamples;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.lake.LakeTable;

/**
 * Finds GPUs that are held but idle (DESIGN §5) in one day of bronze dcgm-exporter samples and writes the
 * gold tables {@code idle_gpu_episode} and {@code gpu_unallocated_daily} (and the silver open runs that
 * let the next day continue an episode across midnight). Run it after {@code CostAttribution.attribute}
 * for the same day: the GPU rate comes from gold {@code node_cost_daily} and the workload from gold
 * {@code container_cost_hourly} (else bronze {@code pod_info}); without them costs are 0 and workloads empty.
 *
 * <p>Midnight: the previous day's open run of the same GPU and pod (from {@link IdleGpuTable#OPEN_RUN})
 * is continued when the day's first hour is idle too, so the day's episode row starts on the previous day
 * and carries the hours, cost and statistics of both. The previous day's gold row of that episode (cut at
 * midnight) is not rewritten: the same episode then has one row per day it touched, with the same
 * (cluster, gpu_uuid, mig_instance, pod, start_at); the row of the latest day is the whole episode.
 * Re-running a day replaces its (cluster, day) partitions only, so it never splits nor duplicates.
 */
public final class IdleGpuDetector {
    private static final List<String> EPISODE_COLUMNS = List.of("cluster", "day", "node", "gpu_uuid", "gpu_model",
            "mig_profile", "mig_instance", "namespace", "pod", "workload_kind", "workload_name", "start_at", "end_at",
            "hours", "mean_util", "max_util", "mem_used_mib", "wasted_cost", "recommendation");
    private static final List<String> OPEN_RUN_COLUMNS = List.of("cluster", "day", "node", "gpu_uuid", "gpu_model",
            "mig_profile", "mig_instance", "namespace", "pod", "start_at", "end_at", "hours", "mean_util",
            "max_util", "mem_used_mib", "wasted_cost");
    private static final String[] RUN_KEY = {"cluster", "node", "gpu_uuid", "mig_instance", "namespace", "pod"};

    private final Lake lake;
    private final IdleGpuConfig config;

    public IdleGpuDetector(Lake lake, IdleGpuConfig config) {
        this.lake = requireNonNull(lake, "lake is null");
        this.config = requireNonNull(config, "config is null");
    }

    public IdleGpuResult detect(Collection<String> clusters, LocalDate day) {
        requireNonNull(clusters, "clusters is null");
        requireNonNull(day, "day is null");
        if (clusters.isEmpty()) {
            throw new IllegalArgumentException("no cluster to detect idle GPUs in");
        }
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        // The day's tables are read through one listing of each (Lake#ofDay).
        Lake reads = lake.ofDay(clusters, day);
        SeriesSamples gpu = bySeries(reads, BronzeTable.GPU, clusters, day);
        // Ingest writes every bronze table of a day together, so container_resource exists wherever gpu does.
        SeriesSamples resources = bySeries(reads, BronzeTable.CONTAINER_RESOURCE, clusters, day);
        List<Dataset<Row>> cached = new ArrayList<>();
        String staging = lake.newStagingPath("idle-gpus-" + day);
        try {
            GpuSamples.Bound bound = new GpuSamples(config).bind(gpu, resources, day);
            // Per GPU and sample, read by several queries: staged as Parquet, never held in the heap.
            Dataset<Row> samples = lake.stage(staging + "/samples", bound.samples());
            // The day's GPUs, a few thousand rows joined to the runs and the unallocated hours.
            Dataset<Row> gpus = bound.gpus().persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(gpus);
            Dataset<Row> rates = nodeRates(reads, clusters, day);
            IdleRuns idleRuns = new IdleRuns(config);
            // The day's pods by number, a few thousand rows read by the windows and the runs.
            Dataset<Row> pods = IdleRuns.pods(samples).persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(pods);
            Dataset<Row> runs = idleRuns.runs(idleRuns.idleHours(samples, pods, day), gpus, pods)
                    .join(broadcast(rates), JoinKeys.of("cluster", "node"), "left")
                    .withColumn("gpu_model", coalesce(col("model"), col("node_gpu_model")))
                    .withColumn("wasted_cost", col("hours").multiply(col("gpu_fraction"))
                            .multiply(coalesce(col("gpu_rate"), lit(0.0))));
            // Staged, not persisted: the runs read the previous day's open runs, so writing today's open runs
            // below makes Delta drop every cached plan that scans that table, and the episodes would compute all
            // the runs again (11 s of a 10,000-pod day's 38 s).
            Dataset<Row> continued = lake.stage(staging + "/runs",
                    continueFromPreviousDay(runs, clusters, day, dayStart));

            Dataset<Row> openRuns = continued.where(col("end_hour").equalTo(24))
                    .withColumn("day", lit(java.sql.Date.valueOf(day)))
                    .select(OPEN_RUN_COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new));

            Dataset<Row> episodes = continued.where(col("hours").geq(config.minIdleHours()))
                    .join(workloads(reads, clusters, day), JoinKeys.of("cluster", "namespace", "pod"), "left")
                    .withColumn("day", lit(java.sql.Date.valueOf(day)))
                    .withColumn("recommendation", new GpuRecommendation(config).column())
                    .select(EPISODE_COLUMNS.stream().map(org.apache.spark.sql.functions::col).toArray(Column[]::new))
                    .persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(episodes);

            double sampleHours = config.stepSeconds() / 3600.0;
            // Per GPU number first, then per GPU uuid: a GPU's MIG instances each have a number.
            Dataset<Row> unallocated = samples.where(col("pod").isNull().and(col("unresolved").equalTo(false)))
                    .groupBy("gpu").agg(sum("gpu_fraction").as("fractions"))
                    .join(broadcast(gpus), JoinKeys.of("gpu"))
                    .groupBy("cluster", "node", "gpu_uuid")
                    .agg(sum("fractions").multiply(sampleHours).as("unallocated_hours"),
                            first(col("model"), true).as("model"))
                    .join(broadcast(rates), JoinKeys.of("cluster", "node"), "left")
                    .select(col("cluster"), lit(java.sql.Date.valueOf(day)).as("day"), col("node"), col("gpu_uuid"),
                            coalesce(col("model"), col("node_gpu_model")).as("gpu_model"),
                            col("unallocated_hours"),
                            col("unallocated_hours").multiply(coalesce(col("gpu_rate"), lit(0.0)))
                                    .as("unallocated_cost"))
                    // A row per GPU: one file a day, not one per shuffle partition.
                    .coalesce(1).persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(unallocated);
            // The three tables at once: each read only staged or cached rows, so none sees another's new day.
            lake.replaceAll(clusters, day, List.of(new Lake.Replacement(IdleGpuTable.OPEN_RUN, openRuns),
                    new Lake.Replacement(IdleGpuTable.EPISODE, episodes),
                    new Lake.Replacement(IdleGpuTable.UNALLOCATED, unallocated)));

            Row episodeTotals = episodes.agg(count(lit(1)), coalesce(sum("hours"), lit(0L)),
                    coalesce(sum("wasted_cost"), lit(0.0))).first();
            Row unallocatedTotals = unallocated.agg(coalesce(sum("unallocated_hours"), lit(0.0)),
                    coalesce(sum("unallocated_cost"), lit(0.0))).first();
            Row unresolved = samples.where(col("unresolved"))
                    .agg(coalesce(sum("gpu_fraction"), lit(0.0)).multiply(sampleHours)).first();
            return new IdleGpuResult(episodeTotals.getLong(0), ((Number) episodeTotals.get(1)).doubleValue(),
                    episodeTotals.getDouble(2), unallocatedTotals.getDouble(0), unallocatedTotals.getDouble(1),
                    unresolved.getDouble(0));
        } finally {
            cached.forEach(Dataset::unpersist);
            lake.deleteStaging(staging);
        }
    }

    /**
     * Joins runs that start at 00:00 with the previous day's open run of the same GPU and pod and adds the
     * absolute start_at / end_at. Columns: run columns with hours, mean_util, max_util, mem_used_mib and
     * wasted_cost covering the whole run.
     */
    private Dataset<Row> continueFromPreviousDay(Dataset<Row> runs, Collection<String> clusters, LocalDate day,
            long dayStart) {
        LocalDate previousDay = day.minusDays(1);
        Column previousEnd = timestamp_seconds(lit(dayStart));
        Lake previousReads = lake.ofDay(clusters, previousDay);
        Dataset<Row> previous = optional(previousReads, IdleGpuTable.OPEN_RUN, clusters, previousDay)
                .map(rows -> rows.where(col("end_at").equalTo(previousEnd))
                        .select(col("cluster"), col("node"), col("gpu_uuid"), col("mig_instance"), col("namespace"),
                                col("pod"), lit(0L).as("start_hour"), col("start_at").as("prev_start_at"),
                                col("hours").as("prev_hours"), col("mean_util").as("prev_mean_util"),
                                col("max_util").as("prev_max_util"), col("mem_used_mib").as("prev_mem_used_mib"),
                                col("wasted_cost").as("prev_wasted_cost")))
                .orElse(null);
        Dataset<Row> joined = runs.withColumn("start_hour", col("start_hour").cast("long"));
        if (previous == null) {
            joined = joined.withColumn("prev_start_at", lit(null).cast("timestamp"))
                    .withColumn("prev_hours", lit(null).cast("long"))
                    .withColumn("prev_mean_util", lit(null).cast("double"))
                    .withColumn("prev_max_util", lit(null).cast("double"))
                    .withColumn("prev_mem_used_mib", lit(null).cast("double"))
                    .withColumn("prev_wasted_cost", lit(null).cast("double"));
        } else {
            String[] key = new String[RUN_KEY.length + 1];
            System.arraycopy(RUN_KEY, 0, key, 0, RUN_KEY.length);
            key[RUN_KEY.length] = "start_hour";
            joined = joined.join(previous, JoinKeys.of(key), "left");
        }
        Column previousHours = coalesce(col("prev_hours"), lit(0L));
        Column hours = col("hours").plus(previousHours);
        return joined
                .withColumn("start_at", coalesce(col("prev_start_at"),
                        timestamp_seconds(col("start_hour").multiply(3600).plus(dayStart))))
                .withColumn("end_at", timestamp_seconds(col("end_hour").cast("long").multiply(3600).plus(dayStart)))
                .withColumn("mean_util", col("mean_util").multiply(col("hours"))
                        .plus(coalesce(col("prev_mean_util").multiply(previousHours), lit(0.0))).divide(hours))
                .withColumn("max_util", greatest(col("max_util"), col("prev_max_util")))
                .withColumn("mem_used_mib", greatest(col("mem_used_mib"), col("prev_mem_used_mib")))
                .withColumn("wasted_cost", col("wasted_cost").plus(coalesce(col("prev_wasted_cost"), lit(0.0))))
                .withColumn("hours", hours.cast("int"));
    }

    /** GPU rate and model per node of the day from gold node_cost_daily; empty when attribution did not run. */
    private Dataset<Row> nodeRates(Lake reads, Collection<String> clusters, LocalDate day) {
        return optional(reads, GoldTable.NODE_DAY, clusters, day)
                .map(rows -> rows.groupBy("cluster", "node").agg(first(col("gpu_rate"), true).as("gpu_rate"),
                        first(col("gpu_model"), true).as("node_gpu_model")))
                .orElseGet(() -> lake.spark().createDataFrame(List.of(), new StructType()
                        .add("cluster", DataTypes.StringType).add("node", DataTypes.StringType)
                        .add("gpu_rate", DataTypes.DoubleType).add("node_gpu_model", DataTypes.StringType)));
    }

    /**
     * Workload per pod: gold container_cost_hourly when attribution ran, else bronze pod_info (a ReplicaSet's
     * pods belong to the Deployment named without the pod-template hash, as in the cost model).
     */
    private Dataset<Row> workloads(Lake reads, Collection<String> clusters, LocalDate day) {
        StructType schema = new StructType().add("cluster", DataTypes.StringType).add("namespace", DataTypes.StringType)
                .add("pod", DataTypes.StringType).add("workload_kind", DataTypes.StringType)
                .add("workload_name", DataTypes.StringType);
        Dataset<Row> gold = optional(reads, GoldTable.CONTAINER_HOUR, clusters, day)
                .map(rows -> rows.groupBy("cluster", "namespace", "pod").agg(
                        first(col("workload_kind"), true).as("gold_kind"),
                        first(col("workload_name"), true).as("gold_name")))
                .orElseGet(() -> lake.spark().createDataFrame(List.of(), schema)
                        .withColumnRenamed("workload_kind", "gold_kind").withColumnRenamed("workload_name", "gold_name"));
        // Each pod_info series' last sample: LatestValues wants nothing else, and the day has one row per pod and
        // sample (14M at 10,000 pods).
        Dataset<Row> bronze = BronzeTable.POD_INFO.readLatest(reads).map(rows -> ofDay(rows, clusters, day))
                .map(rows -> LatestValues.per("cluster", "namespace", "pod")
                        .value("owner_kind", col("created_by_kind")).value("owner_name", col("created_by_name")).of(rows)
                        .withColumn("info_kind", when(col("owner_kind").equalTo("ReplicaSet"), lit("Deployment"))
                                .otherwise(col("owner_kind")))
                        .withColumn("info_name", when(col("owner_kind").equalTo("ReplicaSet"),
                                regexp_replace(col("owner_name"), "-[a-z0-9]{5,10}$", "")).otherwise(col("owner_name")))
                        .drop("owner_kind", "owner_name"))
                .orElseGet(() -> lake.spark().createDataFrame(List.of(), schema)
                        .withColumnRenamed("workload_kind", "info_kind").withColumnRenamed("workload_name", "info_name"));
        return gold.join(bronze, JoinKeys.of("cluster", "namespace", "pod"), "full_outer")
                .select(col("cluster"), col("namespace"), col("pod"),
                        coalesce(col("gold_kind"), col("info_kind")).as("workload_kind"),
                        coalesce(col("gold_name"), col("info_name")).as("workload_name"));
    }

    private SeriesSamples bySeries(Lake reads, BronzeTable table, Collection<String> clusters, LocalDate day) {
        return table.readBySeries(reads).orElseThrow(() -> new IllegalStateException("bronze table "
                        + table.tableName() + " does not exist in " + lake.root() + ": ingest the day first"))
                .where(dayOf(clusters, day));
    }

    private static Optional<Dataset<Row>> optional(Lake from, LakeTable table, Collection<String> clusters,
            LocalDate day) {
        return from.readAll(table).map(rows -> ofDay(rows, clusters, day));
    }

    private static Dataset<Row> ofDay(Dataset<Row> rows, Collection<String> clusters, LocalDate day) {
        return rows.where(dayOf(clusters, day));
    }

    private static Column dayOf(Collection<String> clusters, LocalDate day) {
        return col("cluster").isin(clusters.toArray()).and(col("day").equalTo(lit(java.sql.Date.valueOf(day))));
    }

}
