package io.costlake.costmodel.allocation;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import io.costlake.costmodel.CostModelConfig;
import io.costlake.costmodel.JoinKeys;
import io.costlake.costmodel.LatestValues;
import io.costlake.costmodel.pricing.NodeRates;

/**
 * Allocation per container per sample interval (DESIGN §4): {@code cpu = max(request, usage)} cores,
 * {@code ram = max(request, usage)} GiB, {@code gpu} = requested GPUs (a MIG slice as its sevenths, a
 * time-sliced GPU divided by the node's replicas). When a node's allocations of a resource exceed its
 * capacity in an interval, they are scaled down proportionally to fit, so idle never goes negative.
 *
 * <p>All metric families are brought into one row shape, partitioned by (cluster, node) once, and then
 * aggregated and windowed on that partitioning: one shuffle for the whole day. A container is carried as one
 * 64-bit {@link #containerId} instead of its namespace, pod and container names: hashing, comparing, shuffling
 * and staging those strings for every sample was most of the allocation's time.
 */
public final class ContainerAllocation {
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
     * Rows per (cluster, day, node, bucket, container_id), plus one row per node and bucket with
     * {@code is_container = false} (and a null container_id) that marks the node as present. Columns: the keys,
     * cpu_usage, cpu_request, ram_usage_gib, ram_request_gib, gpu_request, cpu_alloc, ram_alloc_gib, gpu_alloc
     * (after scaling), cpu_want and ram_want (max of request and usage, before scaling),
     * cpu_cost, ram_cost, gpu_cost, priced, and the node's rate columns.
     */
    public Dataset<Row> allocate(Dataset<Row> cpuUsage, Dataset<Row> memory, Dataset<Row> resources,
            Dataset<Row> capacity, Dataset<Row> podInfo, Dataset<Row> nodeRates) {
        int step = config.stepSeconds();
        double hours = config.sampleHours();

        // A sample without a node label takes its pod's node from kube_pod_info, looked up by one 64-bit key and
        // only for such samples: a broadcast join on (cluster, namespace, pod) compared the key bytes of every
        // sample, a fifth of the allocation's first stage. Two pods sharing a key (p ~ pods^2 / 2^65) would
        // give one pod's node-less samples the other's node; the lookup keeps one row per key, so no sample is
        // ever duplicated.
        Column podKey = xxhash64(col("cluster"), col("namespace"), col("pod"));
        Dataset<Row> podNodes = LatestValues.per("cluster", "namespace", "pod").value("pod_node", col("node"))
                .of(podInfo.where(col("node").isNotNull()))
                .groupBy(podKey.as("pod_key")).agg(max("pod_node").as("pod_node"));

        Dataset<Row> combined = cpuRates(cpuUsage).select(keys(step, col("cpu_rate").as("cpu_usage"), nullDouble("ram_usage"),
                        nullDouble("cpu_request"), nullDouble("ram_request"), nullDouble("gpu_whole"),
                        nullDouble("gpu_mig"), nullDouble("gpu_shared"), lit(true).as("is_container")))
                .unionByName(memory.select(keys(step, nullDouble("cpu_usage"), col("value").as("ram_usage"),
                        nullDouble("cpu_request"), nullDouble("ram_request"), nullDouble("gpu_whole"),
                        nullDouble("gpu_mig"), nullDouble("gpu_shared"), lit(true).as("is_container"))))
                .unionByName(resourceColumns(resources, step))
                .unionByName(capacity.where(col("resource").equalTo("cpu")).select(
                        col("cluster"), col("day"), col("node"), bucket(step),
                        lit(null).cast("string").as("namespace"), lit(null).cast("string").as("pod"),
                        lit(null).cast("string").as("container"), nullDouble("cpu_usage"), nullDouble("ram_usage"),
                        nullDouble("cpu_request"), nullDouble("ram_request"), nullDouble("gpu_whole"),
                        nullDouble("gpu_mig"), nullDouble("gpu_shared"), lit(false).as("is_container")));

        Dataset<Row> located = combined
                .withColumn("pod_key", when(col("node").isNull(), podKey))
                .join(broadcast(podNodes), JoinKeys.of("pod_key"), "left")
                .withColumn("node", coalesce(col("node"), col("pod_node")))
                .withColumn("container_id", when(col("is_container"), containerId()))
                .drop("pod_key", "pod_node", "namespace", "pod", "container")
                .repartition(col("cluster"), col("node"));

        Dataset<Row> samples = located
                .groupBy("cluster", "day", "node", "bucket", "container_id", "is_container")
                .agg(coalesce(avg("cpu_usage"), lit(0.0)).as("cpu_usage"),
                        coalesce(avg("ram_usage"), lit(0.0)).divide(NodeRates.GIB).as("ram_usage_gib"),
                        coalesce(max("cpu_request"), lit(0.0)).as("cpu_request"),
                        coalesce(max("ram_request"), lit(0.0)).divide(NodeRates.GIB).as("ram_request_gib"),
                        coalesce(max("gpu_whole"), lit(0.0)).as("gpu_whole"),
                        coalesce(max("gpu_mig"), lit(0.0)).as("gpu_mig"),
                        coalesce(max("gpu_shared"), lit(0.0)).as("gpu_shared"));

        Dataset<Row> priced = samples
                .join(broadcast(nodeRates), JoinKeys.of("cluster", "day", "node"), "left")
                .withColumn("priced", col("cpu_rate").isNotNull())
                .withColumn("gpu_request", col("gpu_whole").plus(col("gpu_mig"))
                        .plus(col("gpu_shared").divide(coalesce(col("gpu_replicas"), lit(1.0)))))
                .withColumn("cpu_want", greatest(col("cpu_request"), col("cpu_usage")))
                .withColumn("ram_want", greatest(col("ram_request_gib"), col("ram_usage_gib")));

        WindowSpec nodeInterval = Window.partitionBy("cluster", "node", "bucket");
        Dataset<Row> scaled = priced
                .withColumn("cpu_alloc", scaleToCapacity(col("cpu_want"), col("cpu_cores"), nodeInterval))
                .withColumn("ram_alloc_gib", scaleToCapacity(col("ram_want"), col("ram_gib"), nodeInterval))
                .withColumn("gpu_alloc", scaleToCapacity(col("gpu_request"), col("gpus"), nodeInterval));

        Column isPricedContainer = col("priced").and(col("is_container"));
        return scaled
                .withColumn("cpu_cost", when(isPricedContainer,
                        col("cpu_alloc").multiply(col("cpu_rate")).multiply(hours)).otherwise(lit(0.0)))
                .withColumn("ram_cost", when(isPricedContainer,
                        col("ram_alloc_gib").multiply(col("ram_rate")).multiply(hours)).otherwise(lit(0.0)))
                .withColumn("gpu_cost", when(isPricedContainer,
                        col("gpu_alloc").multiply(col("gpu_rate")).multiply(hours)).otherwise(lit(0.0)))
                .drop("gpu_whole", "gpu_mig", "gpu_shared");
    }

    /**
     * Per-interval CPU cores from the cumulative counter: the increase since the previous sample over the
     * time between them, with a drop read as a counter reset (the new value is the increase since the
     * restart, as Prometheus' rate() does). The first sample of a series takes the rate to the next one.
     * No extrapolation to the window edges, unlike PromQL's rate().
     */
    static Dataset<Row> cpuRates(Dataset<Row> cpuUsage) {
        WindowSpec series = Window.partitionBy(col("cluster"), col("node"), containerId()).orderBy("ts");
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

    private static Dataset<Row> resourceColumns(Dataset<Row> resources, int step) {
        Column resource = col("resource");
        Column value = col("value");
        Column migSlices = regexp_extract(resource, "^nvidia_com_mig_([0-9]+)g", 1);
        Column requests = col("kind").equalTo("requests");
        // GPU count is the request, else the limit: Kubernetes requires them equal for extended resources,
        // and a limit alone implies the request. Other limits carry nothing the allocation uses (a container
        // with only a limit has an equal request, which the API server sets), so they are not shuffled: on a
        // cluster that sets limits they are a third of the container samples.
        return resources.where(requests.or(resource.startsWith("nvidia_com_"))).select(keys(step,
                nullDouble("cpu_usage"), nullDouble("ram_usage"),
                when(requests.and(resource.equalTo("cpu")), value).as("cpu_request"),
                when(requests.and(resource.equalTo("memory")), value).as("ram_request"),
                when(resource.equalTo("nvidia_com_gpu"), value).as("gpu_whole"),
                when(migSlices.notEqual(""), value.multiply(migSlices.cast("double"))
                        .divide(NodeRates.MIG_SLICES_PER_GPU)).as("gpu_mig"),
                when(resource.equalTo("nvidia_com_gpu_shared"), value).as("gpu_shared"),
                lit(true).as("is_container")));
    }

    private static Column scaleToCapacity(Column want, Column capacity, WindowSpec nodeInterval) {
        Column total = sum(when(col("is_container"), want).otherwise(lit(0.0))).over(nodeInterval);
        return when(capacity.isNotNull().and(total.gt(capacity)), want.multiply(capacity).divide(total))
                .otherwise(want);
    }

    private static Column[] keys(int step, Column... values) {
        Column[] columns = new Column[7 + values.length];
        columns[0] = col("cluster");
        columns[1] = col("day");
        columns[2] = col("node");
        columns[3] = bucket(step);
        columns[4] = col("namespace");
        columns[5] = col("pod");
        columns[6] = col("container");
        System.arraycopy(values, 0, columns, 7, values.length);
        return columns;
    }

    /** Epoch second of the start of the sample interval that holds ts. */
    static Column bucket(int step) {
        return floor(col("ts").cast("long").divide(step)).multiply(step).as("bucket");
    }

    private static Column nullDouble(String name) {
        return lit(null).cast("double").as(name);
    }

}
