package io.costlake.costmodel.idlegpu;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * What to do about an idle episode, as a column over episode rows (needs mig_instance, gpu_model,
 * mem_used_mib, workload_kind).
 *
 * <ol>
 *   <li>{@code move to MIG slice <profile>}: a whole GPU of a MIG-capable model whose peak memory fits the
 *   smallest such slice. The workload keeps its memory (a loaded model stays warm) at a fraction of the
 *   cost, so this comes first.</li>
 *   <li>{@code scale to zero}: the pod belongs to a controller that can scale (Deployment, StatefulSet,
 *   ReplicaSet): scale it down while idle, e.g. with an autoscaler that can reach zero.</li>
 *   <li>{@code release}: anything else (Job, bare Pod, unknown owner, already a MIG slice that is idle):
 *   delete or finish the pod so the GPU returns to the pool.</li>
 * </ol>
 */
final class GpuRecommendation {
    static final String RELEASE = "release";
    static final String SCALE_TO_ZERO = "scale to zero";
    static final String MOVE_TO_MIG = "move to MIG slice ";

    private final IdleGpuConfig config;

    GpuRecommendation(IdleGpuConfig config) {
        this.config = requireNonNull(config, "config is null");
    }

    Column column() {
        Column wholeMigCapableGpu = col("mig_instance").equalTo("").and(col("mem_used_mib").isNotNull())
                .and(col("gpu_model").rlike("^(?:" + config.migCapableModels() + ")$"));
        Column scalable = col("workload_kind").isin("Deployment", "StatefulSet", "ReplicaSet");
        Column recommendation = null;
        for (IdleGpuConfig.MigSlice slice : config.migSlices()) {
            Column fits = wholeMigCapableGpu.and(col("mem_used_mib").leq(slice.memoryMib()));
            Column move = lit(MOVE_TO_MIG + slice.profile());
            recommendation = recommendation == null ? when(fits, move) : recommendation.when(fits, move);
        }
        recommendation = recommendation == null ? when(scalable, lit(SCALE_TO_ZERO))
                : recommendation.when(scalable, lit(SCALE_TO_ZERO));
        return recommendation.otherwise(lit(RELEASE));
    }
}
