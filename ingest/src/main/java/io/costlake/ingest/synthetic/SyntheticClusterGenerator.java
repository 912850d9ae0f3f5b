package io.costlake.ingest.synthetic;

import static java.util.Objects.requireNonNull;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes a synthetic but realistic cluster as OpenMetrics text, one file per UTC day
 * ({@code metrics/YYYY-MM-DD.om}), with the exact metric names of DESIGN §2.1, plus the price book
 * ({@code prices.yaml}) and the ground truth of idle GPU hours ({@code labels/idle-gpu-hours.csv}).
 *
 * <p>The shape: m5.2xlarge CPU nodes and g5.12xlarge GPU nodes (4 × NVIDIA A10G), namespaces with
 * {@code cost-pool} labels, Deployment pods with requests and usage (some above request), batch Job pods
 * that run part of the day, GPU pods of which some sit idle, a bound and an unbound volume. The same seed
 * always writes the same bytes.
 */
public final class SyntheticClusterGenerator {
    static final String CPU_INSTANCE = "m5.2xlarge";
    static final String GPU_INSTANCE = "g5.12xlarge";
    static final String GPU_MODEL = "NVIDIA A10G";
    static final int GPUS_PER_NODE = 4;
    private static final long GIB = 1L << 30;
    private static final String[][] NAMESPACES = {
            {"checkout", "team-shop"}, {"payments", "team-shop"}, {"search", "team-discovery"},
            {"recommendations", "team-discovery"}, {"ml-training", "team-ml"}, {"ml-serving", "team-ml"},
            {"data-pipeline", "team-data"}, {"monitoring", "platform"}};
    private static final int ML_NAMESPACES_FROM = 4;

    public record Result(Path metricsDir, Path priceBook, Path idleLabels, long samples) {}

    private record Node(String name, String instanceType, int cores, long memoryBytes, int gpus) {}

    private record Gpu(Node node, int index, String uuid) {}

    private record Pod(String namespace, String name, String owner, String ownerKind, Node node, double cpuRequest,
            long memoryRequest, double cpuUseFraction, double memUseFraction, int startStep, int endStep, Gpu gpu,
            boolean idleGpu) {}

    public Result generate(SyntheticClusterSpec spec, Path out) {
        requireNonNull(spec, "spec is null");
        requireNonNull(out, "out is null");
        SplittableRandom random = new SplittableRandom(spec.seed());
        List<Node> nodes = nodes(spec);
        List<Gpu> gpus = new ArrayList<>();
        for (Node node : nodes) {
            for (int i = 0; i < node.gpus() && gpus.size() < spec.gpus(); i++) {
                gpus.add(new Gpu(node, i, uuid(random)));
            }
        }
        int stepsPerDay = 86_400 / spec.stepSeconds();
        try {
            Path metricsDir = Files.createDirectories(out.resolve("metrics"));
            Path labelsDir = Files.createDirectories(out.resolve("labels"));
            Path priceBook = out.resolve("prices.yaml");
            writePriceBook(priceBook);
            long samples = 0;
            Path idleLabels = labelsDir.resolve("idle-gpu-hours.csv");
            try (BufferedWriter labels = Files.newBufferedWriter(idleLabels, StandardCharsets.UTF_8)) {
                labels.write("cluster,node,gpu_uuid,hour,idle\n");
                for (int d = 0; d < spec.days(); d++) {
                    LocalDate day = spec.firstDay().plusDays(d);
                    List<Pod> pods = pods(spec, nodes, gpus, random.split(), stepsPerDay);
                    Path file = metricsDir.resolve(day + ".om");
                    try (Writer writer = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8),
                            1 << 20)) {
                        samples += writeDay(spec, day, nodes, pods, random.split(), writer, labels, gpus);
                        writer.write("# EOF\n");
                    }
                }
            }
            return new Result(metricsDir, priceBook, idleLabels, samples);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic cluster to " + out, e);
        }
    }

    private static List<Node> nodes(SyntheticClusterSpec spec) {
        int gpuNodes = (spec.gpus() + GPUS_PER_NODE - 1) / GPUS_PER_NODE;
        int cpuNodes = Math.max(1, spec.nodes() - gpuNodes);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < cpuNodes; i++) {
            nodes.add(new Node("ip-10-0-%d-%d.ec2.internal".formatted(i / 250, i % 250 + 10), CPU_INSTANCE, 8, 32 * GIB,
                    0));
        }
        for (int i = 0; i < gpuNodes; i++) {
            nodes.add(new Node("gpu-node-%d".formatted(i + 1), GPU_INSTANCE, 48, 192 * GIB, GPUS_PER_NODE));
        }
        return nodes;
    }

    private static List<Pod> pods(SyntheticClusterSpec spec, List<Node> nodes, List<Gpu> gpus, SplittableRandom random,
            int stepsPerDay) {
        List<Node> cpuNodes = nodes.stream().filter(node -> node.gpus() == 0).toList();
        List<Pod> pods = new ArrayList<>();
        // GPU pods first: most GPUs are held by one pod; every fourth of those sits idle, and one GPU in
        // eight is held by nobody (unallocated capacity).
        int gpuPods = 0;
        for (Gpu gpu : gpus) {
            if (gpus.size() > 1 && gpu.uuid().hashCode() % 8 == 0) {
                continue;
            }
            String namespace = NAMESPACES[ML_NAMESPACES_FROM + gpuPods % 2][0];
            String owner = namespace + "-worker-" + (gpuPods + 1);
            boolean idle = gpuPods % 4 == 1;
            pods.add(new Pod(namespace, owner + "-0", owner, "StatefulSet", gpu.node(), 4 + random.nextInt(4),
                    (16 + random.nextInt(16)) * GIB, 0.3 + random.nextDouble() * 0.6, 0.5 + random.nextDouble() * 0.4,
                    0, stepsPerDay, gpu, idle));
            gpuPods++;
        }
        int remaining = Math.max(0, spec.pods() - gpuPods);
        for (int i = 0; i < remaining; i++) {
            String[] namespace = NAMESPACES[i % NAMESPACES.length];
            Node node = cpuNodes.get(random.nextInt(cpuNodes.size()));
            boolean job = i % 5 == 4;
            int start = job ? random.nextInt(stepsPerDay / 2) : 0;
            int end = job ? start + stepsPerDay / 8 + random.nextInt(stepsPerDay / 4) : stepsPerDay;
            String owner = namespace[0] + (job ? "-job-" : "-api-") + (i / NAMESPACES.length + 1);
            String podName = owner + (job ? "-" : "-7d9f5-") + Long.toString(Math.abs(random.nextLong()) % 46656, 36);
            double cpuRequest = (1 + random.nextInt(8)) * 0.125;
            long memRequest = (1 + random.nextInt(8)) * (GIB / 4);
            // A few containers use more than they request, which max(request, usage) must bill.
            double cpuUse = i % 7 == 3 ? 1.2 + random.nextDouble() * 0.3 : 0.1 + random.nextDouble() * 0.7;
            double memUse = i % 11 == 5 ? 1.1 + random.nextDouble() * 0.2 : 0.4 + random.nextDouble() * 0.5;
            pods.add(new Pod(namespace[0], podName, owner, job ? "Job" : "ReplicaSet", node, cpuRequest, memRequest,
                    cpuUse, memUse, start, Math.min(end, stepsPerDay), null, false));
        }
        return pods;
    }

    private static long writeDay(SyntheticClusterSpec spec, LocalDate day, List<Node> nodes, List<Pod> pods,
            SplittableRandom random, Writer out, Writer labels, List<Gpu> gpus) throws IOException {
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        int step = spec.stepSeconds();
        int stepsPerDay = 86_400 / step;
        String cluster = spec.cluster();
        double[] cpuCounters = new double[pods.size()];
        long dayIndex = day.toEpochDay();
        // Idle GPU pods stay under 5 % but blip above it for a minute now and then.
        double[][] gpuHourUtil = new double[pods.size()][24];
        for (int p = 0; p < pods.size(); p++) {
            for (int h = 0; h < 24; h++) {
                gpuHourUtil[p][h] = pods.get(p).idleGpu() ? 0.5 + random.nextDouble() * 2 : 35 + random.nextDouble() * 55;
            }
        }
        for (Pod pod : pods) {
            if (pod.gpu() != null) {
                for (int h = 0; h < 24; h++) {
                    labels.write("%s,%s,%s,%s,%s%n".formatted(cluster, pod.node().name(), pod.gpu().uuid(),
                            day.atStartOfDay(ZoneOffset.UTC).plusHours(h).toInstant(), pod.idleGpu()));
                }
            }
        }
        long samples = 0;
        StringBuilder line = new StringBuilder(256);
        for (int s = 0; s < stepsPerDay; s++) {
            String ts = Long.toString(dayStart + (long) s * step);
            for (String[] namespace : NAMESPACES) {
                samples += emit(out, line, "kube_namespace_labels", ts, 1, "cluster", cluster, "namespace",
                        namespace[0], "label_cost_pool", namespace[1]);
            }
            for (Node node : nodes) {
                samples += emit(out, line, "kube_node_labels", ts, 1, "cluster", cluster, "node", node.name(),
                        "label_node_kubernetes_io_instance_type", node.instanceType(),
                        "label_nvidia_com_gpu_count", Integer.toString(node.gpus()));
                samples += emit(out, line, "kube_node_status_capacity", ts, node.cores(), "cluster", cluster, "node",
                        node.name(), "resource", "cpu", "unit", "core");
                samples += emit(out, line, "kube_node_status_capacity", ts, node.memoryBytes(), "cluster", cluster,
                        "node", node.name(), "resource", "memory", "unit", "byte");
                if (node.gpus() > 0) {
                    samples += emit(out, line, "kube_node_status_capacity", ts, node.gpus(), "cluster", cluster,
                            "node", node.name(), "resource", "nvidia_com_gpu", "unit", "integer");
                }
            }
            for (int p = 0; p < pods.size(); p++) {
                Pod pod = pods.get(p);
                if (s < pod.startStep() || s >= pod.endStep()) {
                    continue;
                }
                String node = pod.node().name();
                double noise = 0.85 + random.nextDouble() * 0.3;
                double cpuUsage = pod.cpuRequest() * pod.cpuUseFraction() * noise;
                cpuCounters[p] += cpuUsage * step;
                long memory = (long) (pod.memoryRequest() * pod.memUseFraction() * (0.95 + random.nextDouble() * 0.1));
                samples += emit(out, line, "kube_pod_info", ts, 1, "cluster", cluster, "namespace", pod.namespace(),
                        "pod", pod.name(), "node", node, "created_by_kind", pod.ownerKind(), "created_by_name",
                        pod.owner());
                samples += emit(out, line, "kube_pod_container_resource_requests", ts, pod.cpuRequest(), "cluster",
                        cluster, "namespace", pod.namespace(), "pod", pod.name(), "container", "app", "node", node,
                        "resource", "cpu", "unit", "core");
                samples += emit(out, line, "kube_pod_container_resource_requests", ts, pod.memoryRequest(), "cluster",
                        cluster, "namespace", pod.namespace(), "pod", pod.name(), "container", "app", "node", node,
                        "resource", "memory", "unit", "byte");
                samples += emit(out, line, "container_cpu_usage_seconds_total", ts, cpuCounters[p] + dayIndex * 1000,
                        "cluster", cluster, "namespace", pod.namespace(), "pod", pod.name(), "container", "app",
                        "node", node);
                samples += emit(out, line, "container_memory_working_set_bytes", ts, memory, "cluster", cluster,
                        "namespace", pod.namespace(), "pod", pod.name(), "container", "app", "node", node);
                if (pod.gpu() != null) {
                    Gpu gpu = pod.gpu();
                    samples += emit(out, line, "kube_pod_container_resource_requests", ts, 1, "cluster", cluster,
                            "namespace", pod.namespace(), "pod", pod.name(), "container", "app", "node", node,
                            "resource", "nvidia_com_gpu", "unit", "integer");
                    int hour = s * step / 3600;
                    double util = gpuHourUtil[p][hour];
                    if (pod.idleGpu() && random.nextInt(60) == 0) {
                        util = 30 + random.nextInt(40);
                    } else if (!pod.idleGpu()) {
                        util = Math.min(100, Math.max(0, util + (random.nextDouble() - 0.5) * 20));
                    }
                    samples += emitGpu(out, line, cluster, ts, gpu, "DCGM_FI_DEV_GPU_UTIL", Math.rint(util), pod);
                    samples += emitGpu(out, line, cluster, ts, gpu, "DCGM_FI_DEV_FB_USED",
                            pod.idleGpu() ? 1200 : 9000 + random.nextInt(12000), pod);
                }
            }
            for (Gpu gpu : gpus) {
                boolean held = pods.stream().anyMatch(pod -> pod.gpu() == gpu);
                if (!held) {
                    samples += emitGpu(out, line, cluster, ts, gpu, "DCGM_FI_DEV_GPU_UTIL", 0, null);
                    samples += emitGpu(out, line, cluster, ts, gpu, "DCGM_FI_DEV_FB_USED", 0, null);
                }
            }
            // Storage: one volume bound to a PVC in data-pipeline, one released and unmounted.
            samples += emit(out, line, "kube_persistentvolumeclaim_info", ts, 1, "cluster", cluster, "namespace",
                    "data-pipeline", "persistentvolumeclaim", "warehouse-data", "volumename", "pvc-0a1b2c",
                    "storageclass", "gp3");
            samples += emit(out, line, "kube_persistentvolume_capacity_bytes", ts, 500 * GIB, "cluster", cluster,
                    "persistentvolume", "pvc-0a1b2c");
            samples += emit(out, line, "kube_persistentvolume_info", ts, 1, "cluster", cluster, "persistentvolume",
                    "pvc-0a1b2c", "storageclass", "gp3");
            samples += emit(out, line, "kube_persistentvolume_capacity_bytes", ts, 100 * GIB, "cluster", cluster,
                    "persistentvolume", "pvc-orphan-9f8e");
            samples += emit(out, line, "kube_persistentvolume_info", ts, 1, "cluster", cluster, "persistentvolume",
                    "pvc-orphan-9f8e", "storageclass", "gp3");
        }
        return samples;
    }

    private static int emitGpu(Writer out, StringBuilder line, String cluster, String ts, Gpu gpu, String metric,
            double value, Pod pod)
            throws IOException {
        if (pod == null) {
            return emit(out, line, metric, ts, value, "cluster", cluster, "gpu", Integer.toString(gpu.index()), "UUID", gpu.uuid(),
                    "modelName", GPU_MODEL, "Hostname", gpu.node().name());
        }
        return emit(out, line, metric, ts, value, "cluster", cluster, "gpu", Integer.toString(gpu.index()), "UUID", gpu.uuid(),
                "modelName", GPU_MODEL, "Hostname", gpu.node().name(), "namespace", pod.namespace(), "pod", pod.name(),
                "container", "app");
    }

    private static int emit(Writer out, StringBuilder line, String metric, String ts, double value, String... labels)
            throws IOException {
        line.setLength(0);
        line.append(metric).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            if (i > 0) {
                line.append(',');
            }
            line.append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
        }
        line.append("} ");
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            line.append((long) value);
        } else {
            line.append(String.format(Locale.ROOT, "%.6f", value));
        }
        line.append(' ').append(ts).append('\n');
        out.append(line);
        return 1;
    }

    private static void writePriceBook(Path file) throws IOException {
        Files.writeString(file, """
                # Price book of the synthetic cluster (DESIGN §2.2). Defaults are OpenCost's.
                currency: USD
                defaults: {cpuCoreHour: 0.031611, ramGiBHour: 0.004237, gpuHour: 0.95, storageGiBMonth: 0.04}
                instanceTypes:
                  %s: {hourly: 0.384}
                  %s: {hourly: 5.672}
                  p4d.24xlarge: {hourly: 32.7726}
                gpuModels:
                  "%s": {hourly: 1.006}
                  "NVIDIA A100-SXM4-80GB": {hourly: 2.50}
                storageClasses:
                  gp3: {gibMonth: 0.08}
                """.formatted(CPU_INSTANCE, GPU_INSTANCE, GPU_MODEL), StandardCharsets.UTF_8);
    }

    private static String uuid(SplittableRandom random) {
        return "GPU-%08x-%04x-%04x-%04x-%012x".formatted(random.nextInt() & 0xffffffffL, random.nextInt(0x10000),
                random.nextInt(0x10000), random.nextInt(0x10000), random.nextLong() & 0xffffffffffffL);
    }
}
