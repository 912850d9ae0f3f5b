package io.costlake.costmodel.allocation;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.shiftleft;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import io.costlake.costmodel.CostModelConfig;
import io.costlake.costmodel.JoinKeys;
import io.costlake.costmodel.LatestValues;
import io.costlake.costmodel.pricing.NodeRates;
import io.costlake.ingest.bronze.SeriesSamples;

/**
 * Allocation per container per sample interval (DESIGN §4): {@code cpu = max(request, usage)} cores,
 * {@code ram = max(request, usage)} GiB, {@code gpu} = requested GPUs (a MIG slice as its sevenths, a
 * time-sliced GPU divided by the node's replicas). When a node's allocations of a resource exceed its
 * capacity in an interval, they are scaled down proportionally to fit, so idle never goes negative.
 *
 * <p>All metric families are brought into one row shape, partitioned by (cluster, node) once, and then
 * aggregated and windowed on that partitioning. What a series means for the allocation (its node, its container,
 * which request it is) is worked out once per series, and its samples meet it by the series' 64-bit id; a
 * container is carried as one 64-bit {@link #containerId} instead of its namespace, pod and container names:
 * hashing, comparing, shuffling and staging those strings for every sample was most of the allocation's time.
 */
public final class ContainerAllocation {
    /** The union's column with a merged request block's memory request ({@link Measure#REQUESTS}); else null. */
    private static final String RAM_REQUEST = "ram_request";

    private final CostModelConfig config;

    public ContainerAllocation(CostModelConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /**
     * A container's identity within a cluster: a 64-bit hash of (cluster, namespace, pod, container). Callers
     * join the names back from a dimension with this same column, checking that no two containers share an id.
     */
    public static Column containerId() {
        return xxhash64(col("cluster"), col("namespace"), col("pod"), col("container"));
    }

    /**
     * Rows per (day, node_index, bucket, container_id), plus one row per node and bucket with
     * {@code is_container = false} (and a null container_id) that marks the node as present. Columns: the keys,
     * cpu_usage, cpu_request, ram_usage_gib, ram_request_gib, gpu_request, cpu_alloc, ram_alloc_gib, gpu_alloc
     * (after scaling), cpu_want and ram_want (max of request and usage, before scaling),
     * cpu_cost, ram_cost, gpu_cost, priced (the node has rates) and node_intervals (1 on one row of each node and
     * interval, else 0: their sum over a node's rows is the number of intervals it was present in).
     *
     * <p>Each input is a table's samples by series id and its series' columns ({@link SeriesSamples}) of the
     * days to allocate; the series it joins must have unique ids ({@link #checkSeriesIds}). What a series means
     * for the allocation (its node, container and which request it is) is worked out once per series; a sample
     * then meets it through a broadcast join on the one 64-bit id.
     */
    public Allocations allocate(SeriesSamples cpuUsage, SeriesSamples memory, SeriesSamples resources,
            SeriesSamples capacity, Dataset<Row> podInfo, Dataset<Row> nodeRates) {
        int step = config.stepSeconds();
        double hours = config.sampleHours();

        // A series without a node label takes its pod's node from kube_pod_info.
        Dataset<Row> podNodes = LatestValues.per("cluster", "namespace", "pod").value("pod_node", col("node"))
                .of(podInfo.where(col("node").isNotNull()));
        // Per series, so small; persisted because the node index reads them before the samples do.
        Dataset<Row> cpuSeries = containerSeries(cpuUsage.series(), podNodes).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> memorySeries = containerSeries(memory.series(), podNodes).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> resourceSeries = resourceSeries(resources.series(), podNodes)
                .persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> nodeSeries = nodeSeries(capacity).persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> nodes = nodeIndex(cpuSeries, memorySeries, resourceSeries, nodeSeries);
        checkSeriesIds(cpuSeries, memorySeries, resourceSeries, nodeSeries);

        // Usage varies from sample to sample and is shuffled a row per sample; requests and a node's presence
        // hold a value for hours, so they are shuffled as blocks of intervals and expanded after the shuffle.
        Dataset<Row> combined = perSample(cpuRates(cpuUsage.samples()), indexed(cpuSeries, nodes), step,
                        Measure.CPU_USAGE.code(), col("cpu_rate"))
                .unionByName(perSample(memory.samples(), indexed(memorySeries, nodes), step,
                        Measure.RAM_USAGE.code(), col("value")))
                .unionByName(requestBlocks(IntervalBlocks.of(resources.samples(), indexed(resourceSeries, nodes),
                        step, col("measure"), col("value"), col("weight"))))
                .unionByName(IntervalBlocks.of(capacity.samples(), indexed(nodeSeries, nodes), step,
                        Measure.PRESENCE.code(), lit(null).cast("double"), lit(1.0))
                        .withColumn(RAM_REQUEST, lit(null).cast("double")))
                .repartition(col("node_index"));

        // A node's own rows (its presence) have a null container_id, every container's a hash.
        Dataset<Row> samples = IntervalBlocks.expand(combined, step)
                .groupBy("day", "node_index", "bucket", "container_id")
                .agg(coalesce(avg(Measure.CPU_USAGE.value()), lit(0.0)).as("cpu_usage"),
                        coalesce(avg(Measure.RAM_USAGE.value()), lit(0.0)).divide(NodeRates.GIB).as("ram_usage_gib"),
                        coalesce(max(Measure.REQUESTS.value()), lit(0.0)).as("cpu_request"),
                        coalesce(max(when(Measure.REQUESTS.is(), col(RAM_REQUEST))), lit(0.0))
                                .divide(NodeRates.GIB).as("ram_request_gib"),
                        coalesce(max(Measure.GPU_WHOLE.value()), lit(0.0)).as("gpu_whole"),
                        coalesce(max(Measure.GPU_MIG.value()), lit(0.0)).as("gpu_mig"),
                        coalesce(max(Measure.GPU_SHARED.value()), lit(0.0)).as("gpu_shared"))
                .withColumn("is_container", col("container_id").isNotNull());

        // Only what the allocation computes with: the rest of a node's rate row (instance type, model, price
        // source, ...) would be copied to every staged row and never read from there.
        Dataset<Row> rates = indexed(nodeRates, nodes).select("node_index", "cpu_rate", "ram_rate", "gpu_rate",
                "cpu_cores", "ram_gib", "gpus", "gpu_replicas");
        Dataset<Row> priced = samples
                .join(broadcast(rates), JoinKeys.of("node_index"), "left")
                .withColumn("priced", col("cpu_rate").isNotNull())
                .withColumn("gpu_request", col("gpu_whole").plus(col("gpu_mig"))
                        .plus(col("gpu_shared").divide(coalesce(col("gpu_replicas"), lit(1.0)))))
                .withColumn("cpu_want", greatest(col("cpu_request"), col("cpu_usage")))
                .withColumn("ram_want", greatest(col("ram_request_gib"), col("ram_usage_gib")));

        // One window over each node and interval, ordered by container so that one row of each (the node's own,
        // whose container_id is null, else the first container's) can say it opens the interval: the node-days
        // count a node's intervals by those flags without grouping the rows by interval again. The capacity
        // totals are taken over the whole interval in the same window, so the rows are sorted once and windowed
        // once (a window per total and one for the flag sorted them twice and buffered them four times).
        // The window's first key is the node and interval packed in one long, so that its sort compares most rows
        // by that 64-bit prefix alone: led by node_index, whose prefix all of a node's rows share, nearly every
        // comparison read both rows' fields. node_index and bucket stay keys: the rows are partitioned by the
        // node, and the packed key only orders.
        WindowSpec nodeInterval = Window.partitionBy(nodeIntervalKey(), col("node_index"), col("bucket"))
                .orderBy(col("container_id").asc_nulls_first());
        WindowSpec wholeInterval = nodeInterval.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
        Dataset<Row> scaled = priced
                .select(col("*"), containerTotal(col("cpu_want"), wholeInterval).as("cpu_total"),
                        containerTotal(col("ram_want"), wholeInterval).as("ram_total"),
                        containerTotal(col("gpu_request"), wholeInterval).as("gpu_total"),
                        row_number().over(nodeInterval).as("interval_row"))
                .withColumn("cpu_alloc", scaleToCapacity(col("cpu_want"), col("cpu_cores"), col("cpu_total")))
                .withColumn("ram_alloc_gib", scaleToCapacity(col("ram_want"), col("ram_gib"), col("ram_total")))
                .withColumn("gpu_alloc", scaleToCapacity(col("gpu_request"), col("gpus"), col("gpu_total")))
                .withColumn("node_intervals", when(col("interval_row").equalTo(1), lit(1)).otherwise(lit(0)))
                .drop("cpu_total", "ram_total", "gpu_total", "interval_row");

        Column isPricedContainer = col("priced").and(col("is_container"));
        return new Allocations(scaled
                .withColumn("cpu_cost", when(isPricedContainer,
                        col("cpu_alloc").multiply(col("cpu_rate")).multiply(hours)).otherwise(lit(0.0)))
                .withColumn("ram_cost", when(isPricedContainer,
                        col("ram_alloc_gib").multiply(col("ram_rate")).multiply(hours)).otherwise(lit(0.0)))
                .withColumn("gpu_cost", when(isPricedContainer,
                        col("gpu_alloc").multiply(col("gpu_rate")).multiply(hours)).otherwise(lit(0.0)))
                .drop("gpu_whole", "gpu_mig", "gpu_shared", "cpu_rate", "ram_rate", "gpu_rate", "cpu_cores", "ram_gib",
                        "gpus", "gpu_replicas"), nodes, List.of(cpuSeries, memorySeries, resourceSeries, nodeSeries));
    }

    /**
     * Every (cluster, node) of the series, numbered on the driver: a day has thousands of nodes at most, and one
     * int per row instead of two names makes the allocation's shuffle, aggregation keys, window sort and rate
     * lookup fixed-width. A container whose node is unknown (no label, no kube_pod_info) gets its cluster's
     * index with a null node.
     */
    private static Dataset<Row> nodeIndex(Dataset<Row>... series) {
        Dataset<Row> all = union(series, "cluster", "node");
        List<Row> distinct = all.distinct()
                .orderBy(col("cluster"), col("node").asc_nulls_first()).collectAsList();
        List<Row> numbered = new ArrayList<>(distinct.size());
        for (int i = 0; i < distinct.size(); i++) {
            numbered.add(RowFactory.create(i, distinct.get(i).getString(0), distinct.get(i).getString(1)));
        }
        StructType schema = new StructType().add("node_index", DataTypes.IntegerType, false)
                .add("cluster", DataTypes.StringType, false).add("node", DataTypes.StringType, true);
        return all.sparkSession().createDataFrame(numbered, schema);
    }

    /** Rows with (cluster, node) replaced by their node_index; a null node matches its cluster's null. */
    private static Dataset<Row> indexed(Dataset<Row> rows, Dataset<Row> nodes) {
        Column unknown = lit("");
        Dataset<Row> keyed = nodes.select(col("node_index"), col("cluster").as("index_cluster"),
                coalesce(col("node"), unknown).as("index_node"));
        return rows.join(broadcast(keyed), rows.col("cluster").equalTo(keyed.col("index_cluster"))
                        .and(coalesce(rows.col("node"), unknown).equalTo(keyed.col("index_node"))))
                .drop("index_cluster", "index_node", "cluster", "node");
    }

    /**
     * Fails when two of the series the allocation joins share an id: samples meet their series by the id alone,
     * so a shared id would give one series' samples to both. A lake ingested before series ids hashed the cluster
     * can have such ids across clusters; re-ingesting the day gives new ones. Reads the per-series tables the
     * node index has just persisted.
     */
    static void checkSeriesIds(Dataset<Row>... series) {
        Row counts = union(series, "series").agg(count(lit(1)), count_distinct(col("series"))).first();
        if (counts.getLong(0) != counts.getLong(1)) {
            throw new IllegalStateException((counts.getLong(0) - counts.getLong(1)) + " series of the day share a "
                    + "64-bit id with another series (a lake ingested before ids hashed the cluster has such ids "
                    + "across clusters): ingest the day again");
        }
    }

    /** The given columns of every table, one after the other. */
    private static Dataset<Row> union(Dataset<Row>[] tables, String... columns) {
        Dataset<Row> all = null;
        for (Dataset<Row> table : tables) {
            Dataset<Row> selected = table.select(columns[0], Arrays.copyOfRange(columns, 1, columns.length));
            all = all == null ? selected : all.union(selected);
        }
        return requireNonNull(all, "no table");
    }

    /**
     * A table's samples with its series' allocation columns, in the one narrow row shape all inputs are unioned
     * into: day, node_index, bucket, container_id, measure (a {@link Measure} code), value, intervals (null:
     * a row per sample, see {@link IntervalBlocks}) and {@value #RAM_REQUEST} (null but on merged request blocks,
     * see {@link #requestBlocks}). A sample fills one measure, so a row names it rather than carrying a column per
     * measure, all but one of them null: the union is shuffled, and its rows are half as wide this way.
     */
    private static Dataset<Row> perSample(Dataset<Row> samples, Dataset<Row> series, int step, Column measure,
            Column value) {
        return samples.join(broadcast(series.drop("day")), JoinKeys.of("series"))
                .select(col("day"), col("node_index"), bucket(step), col("container_id"), measure.as("measure"),
                        value.as("value"), lit(null).cast("long").as(IntervalBlocks.INTERVALS),
                        lit(null).cast("double").as(RAM_REQUEST));
    }

    /**
     * A container's CPU and memory request blocks of the same intervals as one row (measure {@link
     * Measure#REQUESTS}: the CPU request as its value, the memory request in {@value #RAM_REQUEST}), with the
     * blocks of series that fill no measure but mark the container present; GPU request blocks as they are. Both
     * requests come from the same scrapes, so their blocks nearly always hold the same intervals: the expanded
     * union has a row per container and interval for both instead of one for each, a quarter fewer rows for the
     * allocation's aggregation to look up. Blocks whose intervals differ stay apart, which the maxima don't mind.
     */
    private static Dataset<Row> requestBlocks(Dataset<Row> blocks) {
        Column measure = col("block_measure");
        Column isGpu = measure.isin(Measure.GPU_WHOLE.ordinal(), Measure.GPU_MIG.ordinal(),
                Measure.GPU_SHARED.ordinal());
        return blocks.withColumnRenamed("measure", "block_measure")
                .groupBy(col("day"), col("node_index"), col("bucket"), col("container_id"),
                        col(IntervalBlocks.INTERVALS), when(isGpu, measure).otherwise(Measure.REQUESTS.code())
                                .as("measure"))
                .agg(max(when(isGpu.or(measure.equalTo(Measure.CPU_REQUEST.ordinal())), col("value"))).as("value"),
                        max(when(measure.equalTo(Measure.RAM_REQUEST.ordinal()), col("value"))).as(RAM_REQUEST));
    }

    /** A container series' node (its label, else its pod's), container id and the given columns of it. */
    private static Dataset<Row> containerSeries(Dataset<Row> series, Dataset<Row> podNodes, Column... more) {
        List<Column> columns = new ArrayList<>(List.of(col("cluster"), col("day"), col("series"),
                coalesce(col("node"), col("pod_node")).as("node"), containerId().as("container_id")));
        columns.addAll(List.of(more));
        return series.join(broadcast(podNodes), JoinKeys.of("cluster", "namespace", "pod"), "left")
                .select(columns.toArray(Column[]::new));
    }

    /**
     * The requests of container_resource, each series with the {@link Measure} it fills and the weight of its
     * values there: cpu and memory requests as they are, a MIG slice as its sevenths of a GPU, whole and
     * time-sliced GPUs as counts. A GPU count is the request, else the limit: Kubernetes requires them equal for
     * extended resources, and a limit alone implies the request. Other limits carry nothing the allocation uses
     * (a container with only a limit has an equal request, which the API server sets), so their series are not
     * joined and their samples go no further: on a cluster that sets limits they are a third of the container
     * samples.
     */
    private static Dataset<Row> resourceSeries(Dataset<Row> resources, Dataset<Row> podNodes) {
        Column resource = col("resource");
        Column migSlices = NodeRates.migSlices(resource);
        Column requests = col("kind").equalTo("requests");
        // A series fills one measure; one that fills none (the request of another resource) still marks its
        // container present in its intervals, as it always has.
        return containerSeries(resources.where(requests.or(resource.startsWith("nvidia_com_"))), podNodes,
                when(requests.and(resource.equalTo("cpu")), Measure.CPU_REQUEST.code())
                        .when(requests.and(resource.equalTo("memory")), Measure.RAM_REQUEST.code())
                        .when(resource.equalTo("nvidia_com_gpu"), Measure.GPU_WHOLE.code())
                        .when(migSlices.isNotNull(), Measure.GPU_MIG.code())
                        .when(resource.equalTo("nvidia_com_gpu_shared"), Measure.GPU_SHARED.code())
                        .as("measure"),
                when(migSlices.isNotNull(), migSlices.divide(NodeRates.MIG_SLICES_PER_GPU))
                        .otherwise(lit(1.0)).as("weight"));
    }

    /** kube_node_status_capacity's cpu series, one per node: a row per node and interval marks it present. */
    private static Dataset<Row> nodeSeries(SeriesSamples capacity) {
        return capacity.series().where(col("resource").equalTo("cpu"))
                .select(col("cluster"), col("day"), col("series"), col("node"),
                        lit(null).cast("long").as("container_id"));
    }

    /**
     * Per-interval CPU cores from the cumulative counter: the increase since the previous sample over the
     * time between them, with a drop read as a counter reset (the new value is the increase since the
     * restart, as Prometheus' rate() does). The first sample of a series takes the rate to the next one.
     * No extrapolation to the window edges, unlike PromQL's rate(). Per series (like rate()), ordered by a
     * 64-bit id and a timestamp only.
     */
    static Dataset<Row> cpuRates(Dataset<Row> cpuUsage) {
        WindowSpec series = Window.partitionBy(col("series")).orderBy("ts");
        Column t = col("ts").cast("double");
        Column prevValue = lag(col("value"), 1).over(series);
        Column prevT = lag(t, 1).over(series);
        Column nextValue = lead(col("value"), 1).over(series);
        Column nextT = lead(t, 1).over(series);
        Column backward = when(col("value").geq(prevValue), col("value").minus(prevValue)).otherwise(col("value"))
                .divide(t.minus(prevT));
        Column forward = when(nextValue.geq(col("value")), nextValue.minus(col("value"))).otherwise(nextValue)
                .divide(nextT.minus(t));
        return cpuUsage.withColumn("cpu_rate", coalesce(when(prevT.isNotNull().and(t.gt(prevT)), backward),
                when(nextT.isNotNull().and(nextT.gt(t)), forward), lit(0.0)));
    }

    /**
     * A node and sample interval packed in one long: the node's index in the upper 32 bits, the interval's start in
     * epoch seconds in the lower ones. It sorts as the pair does for intervals from 1970 to 2106 (below 2^32
     * seconds); outside them its bits overlap, which only reorders the window's groups, as node_index and bucket are
     * its keys too.
     */
    private static Column nodeIntervalKey() {
        return shiftleft(col("node_index").cast("long"), 32).bitwiseOR(col("bucket"));
    }

    /** The sum of what the containers of a node and interval want of a resource (the node's own row wants 0). */
    private static Column containerTotal(Column want, WindowSpec wholeInterval) {
        return sum(when(col("is_container"), want).otherwise(lit(0.0))).over(wholeInterval);
    }

    private static Column scaleToCapacity(Column want, Column capacity, Column total) {
        return when(capacity.isNotNull().and(total.gt(capacity)), want.multiply(capacity).divide(total))
                .otherwise(want);
    }

    /** Epoch second of the start of the sample interval that holds ts. */
    static Column bucket(int step) {
        return interval(step).multiply(step).as("bucket");
    }

    /** Number of the sample interval that holds ts, counted from the epoch: what {@link #bucket} starts. */
    static Column interval(int step) {
        return floor(col("ts").cast("long").divide(step));
    }

    /**
     * What the value of a row of the allocation's union measures. Its code (the ordinal) is what the rows carry:
     * never stored, only shuffled within one allocation, so reordering the constants changes nothing outside.
     */
    private enum Measure {
        CPU_USAGE, RAM_USAGE,
        /** A series' CPU or memory request: what a request block is before {@link #requestBlocks} merges it. */
        CPU_REQUEST, RAM_REQUEST,
        GPU_WHOLE, GPU_MIG, GPU_SHARED,
        /** A node's capacity sample: the node was there in that interval. */
        PRESENCE,
        /**
         * A container's requests of a block, merged: the CPU request as the value, the memory request in
         * {@value ContainerAllocation#RAM_REQUEST}.
         */
        REQUESTS;

        Column code() {
            return lit(ordinal());
        }

        Column is() {
            return col("measure").equalTo(ordinal());
        }

        /** The row's value where it measures this, else null (which the aggregates skip). */
        Column value() {
            return when(is(), col("value"));
        }
    }
}
