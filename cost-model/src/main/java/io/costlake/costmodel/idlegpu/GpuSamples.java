package io.costlake.costmodel.idlegpu;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.dense_rank;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.time.ZoneOffset;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import io.costlake.costmodel.JoinKeys;
import io.costlake.costmodel.pricing.NodeRates;
import io.costlake.ingest.bronze.SeriesSamples;

/**
 * One row per GPU (or MIG instance), scrape instant and holding pod: utilisation, memory and the pod that
 * holds it, from the bronze dcgm-exporter samples of one day.
 *
 * <p>Utilisation is {@code DCGM_FI_PROF_GR_ENGINE_ACTIVE × 100} where the exporter publishes it for that GPU
 * and instant, else {@code DCGM_FI_DEV_GPU_UTIL} (MIG instances only have the former). A time-sliced GPU
 * shared by two pods has two rows per instant, one per pod.
 *
 * <p><b>Pod binding.</b> The pod comes from the exporter's pod labels ({@code exported_*} variants are resolved
 * at ingest). Only on a node whose exporter published no pod label at all that day (pod-resources mapping
 * off) is the binding taken from {@code nvidia_com_gpu} requests (else limits), per scrape interval, and only
 * when it is unambiguous: exactly one pod on the node requests whole GPUs and it requests exactly as many as
 * the exporter reports (non-MIG) GPUs on the node — that pod holds all of them. With no GPU-requesting pod
 * the GPUs are unallocated. Anything else (several GPU pods, fewer GPUs requested than present) cannot say
 * which GPU is whose: those samples are <em>unresolved</em>, never reported as idle nor as unallocated, so
 * a finding never names a pod that may not hold the GPU.
 */
public final class GpuSamples {
    static final String GR_ENGINE_ACTIVE = "DCGM_FI_PROF_GR_ENGINE_ACTIVE";
    static final String GPU_UTIL = "DCGM_FI_DEV_GPU_UTIL";
    static final String FB_USED = "DCGM_FI_DEV_FB_USED";

    private final IdleGpuConfig config;

    public GpuSamples(IdleGpuConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /**
     * A day's GPU samples bound to their holders, and the GPUs they name.
     *
     * @param samples one row per GPU (or MIG instance), scrape instant and holding pod. Columns: gpu (a dense
     *         number of the GPU key within the day, {@link #gpus}' key), epoch (seconds), bucket (scrape interval
     *         index within the day), hour (0–23), namespace, pod (null when no pod holds the GPU), unresolved,
     *         util (0–100, may be null), fb_used_mib, gpu_fraction (1, or a MIG slice's sevenths)
     * @param gpus one row per gpu: cluster, node, gpu_uuid, mig_instance ('' for a whole GPU), model and
     *         mig_profile (may be null). A few thousand rows; the samples carry the number instead of these six
     *         strings, which writing, shuffling and grouping millions of sample rows spent most of their time on.
     */
    public record Bound(Dataset<Row> samples, Dataset<Row> gpus) {
        public Bound {
            requireNonNull(samples, "samples is null");
            requireNonNull(gpus, "gpus is null");
        }
    }

    /**
     * Binds the day's GPU samples to their holders ({@link Bound}).
     *
     * <p>A holder (a GPU or MIG instance and the pod the exporter names, if any) is found once per series: the
     * samples meet their holder by the series id and are merged per holder and instant on one integer, and the
     * holder's pod is joined back to the merged rows, a third as many as the samples. The GPUs are numbered
     * densely, not hashed, so two can never share a number; the idle runs' windows and groups key on it, not on
     * four strings whose sort prefix is the constant cluster name.
     *
     * @param gpu bronze gpu samples and series of the day
     * @param resources bronze container_resource samples and series of the day
     */
    public Bound bind(SeriesSamples gpu, SeriesSamples resources, LocalDate day) {
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        Column metric = col("metric");
        Dataset<Row> series = gpu.series()
                .where(col("uuid").isNotNull().and(col("node").isNotNull()))
                .select(col("series"), col("cluster"), col("node"), col("uuid").as("gpu_uuid"),
                        coalesce(col("mig_id"), lit("")).as("mig_instance"), col("namespace"), col("pod"), metric,
                        col("model"), col("mig_profile"));
        // Dense numbers, not hashes: two holders can never share one. The holders of a day are a few thousand.
        Column[] holderKey = {col("cluster"), col("node"), col("gpu_uuid"), col("mig_instance"), col("namespace"),
                col("pod")};
        // A GPU's key; a whole GPU has mig_instance ''.
        Column[] gpuKey = {col("cluster"), col("node"), col("gpu_uuid"), col("mig_instance")};
        Dataset<Row> numbered = series.withColumn("holder", dense_rank().over(Window.orderBy(holderKey)))
                .withColumn("gpu", dense_rank().over(Window.orderBy(gpuKey)));
        Dataset<Row> holders = numbered.groupBy(col("holder"))
                .agg(first(col("gpu")).as("gpu"), first(col("cluster")).as("cluster"), first(col("node")).as("node"),
                        first(col("gpu_uuid")).as("gpu_uuid"), first(col("mig_instance")).as("mig_instance"),
                        first(col("namespace")).as("namespace"), first(col("pod")).as("pod"),
                        first(col("model"), true).as("model"), first(col("mig_profile"), true).as("mig_profile"));
        Dataset<Row> gpus = holders.groupBy(col("gpu"))
                .agg(first(col("cluster")).as("cluster"), first(col("node")).as("node"),
                        first(col("gpu_uuid")).as("gpu_uuid"), first(col("mig_instance")).as("mig_instance"),
                        first(col("model"), true).as("model"), first(col("mig_profile"), true).as("mig_profile"));
        Dataset<Row> nodesWithPodLabels = holders.groupBy("cluster", "node")
                .agg(max(col("pod").isNotNull()).as("node_has_pod_labels"));
        Dataset<Row> unlabelledNodes = nodesWithPodLabels.where(not(col("node_has_pod_labels")))
                .select("cluster", "node");
        Dataset<Row> seriesHolders = numbered.join(broadcast(nodesWithPodLabels), JoinKeys.of("cluster", "node"))
                .select(col("series"), col("holder"), col("node_has_pod_labels"),
                        when(metric.equalTo(GR_ENGINE_ACTIVE), lit(100.0)).as("gr_weight"),
                        when(metric.equalTo(GPU_UTIL), lit(1.0)).as("dev_weight"),
                        when(metric.equalTo(FB_USED), lit(1.0)).as("fb_weight"));
        // Asked first (a few thousand holders): where every exporter maps pods, as it does by default, the
        // requests are never read, and the plan does not carry a second copy of the samples for them.
        if (unlabelledNodes.isEmpty()) {
            return new Bound(narrow(perInstant(gpu.samples(), seriesHolders, holders, dayStart)
                    .withColumn("unresolved", lit(false))), gpus);
        }
        // The series are split by their node before their samples are merged, so a labelled node's samples are
        // merged once, on their side only; merged first and split after, every sample was merged for each side.
        Column labelled = col("node_has_pod_labels");
        Dataset<Row> mapped = perInstant(gpu.samples(), seriesHolders.where(labelled), holders, dayStart)
                .withColumn("unresolved", lit(false));
        Dataset<Row> unmapped = perInstant(gpu.samples(), seriesHolders.where(not(labelled)), holders, dayStart);
        return new Bound(narrow(mapped.unionByName(
                fromRequests(unmapped, gpuRequests(resources, unlabelledNodes), dayStart))), gpus);
    }

    /** The columns of {@link Bound#samples}: the GPU by its number, the pod by name. */
    private static Dataset<Row> narrow(Dataset<Row> samples) {
        return samples.select("gpu", "epoch", "bucket", "hour", "namespace", "pod", "unresolved", "util",
                "fb_used_mib", "gpu_fraction");
    }

    /**
     * The samples of the given series merged per holder and instant, with the holder's columns: utilisation
     * (the engine activity where published, else the device utilisation), frame-buffer use, bucket, hour and
     * the GPU fraction a holder's MIG profile is.
     */
    private Dataset<Row> perInstant(Dataset<Row> samples, Dataset<Row> seriesHolders, Dataset<Row> holders,
            long dayStart) {
        return samples.join(broadcast(seriesHolders), JoinKeys.of("series"))
                .groupBy(col("holder"), col("ts").cast("long").as("epoch"))
                .agg(max(col("value").multiply(col("gr_weight"))).as("util_gr"),
                        max(col("value").multiply(col("dev_weight"))).as("util_dev"),
                        max(col("value").multiply(col("fb_weight"))).as("fb_used_mib"))
                .join(broadcast(holders), JoinKeys.of("holder"))
                .drop("holder")
                .withColumn("util", coalesce(col("util_gr"), col("util_dev")))
                .drop("util_gr", "util_dev")
                .withColumn("bucket", floor(col("epoch").minus(dayStart).divide(config.stepSeconds())))
                .withColumn("hour", floor(col("epoch").minus(dayStart).divide(3600)).cast("int"))
                .withColumn("gpu_fraction", when(col("mig_profile").isNotNull(),
                        regexp_extract(col("mig_profile"), "^([1-7])g", 1).cast("double")
                                .divide(NodeRates.MIG_SLICES_PER_GPU))
                        .otherwise(lit(1.0)))
                .withColumn("gpu_fraction", coalesce(col("gpu_fraction"), lit(1.0)));
    }

    /**
     * The nvidia_com_gpu requests and limits of pods on the given nodes (those whose exporter names no pod: only
     * their samples are bound from requests), as typed rows: their series are picked first, so the day's other
     * container_resource samples are only probed by their series id.
     */
    private static Dataset<Row> gpuRequests(SeriesSamples resources, Dataset<Row> nodes) {
        Dataset<Row> series = resources.series()
                .where(col("resource").equalTo("nvidia_com_gpu").and(col("node").isNotNull())
                        .and(col("pod").isNotNull()))
                .join(broadcast(nodes), JoinKeys.of("cluster", "node"), "left_semi")
                .select("series", "node", "namespace", "pod", "container", "kind", "resource");
        return resources.samples().join(broadcast(series), JoinKeys.of("series"));
    }

    /** Binds the samples of nodes without pod labels from the GPU requests on the node (the rule above). */
    private Dataset<Row> fromRequests(Dataset<Row> unmapped, Dataset<Row> resources, long dayStart) {
        Column isRequest = col("kind").equalTo("requests");
        Dataset<Row> perContainer = resources
                .where(col("resource").equalTo("nvidia_com_gpu").and(col("node").isNotNull())
                        .and(col("pod").isNotNull()))
                .withColumn("bucket", floor(col("ts").cast("long").minus(dayStart).divide(config.stepSeconds())))
                .groupBy("cluster", "node", "bucket", "namespace", "pod", "container")
                .agg(coalesce(max(when(isRequest, col("value"))), max(when(isRequest.equalTo(false), col("value"))))
                        .as("gpus"));
        Dataset<Row> perNode = perContainer.groupBy("cluster", "node", "bucket", "namespace", "pod")
                .agg(sum("gpus").as("gpus"))
                .where(col("gpus").gt(0))
                .groupBy("cluster", "node", "bucket")
                .agg(count(lit(1)).as("requesting_pods"), sum("gpus").as("requested_gpus"),
                        first("namespace").as("request_namespace"), first("pod").as("request_pod"));
        // The node's GPUs over the whole day, not per interval: one lost scrape of one GPU must not make the
        // binding of the others ambiguous.
        Dataset<Row> gpusSeen = unmapped.where(col("mig_instance").equalTo(""))
                .groupBy("cluster", "node")
                .agg(count_distinct(col("gpu_uuid")).as("gpus_seen"));
        Column single = col("requesting_pods").equalTo(1).and(col("requested_gpus").equalTo(col("gpus_seen")))
                .and(col("mig_instance").equalTo(""));
        Column requested = coalesce(col("requesting_pods"), lit(0L)).gt(0);
        return unmapped
                .join(perNode, JoinKeys.of("cluster", "node", "bucket"), "left")
                .join(gpusSeen, JoinKeys.of("cluster", "node"), "left")
                .withColumn("namespace", when(single, col("request_namespace")))
                .withColumn("pod", when(single, col("request_pod")))
                .withColumn("unresolved", requested.and(coalesce(single, lit(false)).equalTo(false)))
                .drop("requesting_pods", "requested_gpus", "request_namespace", "request_pod", "gpus_seen");
    }
}
