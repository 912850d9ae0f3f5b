package io.costlake.costmodel.idlegpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.bronze.BronzeIngest;
import io.costlake.ingest.bronze.IngestSummary;
import io.costlake.ingest.files.MetricsFiles;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.testing.TestSpark;

/**
 * The real Alibaba GenAI trace (shared/data/alibaba-genai-2026, SOURCES.md §1): per-pod GPU duty cycle and
 * memory, 57 s apart, about 23 h. A slice of its pods becomes dcgm-exporter OpenMetrics (1 pod = 1 GPU,
 * 8 GPUs per synthetic node, first instant shifted to 00:00 of the test day), goes through ingest and the
 * detector, and the episodes must equal a plain recomputation of DESIGN §5 written here: tenure of the pod
 * (samples of either metric, gaps up to 15 min bridged), hour held when the tenure covers it within 1.5
 * steps at each edge, at least half the expected samples, hourly mean < 5 %, ≥ 2 consecutive hours.
 */
class IdleGpuAlibabaTraceTest {
    private static final Path TRACE = Path.of("/work/shared/data/alibaba-genai-2026");
    private static final long TRACE_START = 1_662_858_720L;
    private static final int STEP = 57;
    private static final int PODS = 60;
    private static final LocalDate DAY = LocalDate.of(2026, 4, 1);

    @TempDir
    Path dir;

    private record Sample(long ts, Double util) {}

    private record Episode(String pod, long start, long end, int hours, double meanUtil) {}

    @Test
    void detectorFindsExactlyTheIdleEpisodesOfAPlainRecomputationOnTheRealTrace() throws IOException {
        assumeTrue(Files.isReadable(TRACE.resolve("pod_gpu_duty_cycle_anon.csv")), "Alibaba trace not present");
        long dayStart = DAY.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
        Map<String, TreeMap<Long, Double>> util = read(TRACE.resolve("pod_gpu_duty_cycle_anon.csv"), 0, 1, 2);
        Map<String, TreeMap<Long, Double>> memory = read(TRACE.resolve("pod_gpu_memory_used_bytes_anon.csv"), 1, 0, 2);
        List<String> pods = new ArrayList<>(new TreeSet<>(util.keySet())).subList(0, PODS);

        Path metrics = Files.createDirectories(dir.resolve("metrics"));
        try (Writer out = Files.newBufferedWriter(metrics.resolve(DAY + ".om"), StandardCharsets.UTF_8)) {
            for (int i = 0; i < pods.size(); i++) {
                String ip = pods.get(i);
                String labels = "gpu=\"%d\",UUID=\"GPU-%s\",modelName=\"NVIDIA A10\",Hostname=\"trace-node-%d\",namespace=\"genai\",pod=\"%s\",container=\"sd\""
                        .formatted(i % 8, ip.substring(0, 12), i / 8, podName(ip));
                for (Map.Entry<Long, Double> sample : util.get(ip).entrySet()) {
                    out.write("DCGM_FI_DEV_GPU_UTIL{%s} %s %d%n".formatted(labels,
                            String.format(Locale.ROOT, "%.4f", sample.getValue()), shift(sample.getKey(), dayStart)));
                }
                for (Map.Entry<Long, Double> sample : memory.getOrDefault(ip, new TreeMap<>()).entrySet()) {
                    out.write("DCGM_FI_DEV_FB_USED{%s} %s %d%n".formatted(labels,
                            String.format(Locale.ROOT, "%.1f", sample.getValue() / (1 << 20)),
                            shift(sample.getKey(), dayStart)));
                }
            }
            out.write("# EOF\n");
        }
        SparkSession spark = TestSpark.session();
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        MetricsFiles files = new MetricsFiles(spark);
        IngestSummary summary = new BronzeIngest(lake).ingest(files, files.files(metrics.toString(), DAY), DAY,
                "alibaba");
        assertThat(summary.total().quarantined()).isZero();
        IdleGpuResult result = new IdleGpuDetector(lake, IdleGpuConfig.defaults().withStepSeconds(STEP))
                .detect(summary.clusters(), DAY);

        List<Episode> detected = new ArrayList<>();
        for (Row row : lake.read(IdleGpuTable.EPISODE, "alibaba", DAY).orElseThrow().collectAsList()) {
            detected.add(new Episode(row.getAs("pod"), row.<Timestamp>getAs("start_at").toInstant().getEpochSecond(),
                    row.<Timestamp>getAs("end_at").toInstant().getEpochSecond(), row.<Integer>getAs("hours"),
                    row.<Double>getAs("mean_util")));
        }
        List<Episode> expected = new ArrayList<>();
        int heldHours = 0;
        int idleHours = 0;
        for (String ip : pods) {
            TreeMap<Long, Sample> samples = new TreeMap<>();
            util.get(ip).forEach((ts, value) -> samples.put(shift(ts, dayStart), new Sample(shift(ts, dayStart), value)));
            memory.getOrDefault(ip, new TreeMap<>()).keySet().forEach(ts -> samples.putIfAbsent(shift(ts, dayStart),
                    new Sample(shift(ts, dayStart), null)));
            double[] hourMean = referenceIdleHours(samples, dayStart);
            for (double mean : hourMean) {
                heldHours += Double.isNaN(mean) ? 0 : 1;
                idleHours += !Double.isNaN(mean) && mean < 5 ? 1 : 0;
            }
            int h = 0;
            while (h < 24) {
                if (Double.isNaN(hourMean[h]) || hourMean[h] >= 5) {
                    h++;
                    continue;
                }
                int start = h;
                double sum = 0;
                while (h < 24 && !Double.isNaN(hourMean[h]) && hourMean[h] < 5) {
                    sum += hourMean[h++];
                }
                if (h - start >= 2) {
                    expected.add(new Episode(podName(ip), dayStart + start * 3600L, dayStart + h * 3600L, h - start,
                            sum / (h - start)));
                }
            }
        }
        System.out.printf(Locale.ROOT, "Alibaba trace, %d pods: %d held pod-hours, %d idle, %d episodes (%d h), "
                        + "detector: %s%n", PODS, heldHours, idleHours, expected.size(),
                expected.stream().mapToInt(Episode::hours).sum(), result);

        assertThat(expected).isNotEmpty();
        assertThat(detected).hasSameSizeAs(expected);
        detected.sort(java.util.Comparator.comparing(Episode::pod).thenComparing(Episode::start));
        expected.sort(java.util.Comparator.comparing(Episode::pod).thenComparing(Episode::start));
        for (int i = 0; i < expected.size(); i++) {
            Episode want = expected.get(i);
            Episode got = detected.get(i);
            assertThat(got.pod()).isEqualTo(want.pod());
            assertThat(got.start()).isEqualTo(want.start());
            assertThat(got.end()).isEqualTo(want.end());
            assertThat(got.meanUtil()).isCloseTo(want.meanUtil(), within(1e-3));
        }
    }

    /**
     * Per hour of the day: the mean utilisation when the pod held its GPU the whole hour with enough
     * samples, else NaN. Written out loop by loop, independent of the Spark implementation.
     */
    private static double[] referenceIdleHours(TreeMap<Long, Sample> samples, long dayStart) {
        double[] mean = new double[24];
        java.util.Arrays.fill(mean, Double.NaN);
        List<long[]> tenures = new ArrayList<>();
        long first = -1;
        long last = -1;
        for (long ts : samples.keySet()) {
            if (first < 0) {
                first = ts;
            } else if (ts - last > 900) {
                tenures.add(new long[] {first, last});
                first = ts;
            }
            last = ts;
        }
        tenures.add(new long[] {first, last});
        for (int h = 0; h < 24; h++) {
            long hourStart = dayStart + h * 3600L;
            long hourEnd = hourStart + 3600;
            boolean held = false;
            for (long[] tenure : tenures) {
                held |= tenure[0] <= hourStart + 1.5 * STEP && tenure[1] + STEP >= hourEnd - 1.5 * STEP;
            }
            double sum = 0;
            int count = 0;
            for (Sample sample : samples.subMap(hourStart, hourEnd).values()) {
                if (sample.util() != null) {
                    sum += sample.util();
                    count++;
                }
            }
            if (held && count >= 0.5 * 3600.0 / STEP) {
                mean[h] = sum / count;
            }
        }
        return mean;
    }

    private static String podName(String ip) {
        return "sd-" + ip.substring(0, 10);
    }

    private static long shift(long traceTs, long dayStart) {
        return dayStart + traceTs - TRACE_START;
    }

    /** container_ip → timestamp → value, from a 3-column CSV with a header. */
    private static Map<String, TreeMap<Long, Double>> read(Path file, int valueColumn, int tsColumn, int ipColumn)
            throws IOException {
        Map<String, TreeMap<Long, Double>> series = new TreeMap<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            while ((line = reader.readLine()) != null) {
                String[] fields = line.split(",");
                series.computeIfAbsent(fields[ipColumn], ip -> new TreeMap<>())
                        .put((long) Double.parseDouble(fields[tsColumn]), Double.parseDouble(fields[valueColumn]));
            }
        }
        return series;
    }
}
