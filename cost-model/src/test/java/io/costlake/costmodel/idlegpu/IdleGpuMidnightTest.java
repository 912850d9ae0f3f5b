package io.costlake.costmodel.idlegpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.apache.spark.sql.functions.col;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.testing.TestSpark;

class IdleGpuMidnightTest {
    private static final LocalDate FIRST = LocalDate.of(2026, 3, 3);
    private static final LocalDate SECOND = FIRST.plusDays(1);
    private static final String A10G = "NVIDIA A10G";

    @TempDir
    Path dir;

    @Test
    void episodeCrossingMidnightIsContinuedNotSplitAndRerunningTheSecondDayDoesNotDuplicateIt() {
        Lake lake = new Lake(TestSpark.session(), dir.toString());
        IdleGpuDetector detector = new IdleGpuDetector(lake, IdleGpuConfig.defaults());
        // night: idle 22:00–24:00 on the first day and 00:00–03:00 on the second → one 5 h episode.
        // edge: idle only 23:00–24:00 and 00:00–01:00 → 1 h + 1 h, an episode only once joined.
        GpuDayFixture first = new GpuDayFixture("lab", FIRST).rate("node-1", A10G, 2.0);
        first.gpu("node-1", "GPU-night", A10G).heldBy("ml", "night", 0, 1440).util(60, 0, 1320).util(1, 1320, 1440);
        first.gpu("node-1", "GPU-edge", A10G).heldBy("ml", "edge", 0, 1440).util(60, 0, 1380).util(3, 1380, 1440);
        first.write(lake);
        GpuDayFixture second = new GpuDayFixture("lab", SECOND).rate("node-1", A10G, 2.0);
        second.gpu("node-1", "GPU-night", A10G).heldBy("ml", "night", 0, 1440).util(1, 0, 180).util(60, 180, 1440);
        second.gpu("node-1", "GPU-edge", A10G).heldBy("ml", "edge", 0, 1440).util(1, 0, 60).util(60, 60, 1440);
        second.write(lake);

        detector.detect(Set.of("lab"), FIRST);
        List<Row> firstDay = episodes(lake, FIRST);
        // The first day alone sees night's 2 h (22–24) and edge's single hour, which is too short.
        assertThat(firstDay).hasSize(1);
        assertEpisode(firstDay.get(0), "night", at(FIRST, 22), at(SECOND, 0), 2, 1.0, 4.0);

        IdleGpuResult result = detector.detect(Set.of("lab"), SECOND);
        IdleGpuResult rerun = detector.detect(Set.of("lab"), SECOND);
        assertThat(rerun).isEqualTo(result);
        List<Row> secondDay = episodes(lake, SECOND);
        assertThat(secondDay).hasSize(2);
        // edge: (3 % × 1 h + 1 % × 1 h) / 2 h = 2 %, 2 h × $2 = $4, starting on the first day.
        assertEpisode(secondDay.get(0), "edge", at(FIRST, 23), at(SECOND, 1), 2, 2.0, 4.0);
        // night: 2 h from the first day + 3 h → 5 h from 22:00, $10.
        assertEpisode(secondDay.get(1), "night", at(FIRST, 22), at(SECOND, 3), 5, 1.0, 10.0);
        // The first day's row of night (cut at midnight) keeps its key; the later day's row is the whole episode.
        assertThat(episodes(lake, FIRST)).hasSize(1);
        assertThat(firstDay.get(0).<Timestamp>getAs("start_at").toInstant())
                .isEqualTo(secondDay.get(1).<Timestamp>getAs("start_at").toInstant());
    }

    private static List<Row> episodes(Lake lake, LocalDate day) {
        return lake.read(IdleGpuTable.EPISODE, "lab", day).orElseThrow().orderBy(col("pod")).collectAsList();
    }

    private static Instant at(LocalDate day, int hour) {
        return day.atStartOfDay(ZoneOffset.UTC).plusHours(hour).toInstant();
    }

    private static void assertEpisode(Row episode, String pod, Instant start, Instant end, int hours, double meanUtil,
            double wastedCost) {
        assertThat(episode.<String>getAs("pod")).isEqualTo(pod);
        assertThat(episode.<Timestamp>getAs("start_at").toInstant()).isEqualTo(start);
        assertThat(episode.<Timestamp>getAs("end_at").toInstant()).isEqualTo(end);
        assertThat(episode.<Integer>getAs("hours")).isEqualTo(hours);
        assertThat(episode.<Double>getAs("mean_util")).isCloseTo(meanUtil, within(1e-9));
        assertThat(episode.<Double>getAs("wasted_cost")).isCloseTo(wastedCost, within(1e-9));
    }
}
