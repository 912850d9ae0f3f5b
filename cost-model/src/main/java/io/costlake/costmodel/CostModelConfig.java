package io.costlake.costmodel;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Every knob of the cost model (DESIGN §4) with OpenCost-compatible defaults.
 *
 * @param stepSeconds sample interval; a sample at t stands for [t, t + step)
 * @param shareIdle spread each node's idle cost over its namespaces in proportion to their cost
 * @param sharedNamespaces namespaces whose cost is spread over the cluster's other namespaces
 * @param sharedByCost spread shared cost weighted by cost (true) or evenly (false)
 * @param costPoolLabel namespace label that names the cost pool
 * @param costPools explicit namespace → pool mapping; wins over the label
 * @param aggregateLabels pod labels (namespace label as fallback) to report costs by, e.g. team, app
 */
public record CostModelConfig(
        int stepSeconds,
        boolean shareIdle,
        List<String> sharedNamespaces,
        boolean sharedByCost,
        String costPoolLabel,
        Map<String, String> costPools,
        List<String> aggregateLabels) implements Serializable {

    public static final String IDLE = "__idle__";
    public static final String UNMOUNTED = "__unmounted__";
    public static final String UNASSIGNED_POOL = "unassigned";
    /** Label value of costs whose pod and namespace both lack the label. */
    public static final String UNLABELLED = "__unlabelled__";

    public CostModelConfig {
        if (stepSeconds < 1 || stepSeconds > 3600) {
            throw new IllegalArgumentException("stepSeconds must be within 1..3600, got " + stepSeconds);
        }
        sharedNamespaces = List.copyOf(requireNonNull(sharedNamespaces, "sharedNamespaces is null"));
        requireNonNull(costPoolLabel, "costPoolLabel is null");
        if (costPoolLabel.isBlank()) {
            throw new IllegalArgumentException("costPoolLabel is blank");
        }
        costPools = Map.copyOf(requireNonNull(costPools, "costPools is null"));
        aggregateLabels = List.copyOf(requireNonNull(aggregateLabels, "aggregateLabels is null"));
        if (aggregateLabels.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("aggregateLabels has a blank label");
        }
        if (aggregateLabels.stream().distinct().count() != aggregateLabels.size()) {
            throw new IllegalArgumentException("aggregateLabels lists a label twice: " + aggregateLabels);
        }
    }

    /** A configuration that reports by no label. */
    public CostModelConfig(int stepSeconds, boolean shareIdle, List<String> sharedNamespaces, boolean sharedByCost,
            String costPoolLabel, Map<String, String> costPools) {
        this(stepSeconds, shareIdle, sharedNamespaces, sharedByCost, costPoolLabel, costPools, List.of());
    }

    public static CostModelConfig defaults() {
        return new CostModelConfig(60, false, List.of(), true, "cost-pool", Map.of(), List.of());
    }

    public CostModelConfig withStepSeconds(int step) {
        return new CostModelConfig(step, shareIdle, sharedNamespaces, sharedByCost, costPoolLabel, costPools,
                aggregateLabels);
    }

    public CostModelConfig withShareIdle(boolean share) {
        return new CostModelConfig(stepSeconds, share, sharedNamespaces, sharedByCost, costPoolLabel, costPools,
                aggregateLabels);
    }

    public CostModelConfig withSharedNamespaces(List<String> namespaces, boolean byCost) {
        return new CostModelConfig(stepSeconds, shareIdle, namespaces, byCost, costPoolLabel, costPools,
                aggregateLabels);
    }

    public CostModelConfig withCostPools(String label, Map<String, String> pools) {
        return new CostModelConfig(stepSeconds, shareIdle, sharedNamespaces, sharedByCost, label, pools,
                aggregateLabels);
    }

    public CostModelConfig withAggregateLabels(List<String> labels) {
        return new CostModelConfig(stepSeconds, shareIdle, sharedNamespaces, sharedByCost, costPoolLabel, costPools,
                labels);
    }

    /** Hours one sample stands for. */
    public double sampleHours() {
        return stepSeconds / 3600.0;
    }

    /** The kube-state-metrics label column of the cost pool label: {@code cost-pool} → {@code label_cost_pool}. */
    public String costPoolLabelColumn() {
        return labelColumn(costPoolLabel);
    }

    /**
     * The kube-state-metrics column of a Kubernetes label: {@code app.kubernetes.io/name} →
     * {@code label_app_kubernetes_io_name}.
     */
    public static String labelColumn(String label) {
        return "label_" + label.replaceAll("[^A-Za-z0-9_]", "_");
    }
}
