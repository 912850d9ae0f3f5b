package io.costlake.ingest.synthetic;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes the {@link SyntheticVariety} extras of one cluster and drops the samples of lost scrapes. It draws
 * from its own random stream, and only for extras that are on, so a cluster without extras comes out as
 * without this class.
 */
final class VarietyWriter {
    /** Spot labels of the providers, as kube-state-metrics exports them; spot nodes take them in turn. */
    private static final String[][] SPOT_LABELS = {
            {"label_karpenter_sh_capacity_type", "spot"}, {"label_eks_amazonaws_com_capacity_type", "SPOT"},
            {"label_cloud_google_com_gke_spot", "true"}, {"label_cloud_google_com_gke_preemptible", "true"},
            {"label_kubernetes_azure_com_scalesetpriority", "spot"}};
    private static final String[] TEAMS = {"alpha", "beta", "gamma"};
    /** OpenCost's price of a node: its list price with a 10 % discount. */
    private static final Map<String, Double> OPENCOST_HOURLY = Map.of(SyntheticClusterGenerator.CPU_INSTANCE, 0.3456,
            SyntheticClusterGenerator.GPU_INSTANCE, 5.1048, SyntheticClusterGenerator.MIG_INSTANCE, 29.49534);
    private static final long GIB = 1L << 30;

    private record Volume(String name, long bytes, String storageClass, String namespace, double openCostGibHour) {}

    private final SyntheticVariety variety;
    private final String cluster;
    private final SplittableRandom random;
    private final Map<String, String[]> nodeLabels = new HashMap<>();
    /** Per node: total, cpu, ram, gpu hourly cost; NaN where OpenCost exports nothing. */
    private final Map<String, double[]> openCost = new HashMap<>();
    private final List<Volume> volumes = new ArrayList<>();
    private boolean kubeStateLost;
    private final Set<String> cadvisorLost = new HashSet<>();

    VarietyWriter(SyntheticClusterSpec spec, List<String> nodeNames, List<String> instanceTypes, List<Integer> gpus,
            String[] namespaces) {
        this.variety = spec.variety();
        this.cluster = spec.cluster();
        this.random = new SplittableRandom(spec.seed() ^ 0x9E3779B97F4A7C15L);
        int spot = 0;
        int priced = 0;
        for (int i = 0; i < nodeNames.size(); i++) {
            if (variety.spotNodeShare() > 0 && random.nextDouble() < variety.spotNodeShare()) {
                nodeLabels.put(nodeNames.get(i), SPOT_LABELS[spot++ % SPOT_LABELS.length]);
            }
            if (variety.openCostNodeShare() > 0 && random.nextDouble() < variety.openCostNodeShare()) {
                boolean rates = priced++ % 2 == 1;
                openCost.put(nodeNames.get(i), new double[] {OPENCOST_HOURLY.get(instanceTypes.get(i)),
                        rates ? 0.02 : Double.NaN, rates ? 0.003 : Double.NaN,
                        rates && gpus.get(i) > 0 ? 0.9 : Double.NaN});
            }
        }
        for (int v = 0; v < variety.extraVolumes(); v++) {
            String namespace = random.nextInt(4) == 0 ? null : namespaces[random.nextInt(namespaces.length)];
            volumes.add(new Volume("pv-extra-" + v, (1 + random.nextInt(1000)) * GIB,
                    random.nextBoolean() ? "gp3" : "standard", namespace, v % 3 == 2 ? 0.0001 : Double.NaN));
        }
    }

    /** Decides which scrapes of the next sample are lost: kube-state-metrics, and cAdvisor per node. */
    void nextSample(List<String> nodeNames) {
        if (variety.lostScrapeShare() == 0) {
            return;
        }
        kubeStateLost = random.nextDouble() < variety.lostScrapeShare();
        cadvisorLost.clear();
        for (String node : nodeNames) {
            if (random.nextDouble() < variety.lostScrapeShare()) {
                cadvisorLost.add(node);
            }
        }
    }

    boolean kubeStateLost() {
        return kubeStateLost;
    }

    /** A sample of a kube-state-metrics or cAdvisor series, unless its scrape was lost. */
    int emit(Writer out, StringBuilder line, String metric, String ts, double value, String... labels)
            throws IOException {
        boolean lost = metric.startsWith("kube_") ? kubeStateLost
                : metric.startsWith("container_") && cadvisorLost.contains(label(labels, "node"));
        return lost ? 0 : SyntheticClusterGenerator.emit(out, line, metric, ts, value, labels);
    }

    /** The node's labels with its spot label, if it has one. */
    String[] nodeLabels(String node, String... labels) {
        return concat(labels, nodeLabels.getOrDefault(node, new String[0]));
    }

    /** The namespace's labels with a team label on every other namespace. */
    String[] namespaceLabels(int index, String team, String... labels) {
        return variety.podLabels() && index % 2 == 0 ? concat(labels, "label_team", team) : labels;
    }

    /** kube_pod_labels: a team on 7 in 10 pods, an app on half of them, by the pod's name. */
    int emitPodLabels(Writer out, StringBuilder line, String ts, String namespace, String pod, String owner)
            throws IOException {
        if (!variety.podLabels()) {
            return 0;
        }
        int bucket = Math.floorMod(pod.hashCode(), 10);
        String[] labels = {"cluster", cluster, "namespace", namespace, "pod", pod};
        if (bucket < 7) {
            labels = concat(labels, "label_team", TEAMS[bucket % TEAMS.length]);
        }
        if (bucket % 2 == 0) {
            labels = concat(labels, "label_app", owner);
        }
        return emit(out, line, "kube_pod_labels", ts, 1, labels);
    }

    /** OpenCost's node prices and the extra volumes of one sample. */
    int emitExtras(Writer out, StringBuilder line, String ts) throws IOException {
        int n = 0;
        String[] metrics = {"node_total_hourly_cost", "node_cpu_hourly_cost", "node_ram_hourly_cost",
                "node_gpu_hourly_cost"};
        for (Map.Entry<String, double[]> node : openCost.entrySet()) {
            for (int m = 0; m < metrics.length; m++) {
                if (!Double.isNaN(node.getValue()[m])) {
                    n += SyntheticClusterGenerator.emit(out, line, metrics[m], ts, node.getValue()[m], "cluster",
                            cluster, "node", node.getKey());
                }
            }
        }
        for (Volume volume : volumes) {
            if (volume.namespace() != null) {
                n += emit(out, line, "kube_persistentvolumeclaim_info", ts, 1, "cluster", cluster, "namespace",
                        volume.namespace(), "persistentvolumeclaim", volume.name() + "-claim", "volumename",
                        volume.name(), "storageclass", volume.storageClass());
            }
            n += emit(out, line, "kube_persistentvolume_capacity_bytes", ts, volume.bytes(), "cluster", cluster,
                    "persistentvolume", volume.name());
            n += emit(out, line, "kube_persistentvolume_info", ts, 1, "cluster", cluster, "persistentvolume",
                    volume.name(), "storageclass", volume.storageClass());
            if (!Double.isNaN(volume.openCostGibHour())) {
                n += SyntheticClusterGenerator.emit(out, line, "pv_hourly_cost", ts, volume.openCostGibHour(),
                        "cluster", cluster, "persistentvolume", volume.name(), "volumename", volume.name());
            }
        }
        return n;
    }

    private static String label(String[] labels, String name) {
        for (int i = 0; i < labels.length; i += 2) {
            if (labels[i].equals(name)) {
                return labels[i + 1];
            }
        }
        return null;
    }

    private static String[] concat(String[] first, String... second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
