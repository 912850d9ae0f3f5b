package io.costlake.costmodel.idlegpu;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.ceil;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.dense_rank;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.time.LocalDate;
import java.time.ZoneOffset;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;

import io.costlake.costmodel.JoinKeys;

/**
 * Idle hours and the runs of consecutive idle hours of one day (DESIGN §5), from {@link GpuSamples}.
 *
 * <p>Everything is a window or a group over one GPU's samples: tenures are "gaps and islands" over the
 * GPU's instants (a new island starts where the pod changes or the GPU falls silent for longer than
 * {@code maxGapSeconds}); runs are islands over idle hours ({@code hour − row_number()} is constant along
 * consecutive hours). See {@link IdleGpuConfig} for why tenure and not a sample count decides "held".
 */
final class IdleRuns {
    private final IdleGpuConfig config;

    IdleRuns(IdleGpuConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    /**
     * The day's pods (namespace and pod of the samples that name one), numbered densely: a few thousand rows. The
     * windows over every sample sort and compare the number, and the names are joined back to the runs; carrying
     * and comparing a pod's two strings with each of the day's samples was a third of those windows' task time.
     */
    static Dataset<Row> pods(Dataset<Row> samples) {
        return samples.where(col("pod").isNotNull()).select("namespace", "pod").distinct()
                .withColumn("pod_no", dense_rank().over(Window.orderBy(col("namespace"), col("pod"))));
    }

    /**
     * Hours (0–23) in which one pod held the GPU the whole hour. Columns: gpu (its number), pod_no (the pod's
     * number in {@code pods}), hour.
     */
    Dataset<Row> heldHours(Dataset<Row> samples, Dataset<Row> pods, LocalDate day) {
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        double step = config.stepSeconds();
        WindowSpec byGpu = Window.partitionBy(col("gpu")).orderBy(col("epoch"), col("pod_no"));
        Column newTenure = lag(col("epoch"), 1).over(byGpu).isNull()
                .or(not(col("pod_no").eqNullSafe(lag(col("pod_no"), 1).over(byGpu))))
                .or(col("epoch").minus(lag(col("epoch"), 1).over(byGpu)).gt(config.maxGapSeconds()));
        // A sample without a pod has a null number: it ends the tenure before it like another pod does. The
        // namespace is matched null-safe: a pod named without one is still a pod, as in the runs' groups before.
        // (Renamed: pods derive from these samples, and a condition on columns of the same name is a self-join's.)
        Dataset<Row> numbered = pods.select(col("namespace").as("pod_namespace"), col("pod").as("pod_name"),
                col("pod_no"));
        Dataset<Row> tenures = samples.join(broadcast(numbered), col("namespace").eqNullSafe(col("pod_namespace"))
                        .and(col("pod").equalTo(col("pod_name"))), "left")
                .select(col("gpu"), col("epoch"), col("pod_no"))
                .withColumn("new_tenure", when(newTenure, lit(1)).otherwise(lit(0)))
                .withColumn("tenure", sum("new_tenure").over(
                        byGpu.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
                .where(col("pod_no").isNotNull())
                .groupBy("gpu", "tenure", "pod_no")
                .agg(min("epoch").minus(dayStart).as("first_s"), max("epoch").minus(dayStart).as("last_s"));
        // A tenure [first, last + step) holds hour h when it starts at most 1.5 steps after h and ends at
        // most 1.5 steps before h + 1: the scrape phase is arbitrary, and one lost scrape at the edge of the
        // day (where the neighbouring sample lies in the other day) must not cost the first or last hour.
        double edge = step * 1.5;
        Column firstHour = greatest(lit(0L), ceil(col("first_s").minus(edge).divide(3600)));
        Column lastHour = least(lit(23L), floor(col("last_s").plus(step + edge).divide(3600)).minus(1));
        return tenures
                .withColumn("first_hour", firstHour.cast("int"))
                .withColumn("last_hour", lastHour.cast("int"))
                .where(col("first_hour").leq(col("last_hour")))
                .select(col("gpu"), col("pod_no"), explode(sequence(col("first_hour"), col("last_hour"))).as("hour"));
    }

    /** Per GPU (its number) and hour: mean, max and count of utilisation, peak memory and the GPU's fraction. */
    Dataset<Row> hourStats(Dataset<Row> samples) {
        return samples.groupBy("gpu", "hour")
                .agg(avg("util").as("util_mean"), max("util").as("util_max"), count(col("util")).as("util_samples"),
                        max("fb_used_mib").as("fb_max"), max("gpu_fraction").as("gpu_fraction"));
    }

    /** Held hours whose mean utilisation (from enough samples) is below the threshold; the pod by its number. */
    Dataset<Row> idleHours(Dataset<Row> samples, Dataset<Row> pods, LocalDate day) {
        return heldHours(samples, pods, day)
                .join(hourStats(samples), JoinKeys.of("gpu", "hour"), "inner")
                .where(col("util_samples").geq(config.minSamplesPerHour())
                        .and(col("util_mean").lt(config.idleUtilPercent())));
    }

    /**
     * Runs of consecutive idle hours of the same GPU and pod within the day. Columns: GPU key (cluster, node,
     * gpu_uuid, mig_instance), namespace, pod, start_hour, end_hour (exclusive), hours, mean_util (mean of the
     * hourly means), max_util, mem_used_mib (peak), model, mig_profile, gpu_fraction.
     *
     * @param gpus the GPUs by number ({@link GpuSamples.Bound#gpus}), a few thousand rows whose names are joined to
     *         the runs instead of being carried through the windows over every sample
     * @param pods the pods by number ({@link #pods}), joined to the runs the same way
     */
    Dataset<Row> runs(Dataset<Row> idleHours, Dataset<Row> gpus, Dataset<Row> pods) {
        WindowSpec byGpuPod = Window.partitionBy(col("gpu"), col("pod_no")).orderBy(col("hour"));
        return idleHours
                .withColumn("island", col("hour").minus(row_number().over(byGpuPod)))
                .groupBy("gpu", "pod_no", "island")
                .agg(min("hour").as("start_hour"), max("hour").plus(1).as("end_hour"), count(lit(1)).as("hours"),
                        avg("util_mean").as("mean_util"), max("util_max").as("max_util"),
                        max("fb_max").as("mem_used_mib"), max("gpu_fraction").as("gpu_fraction"))
                .join(broadcast(gpus), JoinKeys.of("gpu"))
                .join(broadcast(pods), JoinKeys.of("pod_no"))
                .drop("gpu", "pod_no", "island");
    }
}
