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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a synthetic but realistic cluster as OpenMetrics text, one file per UTC day
 * ({@code metrics/YYYY-MM-DD.om}), with the exact metric names of DESIGN §2.1, plus the price book
 * ({@code prices.yaml}) and the ground truth of idle GPU hours ({@code labels/idle-gpu-hours.csv}).
 *
 * <p>The shape: m5.2xlarge CPU nodes and GPU nodes of 4 GPUs, namespaces with {@code cost-pool} labels,
 * Deployment pods with requests and usage (some above request), batch Job pods that run part of the day, a
 * bound and an unbound volume. The same seed always writes the same bytes.
 *
 * <p>GPUs: GPU nodes take turns in five flavours (a cluster with 4 GPUs has only the first): g5.12xlarge
 * with pod labels; g5.12xlarge whose pod labels arrive as {@code exported_namespace/exported_pod} and that
 * also publishes {@code DCGM_FI_PROF_GR_ENGINE_ACTIVE}; a p4d.24xlarge with A100-80GB GPUs each cut into MIG
 * instances 3g.40gb, 2g.20gb, 1g.10gb, 1g.10gb ({@code GPU_I_PROFILE/GPU_I_ID}, engine activity only); a
 * time-sliced node (2 replicas per GPU, {@code nvidia_com_gpu_shared}, one series per sharing pod); and a
 * node whose exporter has no pod mapping, where one pod requests all 4 GPUs. Every GPU (replica, MIG
 * instance) follows an hourly Markov chain busy / idle / near-threshold / free that carries over midnight,
 * with changes on the hour or mid-hour; a free GPU that gets busy gets a new pod. Noise: one-sample activity
 * blips inside idle hours, 1.5 % lost scrapes and one exporter outage of up to 10 minutes per node and day,
 * and on flavour-1 and -2 nodes the pod of GPU 2 moves to the spare GPU 3 mid-hour on some days.
 *
 * <p>Extras on request ({@link SyntheticVariety}, none by default): spot node labels, lost kube-state-metrics
 * and cAdvisor scrapes, more volumes, pod and namespace labels, OpenCost prices.
 *
 * <p>Labels, one row per GPU (MIG instance) and hour: {@code cluster,node,gpu_uuid,hour,idle,mig_instance}.
 * {@code idle} is DESIGN §5 applied to the true state (before scrapes are lost): one pod held the GPU for
 * every sample interval of the hour, the hour's mean utilisation was below 5 %, and the hour belongs to a run
 * of at least 2 such hours of the same GPU and pod (across midnight too).
 */
public final class SyntheticClusterGenerator {
    static final String CPU_INSTANCE = "m5.2xlarge";
    static final String GPU_INSTANCE = "g5.12xlarge";
    static final String MIG_INSTANCE = "p4d.24xlarge";
    static final String GPU_MODEL = "NVIDIA A10G";
    static final String MIG_MODEL = "NVIDIA A100-SXM4-80GB";
    static final int GPUS_PER_NODE = 4;
    static final double IDLE_UTIL_PERCENT = 5.0;
    static final int MIN_IDLE_HOURS = 2;
    private static final long GIB = 1L << 30;
    private static final String[][] NAMESPACES = {
            {"checkout", "team-shop"}, {"payments", "team-shop"}, {"search", "team-discovery"},
            {"recommendations", "team-discovery"}, {"ml-training", "team-ml"}, {"ml-serving", "team-ml"},
            {"data-pipeline", "team-data"}, {"monitoring", "platform"}};
    private static final int ML_NAMESPACES_FROM = 4;
    /** MIG layout of every A100 of the MIG node: profile, GPU_I_ID; 3 + 2 + 1 + 1 = 7 slices. */
    private static final String[][] MIG_LAYOUT = {{"3g.40gb", "1"}, {"2g.20gb", "5"}, {"1g.10gb", "13"},
            {"1g.10gb", "14"}};
    private static final int TIME_SLICE_REPLICAS = 2;

    public record Result(Path metricsDir, Path priceBook, Path idleLabels, long samples) {}

    /** A day's metrics file, complete on disk. */
    public record GeneratedDay(LocalDate day, Path file, long samples) {
        public GeneratedDay {
            requireNonNull(day, "day is null");
            requireNonNull(file, "file is null");
            if (samples < 0) {
                throw new IllegalArgumentException("samples must not be negative, got " + samples);
            }
        }
    }

    /**
     * Told of each day as soon as its file is written, before the next day is generated: a long backfill can be
     * run (and its input deleted) day by day instead of keeping every day's dump on disk at once.
     */
    @FunctionalInterface
    public interface DayListener {
        DayListener NONE = day -> {};

        void written(GeneratedDay day) throws IOException;
    }

    enum Flavour { PLAIN, EXPORTED_LABELS, MIG, TIME_SLICED, UNMAPPED }

    enum Mode { FREE, BUSY, IDLE, NEAR }

    private record Node(String name, String instanceType, int cores, long memoryBytes, int gpus, Flavour flavour,
            String model) {}

    /** What dcgm-exporter reports as one GPU: a whole GPU or one MIG instance. */
    private record GpuUnit(Node node, int index, String uuid, String migProfile, String migId, List<Slot> slots) {
        String migInstance() {
            return migId == null ? "" : migId;
        }
    }

    /** One holder position of a unit (a time-sliced GPU has one per replica), with its state across days. */
    private static final class Slot {
        final GpuUnit[] unit = new GpuUnit[1];
        final String namespace;
        final String owner;
        final String ownerKind;
        final String resource;
        final int resourceCount;
        Mode mode;
        String pod;
        int generation;
        Slot leader;
        String[] holder;
        Mode[] modes;
        double[] util;

        Slot(String namespace, String owner, String ownerKind, String resource, int resourceCount, Mode mode) {
            this.namespace = namespace;
            this.owner = owner;
            this.ownerKind = ownerKind;
            this.resource = resource;
            this.resourceCount = resourceCount;
            this.mode = mode;
        }
    }

    private record Pod(String namespace, String name, String owner, String ownerKind, Node node, double cpuRequest,
            long memoryRequest, double cpuUseFraction, double memUseFraction, int startStep, int endStep,
            String gpuResource, int gpuCount, double gpuMemoryMib) {}

    public Result generate(SyntheticClusterSpec spec, Path out) {
        return generate(spec, out, DayListener.NONE);
    }

    /**
     * Writes the price book (see {@link #priceBook}), then the days one by one, each handed to {@code listener}
     * when written, then the labels of all days. The listener may delete a day's file.
     */
    public Result generate(SyntheticClusterSpec spec, Path out, DayListener listener) {
        requireNonNull(spec, "spec is null");
        requireNonNull(out, "out is null");
        requireNonNull(listener, "listener is null");
        SplittableRandom random = new SplittableRandom(spec.seed());
        List<Node> nodes = nodes(spec);
        VarietyWriter variety = new VarietyWriter(spec, nodes.stream().map(Node::name).toList(),
                nodes.stream().map(Node::instanceType).toList(), nodes.stream().map(Node::gpus).toList(),
                Arrays.stream(NAMESPACES).map(namespace -> namespace[0]).toArray(String[]::new));
        List<GpuUnit> units = units(spec, nodes, random);
        int stepsPerDay = 86_400 / spec.stepSeconds();
        // Per unit, across all days: the pod of each idle hour (null when the hour is not idle).
        Map<GpuUnit, List<String>> idleHours = new LinkedHashMap<>();
        units.forEach(unit -> idleHours.put(unit, new ArrayList<>()));
        try {
            Path metricsDir = Files.createDirectories(out.resolve("metrics"));
            Path labelsDir = Files.createDirectories(out.resolve("labels"));
            Path priceBook = priceBook(out);
            long samples = 0;
            for (int d = 0; d < spec.days(); d++) {
                LocalDate day = spec.firstDay().plusDays(d);
                SplittableRandom dayRandom = random.split();
                List<Pod> pods = new ArrayList<>(gpuPods(spec, units, dayRandom, stepsPerDay));
                int gpuPodCount = (int) units.stream().flatMap(unit -> unit.slots().stream()).count();
                pods.addAll(cpuPods(spec, nodes, dayRandom, stepsPerDay, gpuPodCount));
                for (GpuUnit unit : units) {
                    idleHours.get(unit).addAll(idleHoursOfDay(unit, spec.stepSeconds()));
                }
                Path file = metricsDir.resolve(day + ".om");
                long daySamples;
                try (Writer writer = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8),
                        1 << 20)) {
                    daySamples = writeDay(spec, day, nodes, pods, units, dayRandom.split(), variety, writer);
                    writer.write("# EOF\n");
                }
                samples += daySamples;
                listener.written(new GeneratedDay(day, file, daySamples));
            }
            Path idleLabels = labelsDir.resolve("idle-gpu-hours.csv");
            writeLabels(spec, idleHours, idleLabels);
            return new Result(metricsDir, priceBook, idleLabels, samples);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write synthetic cluster to " + out, e);
        }
    }

    /**
     * Writes the price book of the generated clusters' instance types to {@code out/prices.yaml} and returns its
     * path; {@link #generate} writes the same file, so a caller can configure a run with it before the first day
     * exists.
     */
    public Path priceBook(Path out) {
        requireNonNull(out, "out is null");
        try {
            Path priceBook = Files.createDirectories(out).resolve("prices.yaml");
            writePriceBook(priceBook);
            return priceBook;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the price book to " + out, e);
        }
    }

    private static List<Node> nodes(SyntheticClusterSpec spec) {
        int gpuNodes = (spec.gpus() + GPUS_PER_NODE - 1) / GPUS_PER_NODE;
        int cpuNodes = Math.max(1, spec.nodes() - gpuNodes);
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < cpuNodes; i++) {
            nodes.add(new Node("ip-10-0-%d-%d.ec2.internal".formatted(i / 250, i % 250 + 10), CPU_INSTANCE, 8, 32 * GIB,
                    0, null, null));
        }
        for (int i = 0; i < gpuNodes; i++) {
            int gpus = Math.min(GPUS_PER_NODE, spec.gpus() - i * GPUS_PER_NODE);
            Flavour flavour = Flavour.values()[i % Flavour.values().length];
            String name = "gpu-node-%d".formatted(i + 1);
            nodes.add(flavour == Flavour.MIG
                    ? new Node(name, MIG_INSTANCE, 96, 1152 * GIB, gpus, flavour, MIG_MODEL)
                    : new Node(name, GPU_INSTANCE, 48, 192 * GIB, gpus, flavour, GPU_MODEL));
        }
        return nodes;
    }

    private static List<GpuUnit> units(SyntheticClusterSpec spec, List<Node> nodes, SplittableRandom random) {
        List<GpuUnit> units = new ArrayList<>();
        int slotNumber = 0;
        for (Node node : nodes) {
            Slot unmappedLeader = null;
            for (int g = 0; g < node.gpus(); g++) {
                String uuid = uuid(random);
                String[][] instances = node.flavour() == Flavour.MIG ? MIG_LAYOUT : new String[][] {{null, null}};
                for (String[] instance : instances) {
                    int replicas = node.flavour() == Flavour.TIME_SLICED ? TIME_SLICE_REPLICAS : 1;
                    List<Slot> slots = new ArrayList<>();
                    for (int r = 0; r < replicas; r++) {
                        slotNumber++;
                        String namespace = NAMESPACES[ML_NAMESPACES_FROM + slotNumber % 2][0];
                        String kind = switch (slotNumber % 3) {
                            case 0 -> "ReplicaSet";
                            case 1 -> "StatefulSet";
                            default -> "Job";
                        };
                        String resource = switch (node.flavour()) {
                            case MIG -> "nvidia_com_mig_" + instance[0].replace('.', '_');
                            case TIME_SLICED -> "nvidia_com_gpu_shared";
                            default -> "nvidia_com_gpu";
                        };
                        String owner = namespace + "-gpu-" + slotNumber;
                        // GPU 3 of nodes with moves is the spare the pod of GPU 2 moves to.
                        boolean spare = hasMoves(node) && g == 3;
                        Mode initial = spare ? Mode.FREE : Mode.values()[1 + random.nextInt(2)];
                        Slot slot = new Slot(namespace, node.flavour() == Flavour.UNMAPPED
                                ? namespace + "-trainer-" + node.name() : owner,
                                node.flavour() == Flavour.UNMAPPED ? "StatefulSet" : kind, resource,
                                node.flavour() == Flavour.UNMAPPED ? node.gpus() : 1, initial);
                        if (node.flavour() == Flavour.UNMAPPED) {
                            // One pod holds all GPUs of the node: the first GPU's slot leads the others.
                            if (unmappedLeader == null) {
                                unmappedLeader = slot;
                            } else {
                                slot.leader = unmappedLeader;
                            }
                        }
                        slots.add(slot);
                    }
                    GpuUnit unit = new GpuUnit(node, g, uuid, instance[0], instance[1], slots);
                    slots.forEach(slot -> slot.unit[0] = unit);
                    units.add(unit);
                }
            }
        }
        return units;
    }

    private static boolean hasMoves(Node node) {
        return (node.flavour() == Flavour.PLAIN || node.flavour() == Flavour.EXPORTED_LABELS)
                && node.gpus() == GPUS_PER_NODE;
    }

    /** The day's timeline of every slot (holder, mode, true utilisation) and the GPU pods it implies. */
    private static List<Pod> gpuPods(SyntheticClusterSpec spec, List<GpuUnit> units, SplittableRandom random,
            int stepsPerDay) {
        int stepsPerHour = 3600 / spec.stepSeconds();
        for (GpuUnit unit : units) {
            for (Slot slot : unit.slots()) {
                slot.holder = new String[stepsPerDay];
                slot.modes = new Mode[stepsPerDay];
                slot.util = new double[stepsPerDay];
                if (slot.leader != null) {
                    System.arraycopy(slot.leader.modes, 0, slot.modes, 0, stepsPerDay);
                    System.arraycopy(slot.leader.holder, 0, slot.holder, 0, stepsPerDay);
                    continue;
                }
                boolean spare = hasMoves(unit.node()) && unit.index() == 3;
                Mode mode = slot.mode;
                for (int h = 0; h < 24; h++) {
                    Mode next = spare ? Mode.FREE : next(mode, random);
                    // Changes happen on the hour or at least two samples into it (on the hour only when an
                    // hour has fewer than four samples).
                    int switchAt = next == mode || random.nextBoolean() ? 0 : midHour(stepsPerHour, random);
                    for (int k = 0; k < stepsPerHour; k++) {
                        slot.modes[h * stepsPerHour + k] = k < switchAt ? mode : next;
                    }
                    mode = next;
                }
                slot.mode = mode;
                // A free slot that gets a holder gets a new pod; a pod carries over midnight.
                String pod = slot.pod;
                for (int s = 0; s < stepsPerDay; s++) {
                    if (slot.modes[s] == Mode.FREE) {
                        pod = null;
                    } else if (pod == null) {
                        slot.generation++;
                        pod = podName(slot, random);
                    }
                    slot.holder[s] = pod;
                }
                slot.pod = pod;
            }
        }
        // Moves: on some days the pod of GPU 2 moves mid-hour to the spare GPU 3 of its node (a rescheduled
        // pod keeping its name); it is back on GPU 2 at midnight.
        for (GpuUnit unit : units) {
            if (!hasMoves(unit.node()) || unit.index() != 2 || random.nextInt(2) == 0) {
                continue;
            }
            Slot from = unit.slots().get(0);
            Slot to = units.stream().filter(other -> other.node() == unit.node() && other.index() == 3)
                    .findFirst().orElseThrow().slots().get(0);
            int at = (2 + random.nextInt(20)) * stepsPerHour + midHour(stepsPerHour, random);
            for (int s = at; s < stepsPerDay; s++) {
                to.holder[s] = from.holder[s];
                to.modes[s] = from.modes[s];
                from.holder[s] = null;
                from.modes[s] = Mode.FREE;
            }
        }
        // True utilisation per slot and step: an hourly level per mode, noise, and blips when idle.
        for (GpuUnit unit : units) {
            for (Slot slot : unit.slots()) {
                double level = 0;
                for (int s = 0; s < stepsPerDay; s++) {
                    if (s % stepsPerHour == 0 || slot.modes[s] != slot.modes[s - 1]) {
                        level = switch (slot.modes[s]) {
                            case BUSY -> 25 + random.nextDouble() * 70;
                            case IDLE -> random.nextDouble() * 2.5;
                            case NEAR -> 3 + random.nextDouble() * 4.5;
                            case FREE -> 0;
                        };
                    }
                    double util = switch (slot.modes[s]) {
                        case BUSY -> level + (random.nextDouble() - 0.5) * 20;
                        case IDLE -> random.nextDouble() < spec.stepSeconds() / 3600.0 * 0.5
                                ? 15 + random.nextInt(45) : level * (0.6 + random.nextDouble() * 0.8);
                        case NEAR -> level + (random.nextDouble() - 0.5) * 4;
                        case FREE -> 0;
                    };
                    slot.util[s] = Math.rint(Math.min(100, Math.max(0, util)) * 10) / 10;
                }
            }
        }
        // The pods: present from their first to their last held sample of the day.
        Map<String, int[]> presence = new LinkedHashMap<>();
        Map<String, Slot> podSlots = new LinkedHashMap<>();
        for (GpuUnit unit : units) {
            for (Slot slot : unit.slots()) {
                for (int s = 0; s < stepsPerDay; s++) {
                    if (slot.holder[s] != null) {
                        int[] range = presence.computeIfAbsent(slot.holder[s],
                                key -> new int[] {Integer.MAX_VALUE, 0});
                        range[0] = Math.min(range[0], s);
                        range[1] = Math.max(range[1], s + 1);
                        podSlots.putIfAbsent(slot.holder[s], slot);
                    }
                }
            }
        }
        List<Pod> pods = new ArrayList<>();
        presence.forEach((name, range) -> {
            Slot slot = podSlots.get(name);
            SplittableRandom podRandom = new SplittableRandom(name.hashCode());
            pods.add(new Pod(slot.namespace, name, slot.owner, slot.ownerKind, slot.unit[0].node(),
                    2 + podRandom.nextInt(4), (8 + podRandom.nextInt(16)) * GIB, 0.3 + podRandom.nextDouble() * 0.6,
                    0.5 + podRandom.nextDouble() * 0.4, range[0], range[1], slot.resource, slot.resourceCount,
                    1200 + podRandom.nextInt(28_000)));
        });
        return pods;
    }

    private static String podName(Slot slot, SplittableRandom random) {
        return switch (slot.ownerKind) {
            case "ReplicaSet" -> slot.owner + "-7d9f5-" + Long.toString(60_466_176L + random.nextInt(1 << 30), 36)
                    .substring(0, 5);
            case "Job" -> slot.owner + "-" + slot.generation + "-" + Long.toString(1296 + random.nextInt(45_000), 36);
            default -> slot.owner + "-" + (slot.generation - 1);
        };
    }

    /** Hourly Markov chain: runs of busy and idle hours, some free time, rarely a near-threshold hour. */
    private static Mode next(Mode mode, SplittableRandom random) {
        double p = random.nextDouble();
        return switch (mode) {
            case BUSY -> p < 0.85 ? Mode.BUSY : p < 0.95 ? Mode.IDLE : p < 0.99 ? Mode.FREE : Mode.NEAR;
            case IDLE -> p < 0.85 ? Mode.IDLE : p < 0.95 ? Mode.BUSY : p < 0.99 ? Mode.FREE : Mode.NEAR;
            case NEAR -> p < 0.5 ? Mode.NEAR : p < 0.75 ? Mode.IDLE : Mode.BUSY;
            case FREE -> p < 0.7 ? Mode.FREE : p < 0.85 ? Mode.BUSY : Mode.IDLE;
        };
    }

    /** DESIGN §5 on the true timeline: per hour, the pod that held the unit alone all hour below 5 %, else null. */
    private static List<String> idleHoursOfDay(GpuUnit unit, int step) {
        int stepsPerHour = 3600 / step;
        List<String> hours = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            String pod = null;
            boolean single = true;
            double sum = 0;
            for (int k = 0; k < stepsPerHour && single; k++) {
                int s = h * stepsPerHour + k;
                int holders = 0;
                String holder = null;
                double util = 0;
                for (Slot slot : unit.slots()) {
                    if (slot.holder[s] != null) {
                        holders++;
                        holder = slot.holder[s];
                    }
                    util += slot.util[s];
                }
                sum += Math.min(100, util);
                single = holders == 1 && (pod == null || pod.equals(holder));
                pod = holder;
            }
            hours.add(single && sum / stepsPerHour < IDLE_UTIL_PERCENT ? pod : null);
        }
        return hours;
    }

    /** Labels: an idle hour counts when it is part of a run of at least MIN_IDLE_HOURS with the same pod. */
    private static void writeLabels(SyntheticClusterSpec spec, Map<GpuUnit, List<String>> idleHours, Path file)
            throws IOException {
        try (BufferedWriter labels = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            labels.write("cluster,node,gpu_uuid,hour,idle,mig_instance\n");
            for (Map.Entry<GpuUnit, List<String>> entry : idleHours.entrySet()) {
                GpuUnit unit = entry.getKey();
                List<String> pods = entry.getValue();
                boolean[] idle = new boolean[pods.size()];
                int runStart = 0;
                for (int h = 1; h <= pods.size(); h++) {
                    boolean continues = h < pods.size() && pods.get(h) != null && pods.get(h).equals(pods.get(h - 1));
                    if (!continues) {
                        if (pods.get(runStart) != null && h - runStart >= MIN_IDLE_HOURS) {
                            Arrays.fill(idle, runStart, h, true);
                        }
                        runStart = h;
                    }
                }
                for (int h = 0; h < pods.size(); h++) {
                    labels.write("%s,%s,%s,%s,%s,%s%n".formatted(spec.cluster(), unit.node().name(), unit.uuid(),
                            spec.firstDay().atStartOfDay(ZoneOffset.UTC).plusHours(h).toInstant(), idle[h],
                            unit.migInstance()));
                }
            }
        }
    }

    private static List<Pod> cpuPods(SyntheticClusterSpec spec, List<Node> nodes, SplittableRandom random,
            int stepsPerDay, int gpuPods) {
        List<Node> cpuNodes = nodes.stream().filter(node -> node.gpus() == 0).toList();
        List<Pod> pods = new ArrayList<>();
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
                    cpuUse, memUse, start, Math.min(end, stepsPerDay), null, 0, 0));
        }
        return pods;
    }

    private static long writeDay(SyntheticClusterSpec spec, LocalDate day, List<Node> nodes, List<Pod> pods,
            List<GpuUnit> units, SplittableRandom random, VarietyWriter variety, Writer out) throws IOException {
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        int step = spec.stepSeconds();
        int stepsPerDay = 86_400 / step;
        String cluster = spec.cluster();
        double[] cpuCounters = new double[pods.size()];
        long dayIndex = day.toEpochDay();
        // Lost scrapes of dcgm-exporter: one outage of up to 10 minutes per GPU node, and 1.5 % of samples.
        Map<Node, int[]> outages = new LinkedHashMap<>();
        for (Node node : nodes) {
            if (node.gpus() > 0) {
                int length = Math.max(1, random.nextInt(Math.max(1, 600 / step)) + 1);
                int from = random.nextInt(stepsPerDay - length);
                outages.put(node, new int[] {from, from + length});
            }
        }
        long samples = 0;
        StringBuilder line = new StringBuilder(256);
        List<String> nodeNames = nodes.stream().map(Node::name).toList();
        for (int s = 0; s < stepsPerDay; s++) {
            String ts = Long.toString(dayStart + (long) s * step);
            variety.nextSample(nodeNames);
            for (int n = 0; n < NAMESPACES.length; n++) {
                String[] namespace = NAMESPACES[n];
                samples += variety.emit(out, line, "kube_namespace_labels", ts, 1, variety.namespaceLabels(n,
                        namespace[1], "cluster", cluster, "namespace", namespace[0], "label_cost_pool", namespace[1]));
            }
            for (Node node : nodes) {
                samples += variety.emit(out, line, "kube_node_labels", ts, 1, variety.nodeLabels(node.name(),
                        "cluster", cluster, "node", node.name(),
                        "label_node_kubernetes_io_instance_type", node.instanceType(),
                        "label_nvidia_com_gpu_count", Integer.toString(node.gpus())));
                samples += variety.emit(out, line, "kube_node_status_capacity", ts, node.cores(), "cluster", cluster,
                        "node", node.name(), "resource", "cpu", "unit", "core");
                samples += variety.emit(out, line, "kube_node_status_capacity", ts, node.memoryBytes(), "cluster",
                        cluster, "node", node.name(), "resource", "memory", "unit", "byte");
                if (node.gpus() > 0 && !variety.kubeStateLost()) {
                    samples += emitCapacity(out, line, cluster, ts, node);
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
                samples += variety.emitPodLabels(out, line, ts, pod.namespace(), pod.name(), pod.owner());
                samples += variety.emit(out, line, "kube_pod_info", ts, 1, "cluster", cluster, "namespace",
                        pod.namespace(), "pod", pod.name(), "node", node, "created_by_kind", pod.ownerKind(),
                        "created_by_name", pod.owner());
                samples += variety.emit(out, line, "kube_pod_container_resource_requests", ts, pod.cpuRequest(),
                        "cluster", cluster, "namespace", pod.namespace(), "pod", pod.name(), "container", "app", "node",
                        node, "resource", "cpu", "unit", "core");
                samples += variety.emit(out, line, "kube_pod_container_resource_requests", ts, pod.memoryRequest(),
                        "cluster", cluster, "namespace", pod.namespace(), "pod", pod.name(), "container", "app", "node",
                        node, "resource", "memory", "unit", "byte");
                samples += variety.emit(out, line, "container_cpu_usage_seconds_total", ts,
                        cpuCounters[p] + dayIndex * 1000, "cluster", cluster, "namespace", pod.namespace(), "pod",
                        pod.name(), "container", "app", "node", node);
                samples += variety.emit(out, line, "container_memory_working_set_bytes", ts, memory, "cluster", cluster,
                        "namespace", pod.namespace(), "pod", pod.name(), "container", "app", "node", node);
                if (pod.gpuResource() != null) {
                    samples += variety.emit(out, line, "kube_pod_container_resource_requests", ts, pod.gpuCount(),
                            "cluster", cluster, "namespace", pod.namespace(), "pod", pod.name(), "container", "app",
                            "node", node, "resource", pod.gpuResource(), "unit", "integer");
                }
            }
            Map<String, Pod> byName = new LinkedHashMap<>();
            for (Pod pod : pods) {
                byName.put(pod.name(), pod);
            }
            for (GpuUnit unit : units) {
                int[] outage = outages.get(unit.node());
                if ((s >= outage[0] && s < outage[1]) || random.nextInt(1000) < 15) {
                    continue;
                }
                double util = 0;
                List<Pod> holders = new ArrayList<>();
                for (Slot slot : unit.slots()) {
                    util += slot.util[s];
                    if (slot.holder[s] != null) {
                        holders.add(byName.get(slot.holder[s]));
                    }
                }
                util = Math.min(100, util);
                if (holders.isEmpty() || unit.node().flavour() == Flavour.UNMAPPED) {
                    holders = new ArrayList<>();
                    holders.add(null);
                }
                for (Pod holder : holders) {
                    samples += emitGpu(out, line, cluster, ts, unit, util, holder);
                }
            }
            // Storage: one volume bound to a PVC in data-pipeline, one released and unmounted.
            samples += variety.emit(out, line, "kube_persistentvolumeclaim_info", ts, 1, "cluster", cluster,
                    "namespace", "data-pipeline", "persistentvolumeclaim", "warehouse-data", "volumename", "pvc-0a1b2c",
                    "storageclass", "gp3");
            samples += variety.emit(out, line, "kube_persistentvolume_capacity_bytes", ts, 500 * GIB, "cluster",
                    cluster, "persistentvolume", "pvc-0a1b2c");
            samples += variety.emit(out, line, "kube_persistentvolume_info", ts, 1, "cluster", cluster,
                    "persistentvolume", "pvc-0a1b2c", "storageclass", "gp3");
            samples += variety.emit(out, line, "kube_persistentvolume_capacity_bytes", ts, 100 * GIB, "cluster",
                    cluster, "persistentvolume", "pvc-orphan-9f8e");
            samples += variety.emit(out, line, "kube_persistentvolume_info", ts, 1, "cluster", cluster,
                    "persistentvolume", "pvc-orphan-9f8e", "storageclass", "gp3");
            samples += variety.emitExtras(out, line, ts);
        }
        return samples;
    }

    private static int emitCapacity(Writer out, StringBuilder line, String cluster, String ts, Node node)
            throws IOException {
        return switch (node.flavour()) {
            case MIG -> {
                int n = 0;
                for (String profile : List.of("3g.40gb", "2g.20gb", "1g.10gb")) {
                    int perGpu = (int) Arrays.stream(MIG_LAYOUT).filter(slice -> slice[0].equals(profile)).count();
                    n += emit(out, line, "kube_node_status_capacity", ts, perGpu * node.gpus(), "cluster", cluster,
                            "node", node.name(), "resource", "nvidia_com_mig_" + profile.replace('.', '_'), "unit",
                            "integer");
                }
                yield n;
            }
            case TIME_SLICED -> emit(out, line, "kube_node_status_capacity", ts, node.gpus() * TIME_SLICE_REPLICAS,
                    "cluster", cluster, "node", node.name(), "resource", "nvidia_com_gpu_shared", "unit", "integer");
            default -> emit(out, line, "kube_node_status_capacity", ts, node.gpus(), "cluster", cluster, "node",
                    node.name(), "resource", "nvidia_com_gpu", "unit", "integer");
        };
    }

    /** The dcgm-exporter series of one unit and holder (null: no pod), in the label style of its node. */
    private static int emitGpu(Writer out, StringBuilder line, String cluster, String ts, GpuUnit unit, double util,
            Pod pod) throws IOException {
        List<String> labels = new ArrayList<>(List.of("cluster", cluster, "gpu", Integer.toString(unit.index()),
                "UUID", unit.uuid(), "modelName", unit.node().model(), "Hostname", unit.node().name()));
        if (unit.migProfile() != null) {
            labels.addAll(List.of("GPU_I_PROFILE", unit.migProfile(), "GPU_I_ID", unit.migId()));
        }
        if (pod != null) {
            String prefix = unit.node().flavour() == Flavour.EXPORTED_LABELS ? "exported_" : "";
            labels.addAll(List.of(prefix + "namespace", pod.namespace(), prefix + "pod", pod.name(),
                    prefix + "container", "app"));
        }
        String[] pairs = labels.toArray(String[]::new);
        int n = 0;
        if (unit.migProfile() != null) {
            n += emit(out, line, "DCGM_FI_PROF_GR_ENGINE_ACTIVE", ts, util / 100, pairs);
        } else {
            n += emit(out, line, "DCGM_FI_DEV_GPU_UTIL", ts, Math.rint(util), pairs);
            if (unit.node().flavour() == Flavour.EXPORTED_LABELS) {
                n += emit(out, line, "DCGM_FI_PROF_GR_ENGINE_ACTIVE", ts, util / 100, pairs);
            }
        }
        n += emit(out, line, "DCGM_FI_DEV_FB_USED", ts, pod == null ? 0 : pod.gpuMemoryMib(), pairs);
        return n;
    }

    static int emit(Writer out, StringBuilder line, String metric, String ts, double value, String... labels)
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

    /** A sample index at least two samples into an hour and one before its end; 0 when an hour is too short. */
    private static int midHour(int stepsPerHour, SplittableRandom random) {
        return stepsPerHour >= 4 ? 2 + random.nextInt(stepsPerHour - 3) : 0;
    }

    private static String uuid(SplittableRandom random) {
        return "GPU-%08x-%04x-%04x-%04x-%012x".formatted(random.nextInt() & 0xffffffffL, random.nextInt(0x10000),
                random.nextInt(0x10000), random.nextInt(0x10000), random.nextLong() & 0xffffffffffffL);
    }
}
