package io.costlake.costmodel;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import io.costlake.costmodel.allocation.Allocations;
import io.costlake.costmodel.allocation.ContainerAllocation;
import io.costlake.costmodel.audit.AttributionResult;
import io.costlake.costmodel.audit.ClusterDayAudit;
import io.costlake.costmodel.audit.ConservationViolation;
import io.costlake.costmodel.labels.LabelCosts;
import io.costlake.costmodel.pricing.NodeRates;
import io.costlake.costmodel.storage.VolumeCosts;
import io.costlake.ingest.bronze.BronzeSeriesTable;
import io.costlake.ingest.bronze.BronzeTable;
import io.costlake.ingest.bronze.SeriesSamples;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.lake.LakeTable;
import io.costlake.ingest.pricing.PriceBook;

/**
 * Attributes one day of bronze samples of one or more clusters to nodes, containers, workloads,
 * namespaces and cost pools (DESIGN §4) and writes the gold tables. Each cluster is attributed on its
 * own; the conservation audit of every cluster-day must balance or the day fails.
 */
public final class CostAttribution {
    private final Lake lake;
    private final PriceBook prices;
    private final CostModelConfig config;

    public CostAttribution(Lake lake, PriceBook prices, CostModelConfig config) {
        this.lake = requireNonNull(lake, "lake is null");
        this.prices = requireNonNull(prices, "prices is null");
        this.config = requireNonNull(config, "config is null");
    }

    public AttributionResult attribute(Collection<String> clusters, LocalDate day) {
        requireNonNull(clusters, "clusters is null");
        requireNonNull(day, "day is null");
        SparkSession spark = lake.spark();
        // Every bronze table is read through one listing of the day's files (Lake#ofDay).
        Lake reads = lake.ofDay(clusters, day);
        double hours = config.sampleHours();

        Dataset<Row> nodeLabels = latestBronze(reads, BronzeTable.OBJECT_LABELS, clusters, day)
                .where(col("object_kind").equalTo("node")).withColumnRenamed("name", "node");
        SeriesSamples capacity = bySeries(reads, BronzeTable.NODE_CAPACITY, clusters, day);
        Dataset<Row> rates = new NodeRates(spark, prices).rates(capacity, nodeLabels,
                        latestBronze(reads, BronzeTable.GPU, clusters, day),
                        bronze(reads, BronzeTable.OPENCOST_PRICE, clusters, day))
                .persist(StorageLevel.MEMORY_AND_DISK());
        // Each pod's last kube_pod_info sample, a few thousand rows from a sample per pod and interval (12 million
        // at 10,000 pods): read four times (the nodes of three tables' series, the owners of the containers).
        Dataset<Row> podInfo = latestBronze(reads, BronzeTable.POD_INFO, clusters, day)
                .persist(StorageLevel.MEMORY_AND_DISK());
        List<Dataset<Row>> cached = new ArrayList<>(List.of(rates, podInfo));
        String staging = lake.newStagingPath("attribute-" + day);
        try {
            SeriesSamples cpuUsage = bySeries(reads, BronzeTable.CONTAINER_CPU_USAGE, clusters, day);
            SeriesSamples memory = bySeries(reads, BronzeTable.CONTAINER_MEMORY, clusters, day);
            SeriesSamples resources = bySeries(reads, BronzeTable.CONTAINER_RESOURCE, clusters, day);
            Allocations allocations = new ContainerAllocation(config)
                    .allocate(cpuUsage, memory, resources, capacity, podInfo, rates);
            cached.addAll(allocations.persisted());
            // Container-hours and node-days both come from this one aggregation of the per-interval rows, staged
            // (~220,000 rows a 10,000-pod day): staging the 12 million per-interval rows and reading them twice
            // was a fifth of the attribution.
            Dataset<Row> hourly = lake.stage(staging + "/hourly", hourly(allocations.rows(), hours));
            Dataset<Row> containers = containers(reads, clusters, day);
            cached.add(containers);
            Dataset<Row> containerHour = containerHours(hourly, allocations.nodes(), containers, podInfo)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(containerHour);
            // The daily tables have a row per node, volume or namespace: one partition each, so that their writes
            // run one task and add one file a day, not one per shuffle partition they were aggregated in (16 files
            // of a few dozen rows each, written and later read by a task each).
            Dataset<Row> nodeDay = nodeDays(hourly, allocations.nodes(), rates, hours).coalesce(1)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(nodeDay);
            Dataset<Row> volumes = new VolumeCosts(spark, prices, config).costs(
                            bronze(reads, BronzeTable.PV_CAPACITY, clusters, day),
                            bronze(reads, BronzeTable.PV_INFO, clusters, day),
                            bronze(reads, BronzeTable.PVC_INFO, clusters, day),
                            bronze(reads, BronzeTable.OPENCOST_PRICE, clusters, day))
                    .coalesce(1).persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(volumes);
            Dataset<Row> pools = costPools(latestBronze(reads, BronzeTable.OBJECT_LABELS, clusters, day), spark);
            Dataset<Row> namespaceDay = new NamespaceCosts(config).namespaceDays(containerHour, nodeDay, volumes, pools)
                    .coalesce(1).persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(namespaceDay);
            lake.replaceAll(clusters, day, List.of(
                    new Lake.Replacement(GoldTable.CONTAINER_HOUR, containerHour),
                    new Lake.Replacement(GoldTable.NODE_DAY, nodeDay),
                    new Lake.Replacement(GoldTable.VOLUME_DAY, volumes),
                    new Lake.Replacement(GoldTable.NAMESPACE_DAY, namespaceDay),
                    new Lake.Replacement(GoldTable.WORKLOAD_DAY, workloadDays(containerHour, pools)),
                    new Lake.Replacement(GoldTable.COST_POOL_DAY, costPoolDays(namespaceDay)),
                    new Lake.Replacement(GoldTable.LABEL_DAY, new LabelCosts(config).labelDays(containerHour,
                            namespaceDay, latestBronze(reads, BronzeTable.OBJECT_LABELS, clusters, day),
                            bySeries(reads, BronzeTable.GPU, clusters, day), resources, day))));

            List<ClusterDayAudit> audits = audit(clusters, day, nodeDay, volumes, namespaceDay, containerHour);
            lake.replace(GoldTable.AUDIT, clusters, day, auditRows(spark, audits));
            List<String> violations = audits.stream().filter(audit -> !audit.balanced())
                    .map(ClusterDayAudit::describe).toList();
            if (!violations.isEmpty()) {
                throw new ConservationViolation("conservation audit failed: " + String.join("; ", violations));
            }
            return new AttributionResult(audits);
        } finally {
            cached.forEach(Dataset::unpersist);
            lake.deleteStaging(staging);
        }
    }

    private Dataset<Row> bronze(Lake reads, BronzeTable table, Collection<String> clusters, LocalDate day) {
        return ofDay(reads.readAll(table), table, clusters, day);
    }

    /** A table's samples of the day by series id, and its series' columns. */
    private SeriesSamples bySeries(Lake reads, BronzeTable table, Collection<String> clusters, LocalDate day) {
        return table.readBySeries(reads).orElseThrow(() -> missing(table)).where(ofDay(clusters, day));
    }

    /**
     * The last sample of each series of an info-style table (kube_pod_info, the *_labels): every reader of those
     * takes the values a key last had ({@link LatestValues}), which the series' last samples give alike.
     */
    private Dataset<Row> latestBronze(Lake reads, BronzeTable table, Collection<String> clusters, LocalDate day) {
        return ofDay(table.readLatest(reads), table, clusters, day);
    }

    private Dataset<Row> ofDay(java.util.Optional<Dataset<Row>> rows, LakeTable table, Collection<String> clusters,
            LocalDate day) {
        return rows.orElseThrow(() -> missing(table)).where(ofDay(clusters, day));
    }

    private IllegalStateException missing(LakeTable table) {
        return new IllegalStateException("bronze table " + table.tableName() + " does not exist in " + lake.root()
                + ": ingest the day first");
    }

    private static Column ofDay(Collection<String> clusters, LocalDate day) {
        return col("cluster").isin(clusters.toArray()).and(col("day").equalTo(lit(java.sql.Date.valueOf(day))));
    }

    /**
     * The names of every container of the day by {@link ContainerAllocation#containerId}, from the bronze series
     * (one row per series, not per sample). Two containers with one id would mix their costs, so that is
     * checked, not assumed.
     */
    private Dataset<Row> containers(Lake reads, Collection<String> clusters, LocalDate day) {
        BronzeSeriesTable series = BronzeSeriesTable.INSTANCE;
        Dataset<Row> containers = ofDay(reads.readAll(series), series, clusters, day)
                .where(col(BronzeSeriesTable.TABLE).isin(BronzeTable.CONTAINER_CPU_USAGE.tableName(),
                        BronzeTable.CONTAINER_MEMORY.tableName(), BronzeTable.CONTAINER_RESOURCE.tableName()))
                .select("cluster", "namespace", "pod", "container").distinct()
                .withColumn("container_id", ContainerAllocation.containerId())
                .persist(StorageLevel.MEMORY_AND_DISK());
        Row ids = containers.agg(count(lit(1)), functions.count_distinct(col("cluster"), col("container_id")))
                .first();
        if (ids.getLong(0) != ids.getLong(1)) {
            containers.unpersist();
            throw new IllegalStateException("cannot attribute " + day + ": " + (ids.getLong(0) - ids.getLong(1))
                    + " containers share a 64-bit id (a hash of cluster, namespace, pod and container)");
        }
        return containers;
    }

    /**
     * Per (day, hour, node_index, container_id, is_container): the sums and maxima of the allocation's rows that
     * container-hours and node-days report; a node's own rows (is_container false, a null container_id) carry
     * its present intervals, node_intervals. Columns in the order the container-hour table has them.
     */
    private static Dataset<Row> hourly(Dataset<Row> allocations, double hours) {
        return allocations
                .withColumn("hour", timestamp_seconds(col("bucket").minus(col("bucket").mod(3600))))
                .groupBy("day", "hour", "node_index", "container_id", "is_container")
                .agg(sum("cpu_cost").as("cpu_cost"), sum("ram_cost").as("ram_cost"), sum("gpu_cost").as("gpu_cost"),
                        sum("cpu_request").multiply(hours).as("cpu_request_core_hours"),
                        sum("cpu_usage").multiply(hours).as("cpu_usage_core_hours"),
                        max("cpu_usage").as("cpu_usage_max"),
                        sum("cpu_want").multiply(hours).as("cpu_billable_core_hours"),
                        sum("cpu_alloc").multiply(hours).as("cpu_core_hours"),
                        sum("ram_request_gib").multiply(hours).as("ram_request_gib_hours"),
                        sum("ram_usage_gib").multiply(hours).as("ram_usage_gib_hours"),
                        max("ram_usage_gib").as("ram_usage_max_gib"),
                        sum("ram_want").multiply(hours).as("ram_billable_gib_hours"),
                        sum("ram_alloc_gib").multiply(hours).as("ram_gib_hours"),
                        sum("gpu_alloc").multiply(hours).as("gpu_hours"),
                        count(lit(1)).as("samples"),
                        sum(when(col("priced"), lit(0L)).otherwise(lit(1L))).as("unpriced_samples"),
                        sum("node_intervals").as("node_intervals"));
    }

    /**
     * Container-hour costs and usage, with the owning workload: a ReplicaSet's pods belong to the Deployment
     * whose name is the ReplicaSet's without its pod-template hash (as OpenCost and Kubecost report them).
     */
    private static Dataset<Row> containerHours(Dataset<Row> hourly, Dataset<Row> nodes, Dataset<Row> containers,
            Dataset<Row> podInfo) {
        Dataset<Row> owners = LatestValues.per("cluster", "namespace", "pod")
                .value("owner_kind", col("created_by_kind")).value("owner_name", col("created_by_name")).of(podInfo);
        Column isReplicaSet = col("owner_kind").equalTo("ReplicaSet");
        List<String> keys = List.of("day", "hour", "node_index", "container_id");
        Dataset<Row> perContainerId = hourly.where(col("is_container")).drop("is_container", "node_intervals");
        // The names back in place of the id, in the column order the gold table has always had.
        List<Column> named = new ArrayList<>(Stream.of("cluster", "day", "hour", "node", "namespace", "pod",
                "container").map(functions::col).toList());
        Stream.of(perContainerId.columns()).filter(name -> !keys.contains(name)).forEach(name -> named.add(col(name)));
        return perContainerId.join(broadcast(nodes), JoinKeys.of("node_index"))
                .join(broadcast(containers), JoinKeys.of("cluster", "container_id"))
                .select(named.toArray(Column[]::new))
                .join(broadcast(owners), JoinKeys.of("cluster", "namespace", "pod"), "left")
                .withColumn("workload_kind", when(isReplicaSet, lit("Deployment"))
                        .otherwise(coalesce(col("owner_kind"), lit("Pod"))))
                .withColumn("workload_name", when(isReplicaSet, regexp_replace(col("owner_name"), "-[a-z0-9]{5,10}$", ""))
                        .otherwise(coalesce(col("owner_name"), col("pod"))))
                .withColumn("total_cost", col("cpu_cost").plus(col("ram_cost")).plus(col("gpu_cost")))
                .drop("owner_kind", "owner_name");
    }

    /**
     * Node cost for every interval the node was present (a capacity sample or a container on it), and its
     * idle part: node cost minus what its containers were allocated, per resource.
     */
    private static Dataset<Row> nodeDays(Dataset<Row> hourly, Dataset<Row> nodes, Dataset<Row> rates, double hours) {
        Dataset<Row> perDay = hourly.groupBy("day", "node_index")
                .agg(sum("node_intervals").multiply(hours).as("hours"), sum("cpu_cost").as("cpu_alloc_cost"),
                        sum("ram_cost").as("ram_alloc_cost"), sum("gpu_cost").as("gpu_alloc_cost"))
                .join(broadcast(nodes), JoinKeys.of("node_index"));
        return perDay.join(rates, JoinKeys.of("cluster", "day", "node"), "inner")
                .withColumn("cpu_cost", col("hours").multiply(col("cpu_cores")).multiply(col("cpu_rate")))
                .withColumn("ram_cost", col("hours").multiply(col("ram_gib")).multiply(col("ram_rate")))
                .withColumn("gpu_cost", col("hours").multiply(col("gpus")).multiply(col("gpu_rate")))
                .withColumn("total_cost", col("cpu_cost").plus(col("ram_cost")).plus(col("gpu_cost")))
                .withColumn("cpu_idle_cost", idle(col("cpu_cost"), col("cpu_alloc_cost")))
                .withColumn("ram_idle_cost", idle(col("ram_cost"), col("ram_alloc_cost")))
                .withColumn("gpu_idle_cost", idle(col("gpu_cost"), col("gpu_alloc_cost")))
                .withColumn("idle_cost", col("cpu_idle_cost").plus(col("ram_idle_cost")).plus(col("gpu_idle_cost")))
                .select("cluster", "day", "node", "instance_type", "gpu_model", "price_source", "cpu_cores", "ram_gib",
                        "gpus", "hours", "hourly_price", "cpu_rate", "ram_rate", "gpu_rate", "cpu_cost", "ram_cost",
                        "gpu_cost", "total_cost", "cpu_alloc_cost", "ram_alloc_cost", "gpu_alloc_cost",
                        "cpu_idle_cost", "ram_idle_cost", "gpu_idle_cost", "idle_cost", "capacity_type");
    }

    /**
     * Node cost minus allocated cost. Allocations are scaled to capacity, so this is never negative beyond
     * floating-point noise, which is kept (not clamped) so the books balance exactly.
     */
    private static Column idle(Column nodeCost, Column allocated) {
        return nodeCost.minus(allocated);
    }

    /** Cost pool per (cluster, namespace): the config mapping, else the namespace label, else unassigned. */
    private Dataset<Row> costPools(Dataset<Row> objectLabels, SparkSession spark) {
        Dataset<Row> labelled = LatestValues.per("cluster", "name")
                .value("label_pool", nullif(col("labels").getItem(config.costPoolLabelColumn()), lit("")))
                .of(objectLabels.where(col("object_kind").equalTo("namespace")))
                .withColumnRenamed("name", "namespace");
        StructType schema = new StructType().add("namespace", DataTypes.StringType, false)
                .add("mapped_pool", DataTypes.StringType, false);
        List<Row> mapping = config.costPools().entrySet().stream()
                .map(entry -> RowFactory.create(entry.getKey(), entry.getValue())).toList();
        Dataset<Row> mapped = spark.createDataFrame(mapping, schema);
        return labelled.join(broadcast(mapped), JoinKeys.of("namespace"), "full_outer")
                .select(col("cluster"), col("namespace"), coalesce(col("mapped_pool"), col("label_pool")).as("pool"));
    }

    private static Dataset<Row> workloadDays(Dataset<Row> containerHour, Dataset<Row> pools) {
        return containerHour.groupBy("cluster", "day", "namespace", "workload_kind", "workload_name")
                .agg(sum("cpu_cost").as("cpu_cost"), sum("ram_cost").as("ram_cost"), sum("gpu_cost").as("gpu_cost"),
                        sum("total_cost").as("total_cost"),
                        sum("cpu_request_core_hours").as("cpu_request_core_hours"),
                        sum("cpu_usage_core_hours").as("cpu_usage_core_hours"),
                        sum("cpu_billable_core_hours").as("cpu_billable_core_hours"),
                        max("cpu_usage_max").as("cpu_usage_max"),
                        sum("ram_request_gib_hours").as("ram_request_gib_hours"),
                        sum("ram_usage_gib_hours").as("ram_usage_gib_hours"),
                        sum("ram_billable_gib_hours").as("ram_billable_gib_hours"),
                        max("ram_usage_max_gib").as("ram_usage_max_gib"),
                        sum("gpu_hours").as("gpu_hours"),
                        org.apache.spark.sql.functions.count_distinct(col("pod")).as("pods"))
                .join(pools.select(col("cluster"), col("namespace"), col("pool").as("cost_pool")),
                        JoinKeys.of("cluster", "namespace"), "left")
                .withColumn("cost_pool", coalesce(col("cost_pool"), lit(CostModelConfig.UNASSIGNED_POOL)))
                .withColumn("cpu_efficiency", ratio(col("cpu_usage_core_hours"), col("cpu_billable_core_hours")))
                .withColumn("ram_efficiency", ratio(col("ram_usage_gib_hours"), col("ram_billable_gib_hours")));
    }

    private static Dataset<Row> costPoolDays(Dataset<Row> namespaceDay) {
        return namespaceDay.groupBy("cluster", "day", "cost_pool")
                .agg(sum("cpu_cost").as("cpu_cost"), sum("ram_cost").as("ram_cost"), sum("gpu_cost").as("gpu_cost"),
                        sum("storage_cost").as("storage_cost"), sum("idle_cost").as("idle_cost"),
                        sum("shared_cost").as("shared_cost"), sum("total_cost").as("total_cost"),
                        sum("storage_gib_hours").as("storage_gib_hours"),
                        count(lit(1)).as("namespaces"));
    }

    static Column ratio(Column numerator, Column denominator) {
        return when(denominator.gt(0), numerator.divide(denominator));
    }

    private static List<ClusterDayAudit> audit(Collection<String> clusters, LocalDate day, Dataset<Row> nodeDay,
            Dataset<Row> volumes, Dataset<Row> namespaceDay, Dataset<Row> containerHour) {
        Dataset<Row> totals = nodeDay.groupBy("cluster").agg(sum("total_cost").as("node_cost"))
                .join(volumes.groupBy("cluster").agg(sum("storage_cost").as("volume_cost")), JoinKeys.of("cluster"),
                        "full_outer")
                .join(namespaceDay.groupBy("cluster").agg(sum("total_cost").as("namespace_cost")),
                        JoinKeys.of("cluster"), "full_outer")
                .join(containerHour.groupBy("cluster").agg(sum("samples").as("samples"),
                        sum("unpriced_samples").as("unpriced")), JoinKeys.of("cluster"), "full_outer");
        Set<String> seen = new TreeSet<>();
        List<ClusterDayAudit> audits = new ArrayList<>();
        for (Row row : totals.collectAsList()) {
            String cluster = row.getString(row.fieldIndex("cluster"));
            seen.add(cluster);
            audits.add(new ClusterDayAudit(cluster, day, doubleOrZero(row, "node_cost"),
                    doubleOrZero(row, "volume_cost"), doubleOrZero(row, "namespace_cost"), longOrZero(row, "samples"),
                    longOrZero(row, "unpriced")));
        }
        for (String cluster : new TreeSet<>(clusters)) {
            if (!seen.contains(cluster)) {
                audits.add(new ClusterDayAudit(cluster, day, 0, 0, 0, 0, 0));
            }
        }
        audits.sort(java.util.Comparator.comparing(ClusterDayAudit::cluster));
        return audits;
    }

    private static Dataset<Row> auditRows(SparkSession spark, List<ClusterDayAudit> audits) {
        StructType schema = new StructType()
                .add("cluster", DataTypes.StringType, false).add("day", DataTypes.DateType, false)
                .add("node_cost", DataTypes.DoubleType, false).add("volume_cost", DataTypes.DoubleType, false)
                .add("namespace_cost", DataTypes.DoubleType, false).add("delta", DataTypes.DoubleType, false)
                .add("relative_delta", DataTypes.DoubleType, false).add("balanced", DataTypes.BooleanType, false)
                .add("container_samples", DataTypes.LongType, false).add("unpriced_samples", DataTypes.LongType, false);
        List<Row> rows = audits.stream().map(audit -> RowFactory.create(audit.cluster(),
                java.sql.Date.valueOf(audit.day()), audit.nodeCost(), audit.volumeCost(), audit.namespaceCost(),
                audit.delta(), audit.relativeDelta(), audit.balanced(), audit.containerSamples(),
                audit.unpricedSamples())).toList();
        return spark.createDataFrame(rows, schema);
    }

    private static double doubleOrZero(Row row, String field) {
        int index = row.fieldIndex(field);
        return row.isNullAt(index) ? 0 : ((Number) row.get(index)).doubleValue();
    }

    private static long longOrZero(Row row, String field) {
        int index = row.fieldIndex(field);
        return row.isNullAt(index) ? 0 : ((Number) row.get(index)).longValue();
    }



}
