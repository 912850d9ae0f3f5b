package io.costlake.costmodel.idlegpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.apache.spark.sql.functions.col;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.testing.TestSpark;

/**
 * One hand-made day with one GPU per rule, detected once; each test reads its GPU's findings. Minutes of
 * the day in the fixture, 60 s step, A100-80GB at $2.50/GPU-h on node-a, A10G at $1.006 elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdleGpuDetectorTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 2);
    private static final String A100 = "NVIDIA A100-SXM4-80GB";
    private static final String A10G = "NVIDIA A10G";
    private static final double TOLERANCE = 1e-9;

    private Lake lake;
    private IdleGpuResult result;
    private List<Row> episodes;
    private List<Row> unallocated;

    @BeforeAll
    void detectOnce() throws Exception {
        Path dir = Files.createTempDirectory("idle-gpu-rules");
        lake = new Lake(TestSpark.session(), dir.toString());
        GpuDayFixture day = new GpuDayFixture("lab", DAY)
                .rate("node-a", A100, 2.5).rate("node-b", A10G, 1.006).rate("node-c", A10G, 1.006)
                .rate("node-d", A10G, 1.006).rate("node-e", A10G, 1.006);
        day.gpu("node-a", "GPU-threshold", A100).heldBy("ml", "below", 0, 1440)
                .util(4.9, 0, 180).util(5.0, 180, 1440).memory(8000);
        day.gpu("node-a", "GPU-blip", A100).heldBy("ml", "blip", 0, 1440)
                .util(1.0, 0, 240).util(20.0, 70, 80).util(60.0, 240, 1440).memory(30000);
        day.gpu("node-a", "GPU-split", A100).heldBy("ml", "split", 0, 1440)
                .util(1.0, 0, 300).util(20.0, 130, 150).util(60.0, 300, 1440).memory(50000);
        day.gpu("node-a", "GPU-short", A100).heldBy("ml", "short", 0, 1440)
                .util(70.0, 0, 1440).util(0.0, 300, 360);
        day.gpu("node-a", "GPU-podchange", A100).heldBy("ml", "first", 0, 210).heldBy("ml", "second", 210, 1440)
                .util(0.0, 0, 480).util(60.0, 480, 1440).memory(60000);
        day.gpu("node-a", "GPU-gaps", A100).heldBy("ml", "gappy", 0, 1440).util(2.0, 0, 1440).memory(60000)
                .missing(60, 70).missing(600, 620).missingEvery(3, 300, 360);
        day.gpu("node-a", "GPU-free", A100).util(0.0, 0, 1440);
        day.mig("node-a", "GPU-mig", A100, "1g.10gb", "13").heldBy("ml", "mig-small", 0, 1440).util(1.0, 0, 1440)
                .memory(3000);
        day.mig("node-a", "GPU-mig", A100, "3g.40gb", "1").heldBy("ml", "mig-big", 0, 1440).util(50.0, 0, 1440);
        day.mig("node-a", "GPU-mig", A100, "2g.20gb", "5").util(0.0, 0, 1440);
        day.owner("node-a", "ml", "mig-small", "Job", "mig-small");
        day.gpu("node-b", "GPU-engine", A10G).heldBy("serve", "api-7d9f5-abcde", 0, 1440).util(0.0, 0, 1440)
                .engineActive(0.30, 0, 120).memory(2000);
        day.owner("node-b", "serve", "api-7d9f5-abcde", "ReplicaSet", "api-7d9f5");
        day.unmappedGpu("node-c", "GPU-c1", A10G).util(0.0, 0, 360).util(80.0, 360, 1440);
        day.unmappedGpu("node-c", "GPU-c2", A10G).util(0.0, 0, 360).util(80.0, 360, 1440);
        day.gpuRequest("node-c", "train", "trainer-0", 2, 0, 1440);
        day.unmappedGpu("node-d", "GPU-d1", A10G).util(0.0, 0, 1440);
        day.unmappedGpu("node-d", "GPU-d2", A10G).util(0.0, 0, 1440);
        day.gpuRequest("node-d", "train", "a", 1, 0, 1440).gpuRequest("node-d", "train", "b", 1, 0, 1440);
        day.gpu("node-e", "GPU-shared", A10G).heldBy("ts", "one", 0, 1440).heldBy("ts", "two", 0, 720)
                .util(1.0, 0, 1440);
        day.write(lake);

        result = new IdleGpuDetector(lake, IdleGpuConfig.defaults()).detect(Set.of("lab"), DAY);
        episodes = lake.read(IdleGpuTable.EPISODE, "lab", DAY).orElseThrow()
                .orderBy(col("gpu_uuid"), col("mig_instance"), col("start_at")).collectAsList();
        unallocated = lake.read(IdleGpuTable.UNALLOCATED, "lab", DAY).orElseThrow().orderBy("gpu_uuid").collectAsList();
        episodes.forEach(System.out::println);
        unallocated.forEach(System.out::println);
        System.out.println(result);
    }

    @Test
    void hoursJustBelowThresholdAreIdleAndHoursAtThresholdAreNot() {
        // Hours 0–2 at 4.9 % are idle; from 03:00 the mean is exactly 5.0 %, which is not below 5.
        Row episode = only("GPU-threshold");
        assertEpisode(episode, "ml", "below", 0, 3);
        assertThat(episode.<Double>getAs("mean_util")).isCloseTo(4.9, within(TOLERANCE));
        assertThat(episode.<Double>getAs("max_util")).isCloseTo(4.9, within(TOLERANCE));
        // 3 h × $2.50; 8,000 MiB fits the 10 GiB slice of a MIG-capable A100-80GB.
        assertThat(episode.<Double>getAs("wasted_cost")).isCloseTo(7.5, within(TOLERANCE));
        assertThat(episode.<String>getAs("recommendation")).isEqualTo("move to MIG slice 1g.10gb");
        assertThat(episode.<Double>getAs("mem_used_mib")).isEqualTo(8000.0);
        assertThat(episode.<String>getAs("gpu_model")).isEqualTo(A100);
        assertThat(episode.<String>getAs("mig_instance")).isEmpty();
    }

    @Test
    void blipInsideIdleRunKeepsEpisodeWhenHourMeanStaysBelowThreshold() {
        // Hour 1 has 10 minutes at 20 %: (50 × 1 + 10 × 20) / 60 = 4.1667 % < 5, so 00:00–04:00 stays one
        // episode; its mean is the mean of the hourly means (1 + 4.1667 + 1 + 1) / 4 = 1.7917.
        Row episode = only("GPU-blip");
        assertEpisode(episode, "ml", "blip", 0, 4);
        assertThat(episode.<Double>getAs("mean_util")).isCloseTo((1 + 250.0 / 60 + 1 + 1) / 4, within(TOLERANCE));
        assertThat(episode.<Double>getAs("max_util")).isEqualTo(20.0);
        // 30,000 MiB needs the 40 GiB slice.
        assertThat(episode.<String>getAs("recommendation")).isEqualTo("move to MIG slice 3g.40gb");
    }

    @Test
    void blipThatLiftsTheHourMeanAboveThresholdSplitsTheRun() {
        // Hour 2 has 20 minutes at 20 %: (40 × 1 + 20 × 20) / 60 = 7.33 % → busy; 00–02 and 03–05 remain.
        List<Row> split = of("GPU-split");
        assertThat(split).hasSize(2);
        assertEpisode(split.get(0), "ml", "split", 0, 2);
        assertEpisode(split.get(1), "ml", "split", 3, 5);
        // 50,000 MiB fits no offered slice and the pod has no known owner.
        assertThat(split.get(0).<String>getAs("recommendation")).isEqualTo("release");
    }

    @Test
    void oneHourIdleRunBelowMinIdleHoursIsNoEpisode() {
        assertThat(of("GPU-short")).isEmpty();
    }

    @Test
    void podChangeMidRunEndsOneEpisodeAndStartsAnother() {
        // first holds until 03:30, second from 03:30: hour 3 had two pods, so it is nobody's idle hour.
        List<Row> runs = of("GPU-podchange");
        assertThat(runs).hasSize(2);
        assertEpisode(runs.get(0), "ml", "first", 0, 3);
        assertEpisode(runs.get(1), "ml", "second", 4, 8);
    }

    @Test
    void missingScrapesAreBridgedUpToMaxGapAndLongerSilenceEndsTheTenure() {
        // 10 missing minutes at 01:00 and every third minute in hour 5 are lost scrapes; 20 silent minutes
        // from 10:00 exceed the 15-minute gap, so hour 10 is not held throughout: 00–10 and 11–24.
        List<Row> runs = of("GPU-gaps");
        assertThat(runs).hasSize(2);
        assertEpisode(runs.get(0), "ml", "gappy", 0, 10);
        assertEpisode(runs.get(1), "ml", "gappy", 11, 24);
        assertThat(runs.get(1).<Double>getAs("wasted_cost")).isCloseTo(13 * 2.5, within(TOLERANCE));
    }

    @Test
    void migInstanceIsItsOwnGpuAndCostsItsFractionOfTheGpu() {
        // Instance 13 (1g.10gb) idle at 1 % engine activity all day; instance 1 busy; instance 5 unheld.
        Row episode = only("GPU-mig");
        assertEpisode(episode, "ml", "mig-small", 0, 24);
        assertThat(episode.<String>getAs("mig_instance")).isEqualTo("13");
        assertThat(episode.<String>getAs("mig_profile")).isEqualTo("1g.10gb");
        assertThat(episode.<Double>getAs("mean_util")).isCloseTo(1.0, within(TOLERANCE));
        // 24 h × $2.50 × 1/7; already a slice, owned by a Job → release.
        assertThat(episode.<Double>getAs("wasted_cost")).isCloseTo(24 * 2.5 / 7, within(TOLERANCE));
        assertThat(episode.<String>getAs("recommendation")).isEqualTo("release");
        assertThat(episode.<String>getAs("workload_kind")).isEqualTo("Job");
        // The unheld 2g.20gb instance is 2/7 of a GPU for 24 h.
        Row free = unallocated("GPU-mig");
        assertThat(free.<Double>getAs("unallocated_hours")).isCloseTo(24 * 2 / 7.0, within(TOLERANCE));
        assertThat(free.<Double>getAs("unallocated_cost")).isCloseTo(24 * 2 / 7.0 * 2.5, within(TOLERANCE));
    }

    @Test
    void engineActivityWinsOverGpuUtilWhereBothArePresent() {
        // DEV_GPU_UTIL says 0 all day, but GR_ENGINE_ACTIVE says 30 % until 02:00: idle from 02:00 only.
        Row episode = only("GPU-engine");
        assertEpisode(episode, "serve", "api-7d9f5-abcde", 2, 24);
        assertThat(episode.<Double>getAs("wasted_cost")).isCloseTo(22 * 1.006, within(TOLERANCE));
        // A10G cannot do MIG; a ReplicaSet's pod belongs to Deployment "api" → scale to zero.
        assertThat(episode.<String>getAs("workload_kind")).isEqualTo("Deployment");
        assertThat(episode.<String>getAs("workload_name")).isEqualTo("api");
        assertThat(episode.<String>getAs("recommendation")).isEqualTo("scale to zero");
    }

    @Test
    void nodeWithoutPodLabelsBindsGpusToTheOnlyPodRequestingAllOfThem() {
        assertEpisode(only("GPU-c1"), "train", "trainer-0", 0, 6);
        assertEpisode(only("GPU-c2"), "train", "trainer-0", 0, 6);
    }

    @Test
    void ambiguousRequestsOnANodeWithoutPodLabelsNameNoPodAndNoUnallocatedCapacity() {
        // Two pods request one GPU each: which GPU is whose is unknown. 2 GPUs × 24 h unresolved.
        assertThat(of("GPU-d1")).isEmpty();
        assertThat(of("GPU-d2")).isEmpty();
        assertThat(unallocated).extracting(row -> row.<String>getAs("gpu_uuid")).doesNotContain("GPU-d1", "GPU-d2");
        assertThat(result.unresolvedGpuHours()).isCloseTo(48.0, within(TOLERANCE));
    }

    @Test
    void timeSlicedGpuIsIdleOnlyWhileOnePodHoldsIt() {
        // "two" shares the GPU until 12:00; from then "one" holds it alone at 1 %.
        assertEpisode(only("GPU-shared"), "ts", "one", 12, 24);
    }

    @Test
    void gpuHeldByNoPodIsUnallocatedCapacityWithItsCost() {
        Row free = unallocated("GPU-free");
        assertThat(free.<Double>getAs("unallocated_hours")).isCloseTo(24.0, within(TOLERANCE));
        assertThat(free.<Double>getAs("unallocated_cost")).isCloseTo(60.0, within(TOLERANCE));
        assertThat(of("GPU-free")).isEmpty();
        // Every other whole GPU is held (or unresolved) all day: only the free GPU and the MIG GPU appear.
        assertThat(unallocated).extracting(row -> row.<String>getAs("gpu_uuid"))
                .containsExactly("GPU-free", "GPU-mig");
    }

    @Test
    void resultCountsAddUpTheGoldRows() {
        // 3 + 4 + 2 + 2 + 3 + 4 + 10 + 13 + 24 + 22 + 6 + 6 + 12 = 111 idle hours in 13 episodes.
        assertThat(result.episodes()).isEqualTo(13);
        assertThat(result.idleGpuHours()).isCloseTo(111.0, within(TOLERANCE));
        assertThat(result.unallocatedGpuHours()).isCloseTo(24 + 24 * 2 / 7.0, within(TOLERANCE));
    }

    private List<Row> of(String uuid) {
        return episodes.stream().filter(row -> uuid.equals(row.getAs("gpu_uuid"))).toList();
    }

    private Row only(String uuid) {
        List<Row> rows = of(uuid);
        assertThat(rows).as("episodes of " + uuid).hasSize(1);
        return rows.get(0);
    }

    private Row unallocated(String uuid) {
        return unallocated.stream().filter(row -> uuid.equals(row.getAs("gpu_uuid"))).findFirst().orElseThrow();
    }

    private static void assertEpisode(Row episode, String namespace, String pod, int startHour, int endHour) {
        Instant dayStart = DAY.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        assertThat(episode.<String>getAs("namespace")).isEqualTo(namespace);
        assertThat(episode.<String>getAs("pod")).isEqualTo(pod);
        assertThat(episode.<Timestamp>getAs("start_at").toInstant()).isEqualTo(dayStart.plusSeconds(startHour * 3600L));
        assertThat(episode.<Timestamp>getAs("end_at").toInstant()).isEqualTo(dayStart.plusSeconds(endHour * 3600L));
        assertThat(episode.<Integer>getAs("hours")).isEqualTo(endHour - startHour);
    }
}
