package io.costlake.ingest.synthetic;

/**
 * Optional extras of a synthetic cluster, for tests that need more kinds of clusters than the default
 * shape. All are off in {@link #NONE}, and then the generator writes exactly what it writes without them
 * (the same seed, the same bytes): the extras draw from their own random stream.
 *
 * @param spotNodeShare share of nodes labelled as spot capacity, in turn by Karpenter, EKS, GKE spot, GKE
 *     preemptible and AKS labels
 * @param lostScrapeShare share of lost scrapes: per sample, kube-state-metrics as a whole, and cAdvisor of
 *     each node
 * @param extraVolumes more persistent volumes (1 to 1,000 GiB, gp3 or an unpriced class), most bound to a
 *     claim in a random namespace, the others unbound
 * @param podLabels {@code kube_pod_labels} with {@code team} (most pods) and {@code app} (some pods), and a
 *     {@code team} label on every other namespace
 * @param openCostNodeShare share of nodes whose prices OpenCost exports ({@code node_total_hourly_cost}, on
 *     every other of them also the per-resource rates), plus {@code pv_hourly_cost} of some extra volumes
 */
public record SyntheticVariety(
        double spotNodeShare, double lostScrapeShare, int extraVolumes, boolean podLabels, double openCostNodeShare) {
    public static final SyntheticVariety NONE = new SyntheticVariety(0, 0, 0, false, 0);

    public SyntheticVariety {
        checkShare("spotNodeShare", spotNodeShare);
        checkShare("lostScrapeShare", lostScrapeShare);
        checkShare("openCostNodeShare", openCostNodeShare);
        if (lostScrapeShare > 0.5) {
            throw new IllegalArgumentException("lostScrapeShare must be at most 0.5, got " + lostScrapeShare);
        }
        if (extraVolumes < 0) {
            throw new IllegalArgumentException("extraVolumes must not be negative, got " + extraVolumes);
        }
    }

    private static void checkShare(String name, double share) {
        if (!(share >= 0 && share <= 1)) {
            throw new IllegalArgumentException(name + " must be within 0..1, got " + share);
        }
    }
}
