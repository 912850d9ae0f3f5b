package io.costlake.costmodel.pricing;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;

/**
 * Whether a node is spot (preemptible) or on-demand capacity, read from the labels the provisioners and
 * managed node groups put on it (as kube-state-metrics exports them: {@code label_} + the label name in snake
 * case with every character other than letters, digits and {@code _} replaced by {@code _}).
 */
public final class CapacityType {
    public static final String SPOT = "spot";
    public static final String ON_DEMAND = "on-demand";

    private CapacityType() {}

    /**
     * {@code spot} when any of the standard labels says so, else {@code on-demand} (a node without any of
     * them is on-demand, as OpenCost and Kubecost assume; kube-state-metrics writes camelCase label names in
     * snake case):
     * <ul>
     *   <li>Karpenter {@code karpenter.sh/capacity-type: spot}</li>
     *   <li>EKS managed node groups {@code eks.amazonaws.com/capacityType: SPOT}</li>
     *   <li>GKE {@code cloud.google.com/gke-spot: "true"} or {@code cloud.google.com/gke-preemptible: "true"}</li>
     *   <li>AKS {@code kubernetes.azure.com/scalesetpriority: spot}</li>
     * </ul>
     *
     * @param labels a map column of a node's {@code label_*} labels
     */
    public static Column of(Column labels) {
        Column spot = isValue(labels, "label_karpenter_sh_capacity_type", "spot")
                .or(isValue(labels, "label_eks_amazonaws_com_capacity_type", "spot"))
                .or(isValue(labels, "label_cloud_google_com_gke_spot", "true"))
                .or(isValue(labels, "label_cloud_google_com_gke_preemptible", "true"))
                .or(isValue(labels, "label_kubernetes_azure_com_scalesetpriority", "spot"));
        return when(spot, lit(SPOT)).otherwise(lit(ON_DEMAND));
    }

    /** Case-insensitive: EKS writes SPOT, Karpenter spot. A missing label is false, never null. */
    private static Column isValue(Column labels, String label, String value) {
        Column actual = lower(labels.getItem(label));
        return actual.isNotNull().and(actual.equalTo(value));
    }
}
