package io.costlake.costmodel.labels;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.time.LocalDate;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

import io.costlake.costmodel.CostModelConfig;
import io.costlake.costmodel.JoinKeys;
import io.costlake.costmodel.idlegpu.GpuSamples;
import io.costlake.costmodel.idlegpu.IdleGpuConfig;
import io.costlake.ingest.bronze.SeriesSamples;

/**
 * GPU-hours a pod used, from dcgm-exporter utilisation: per sample interval, the mean utilisation of each
 * GPU (MIG instance: its sevenths of a GPU) the pod held, a time-sliced GPU's divided evenly between the pods
 * that shared it in that interval. Pods are bound to GPUs as for idle-GPU detection; intervals without a
 * sample (lost scrapes) count as unknown, not idle, so usage is a lower bound where scrapes were lost.
 */
final class GpuUsage {
    private final CostModelConfig config;

    GpuUsage(CostModelConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /**
     * Columns: cluster, namespace, pod, gpu_usage_hours; only pods that held a GPU in a sampled interval.
     *
     * @param gpu bronze gpu samples and series of the day
     * @param resources bronze container_resource samples and series of the day (to bind GPUs of exporters without pod labels)
     */
    Dataset<Row> perPod(SeriesSamples gpu, SeriesSamples resources, LocalDate day) {
        IdleGpuConfig binding = IdleGpuConfig.defaults().withStepSeconds(config.stepSeconds());
        GpuSamples.Bound bound = new GpuSamples(binding).bind(gpu, resources, day);
        Dataset<Row> held = bound.samples()
                .where(col("pod").isNotNull().and(col("unresolved").equalTo(false)).and(col("util").isNotNull()))
                .groupBy("gpu", "bucket", "namespace", "pod")
                .agg(avg(col("util").multiply(col("gpu_fraction"))).divide(100).as("gpus_used"));
        return held
                .withColumn("holders", count(lit(1)).over(Window.partitionBy("gpu", "bucket")))
                .join(broadcast(bound.gpus().select("gpu", "cluster")), JoinKeys.of("gpu"))
                .groupBy("cluster", "namespace", "pod")
                .agg(sum(col("gpus_used").divide(col("holders"))).multiply(config.sampleHours())
                        .as("gpu_usage_hours"));
    }
}
