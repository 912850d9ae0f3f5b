package io.costlake.ingest.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a small, hand-checkable cluster day as OpenMetrics text: nodes, namespaces with cost pools, and
 * containers whose requests and usage are constant for the hours they run, so expected costs are simple
 * arithmetic. Extra raw lines can be appended to test validation.
 */
public final class OpenMetricsFixture {
    private static final double GIB = 1024.0 * 1024 * 1024;

    private final LocalDate day;
    private final int stepSeconds;
    private final String cluster;
    private final List<NodeSpec> nodes = new ArrayList<>();
    private final Map<String, String> namespaces = new LinkedHashMap<>();
    private final List<ContainerSpec> containers = new ArrayList<>();
    private final List<String> extraLines = new ArrayList<>();
    private final List<VolumeSpec> volumes = new ArrayList<>();
    private final Map<String, List<String>> nodeLabels = new LinkedHashMap<>();
    private final Map<String, List<String>> namespaceLabels = new LinkedHashMap<>();
    private final List<SeriesSpec> series = new ArrayList<>();

    /** A gauge sampled with a constant value at every sample of the day. */
    private record SeriesSpec(String metric, double value, String[] labels) {}

    private record NodeSpec(String name, String instanceType, double cores, double memoryGiB, int gpus,
            String gpuModel, int sharedReplicas) {}

    private record VolumeSpec(String name, double gib, String storageClass, String claimNamespace, String claim) {}

    private record ContainerSpec(String namespace, String pod, String container, String node, double cpuRequest,
            double cpuUsage, double memRequestGiB, double memUsageGiB, String gpuResource, double gpuRequest,
            int fromHour, int toHour, String ownerKind, String ownerName) {}

    private OpenMetricsFixture(LocalDate day, int stepSeconds, String cluster) {
        this.day = day;
        this.stepSeconds = stepSeconds;
        this.cluster = cluster;
    }

    /** A day at the given resolution; samples carry {@code cluster} when it is not null. */
    public static OpenMetricsFixture day(LocalDate day, int stepSeconds, String cluster) {
        return new OpenMetricsFixture(day, stepSeconds, cluster);
    }

    public OpenMetricsFixture node(String name, String instanceType, double cores, double memoryGiB, int gpus) {
        nodes.add(new NodeSpec(name, instanceType, cores, memoryGiB, gpus, null, 0));
        return this;
    }

    /** A GPU node whose model is given by the {@code nvidia.com/gpu.product} label. */
    public OpenMetricsFixture gpuNode(String name, String instanceType, double cores, double memoryGiB, int gpus,
            String gpuModel) {
        nodes.add(new NodeSpec(name, instanceType, cores, memoryGiB, gpus, gpuModel, 0));
        return this;
    }

    /**
     * A node whose GPUs are time-sliced into {@code replicas}: it advertises {@code nvidia_com_gpu_shared =
     * gpus × replicas} and the physical count in the {@code nvidia.com/gpu.count} label.
     */
    public OpenMetricsFixture timeSlicedGpuNode(String name, String instanceType, double cores, double memoryGiB,
            int gpus, String gpuModel, int replicas) {
        nodes.add(new NodeSpec(name, instanceType, cores, memoryGiB, gpus, gpuModel, replicas));
        return this;
    }

    /** A persistent volume, bound to a claim when {@code claimNamespace} is not null. */
    public OpenMetricsFixture volume(String name, double gib, String storageClass, String claimNamespace,
            String claim) {
        volumes.add(new VolumeSpec(name, gib, storageClass, claimNamespace, claim));
        return this;
    }

    public OpenMetricsFixture namespace(String namespace, String costPool) {
        namespaces.put(namespace, costPool);
        return this;
    }

    /** A container running all day with constant requests and usage (cores, GiB). */
    public OpenMetricsFixture container(String namespace, String pod, String node, double cpuRequest, double cpuUsage,
            double memRequestGiB, double memUsageGiB) {
        return container(namespace, pod, node, cpuRequest, cpuUsage, memRequestGiB, memUsageGiB, null, 0, 0, 24);
    }

    /** A container running [fromHour, toHour) with an optional GPU resource request. */
    public OpenMetricsFixture container(String namespace, String pod, String node, double cpuRequest, double cpuUsage,
            double memRequestGiB, double memUsageGiB, String gpuResource, double gpuRequest, int fromHour, int toHour) {
        containers.add(new ContainerSpec(namespace, pod, "app", node, cpuRequest, cpuUsage, memRequestGiB,
                memUsageGiB, gpuResource, gpuRequest, fromHour, toHour, "ReplicaSet", pod.replaceAll("-[a-z0-9]+$", "")));
        return this;
    }

    /** Extra labels of a node's {@code kube_node_labels} (names as exported: {@code label_...}). */
    public OpenMetricsFixture nodeLabels(String node, String... namesAndValues) {
        nodeLabels.computeIfAbsent(node, key -> new ArrayList<>()).addAll(List.of(namesAndValues));
        return this;
    }

    /** Extra labels of a namespace's {@code kube_namespace_labels} (names as exported: {@code label_...}). */
    public OpenMetricsFixture namespaceLabels(String namespace, String... namesAndValues) {
        namespaceLabels.computeIfAbsent(namespace, key -> new ArrayList<>()).addAll(List.of(namesAndValues));
        return this;
    }

    /** {@code kube_pod_labels} of a pod, all day (names as exported: {@code label_...}). */
    public OpenMetricsFixture podLabels(String namespace, String pod, String... namesAndValues) {
        return series("kube_pod_labels", 1, concat(new String[] {"namespace", namespace, "pod", pod}, namesAndValues));
    }

    /** Any gauge (e.g. OpenCost's {@code node_total_hourly_cost}) with a constant value all day. */
    public OpenMetricsFixture series(String metric, double value, String... namesAndValues) {
        series.add(new SeriesSpec(metric, value, namesAndValues.clone()));
        return this;
    }

    public OpenMetricsFixture rawLine(String line) {
        extraLines.add(line);
        return this;
    }

    public Path writeTo(Path file) {
        StringBuilder out = new StringBuilder();
        long start = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        int samples = 86_400 / stepSeconds;
        double[] counters = new double[containers.size()];
        for (int s = 0; s < samples; s++) {
            long ts = start + (long) s * stepSeconds;
            double hour = s * stepSeconds / 3600.0;
            namespaces.forEach((namespace, pool) -> line(out, "kube_namespace_labels", 1, ts,
                    concat(new String[] {"namespace", namespace, "label_cost_pool", pool},
                            namespaceLabels.getOrDefault(namespace, List.of()).toArray(String[]::new))));
            for (SeriesSpec gauge : series) {
                line(out, gauge.metric(), gauge.value(), ts, gauge.labels());
            }
            for (NodeSpec node : nodes) {
                String[] extra = nodeLabels.getOrDefault(node.name(), List.of()).toArray(String[]::new);
                if (node.gpuModel() != null) {
                    line(out, "kube_node_labels", 1, ts, concat(new String[] {"node", node.name(),
                            "label_node_kubernetes_io_instance_type", node.instanceType(), "label_nvidia_com_gpu_product",
                            node.gpuModel(), "label_nvidia_com_gpu_count", Integer.toString(node.gpus())}, extra));
                } else {
                    line(out, "kube_node_labels", 1, ts, concat(new String[] {"node", node.name(),
                            "label_node_kubernetes_io_instance_type", node.instanceType()}, extra));
                }
                line(out, "kube_node_status_capacity", node.cores(), ts, "node", node.name(), "resource", "cpu",
                        "unit", "core");
                line(out, "kube_node_status_capacity", node.memoryGiB() * GIB, ts, "node", node.name(), "resource",
                        "memory", "unit", "byte");
                if (node.sharedReplicas() > 0) {
                    line(out, "kube_node_status_capacity", node.gpus() * node.sharedReplicas(), ts, "node",
                            node.name(), "resource", "nvidia_com_gpu_shared", "unit", "integer");
                } else if (node.gpus() > 0) {
                    line(out, "kube_node_status_capacity", node.gpus(), ts, "node", node.name(), "resource",
                            "nvidia_com_gpu", "unit", "integer");
                }
            }
            for (VolumeSpec volume : volumes) {
                line(out, "kube_persistentvolume_capacity_bytes", volume.gib() * GIB, ts, "persistentvolume",
                        volume.name());
                line(out, "kube_persistentvolume_info", 1, ts, "persistentvolume", volume.name(), "storageclass",
                        volume.storageClass());
                if (volume.claimNamespace() != null) {
                    line(out, "kube_persistentvolumeclaim_info", 1, ts, "namespace", volume.claimNamespace(),
                            "persistentvolumeclaim", volume.claim(), "volumename", volume.name(), "storageclass",
                            volume.storageClass());
                }
            }
            for (int c = 0; c < containers.size(); c++) {
                ContainerSpec spec = containers.get(c);
                if (hour < spec.fromHour() || hour >= spec.toHour()) {
                    continue;
                }
                counters[c] += spec.cpuUsage() * stepSeconds;
                String[] keys = {"namespace", spec.namespace(), "pod", spec.pod(), "container", spec.container(),
                        "node", spec.node()};
                line(out, "kube_pod_info", 1, ts, "namespace", spec.namespace(), "pod", spec.pod(), "node",
                        spec.node(), "created_by_kind", spec.ownerKind(), "created_by_name", spec.ownerName());
                line(out, "kube_pod_container_resource_requests", spec.cpuRequest(), ts,
                        concat(keys, "resource", "cpu", "unit", "core"));
                line(out, "kube_pod_container_resource_requests", spec.memRequestGiB() * GIB, ts,
                        concat(keys, "resource", "memory", "unit", "byte"));
                if (spec.gpuResource() != null) {
                    line(out, "kube_pod_container_resource_requests", spec.gpuRequest(), ts,
                            concat(keys, "resource", spec.gpuResource(), "unit", "integer"));
                }
                line(out, "container_cpu_usage_seconds_total", counters[c], ts, keys);
                line(out, "container_memory_working_set_bytes", spec.memUsageGiB() * GIB, ts, keys);
            }
        }
        extraLines.forEach(extra -> out.append(extra).append('\n'));
        out.append("# EOF\n");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void line(StringBuilder out, String metric, double value, long ts, String... labels) {
        out.append(metric).append('{');
        boolean first = true;
        if (cluster != null) {
            out.append("cluster=\"").append(cluster).append('"');
            first = false;
        }
        for (int i = 0; i < labels.length; i += 2) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
        }
        out.append("} ").append(String.format(Locale.ROOT, "%.6f", value)).append(' ').append(ts).append('\n');
    }

    private static String[] concat(String[] first, String... second) {
        String[] all = new String[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}
