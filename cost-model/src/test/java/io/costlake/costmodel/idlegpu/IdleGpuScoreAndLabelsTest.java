package io.costlake.costmodel.idlegpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of evaluation and configuration that need no Spark. */
class IdleGpuScoreAndLabelsTest {
    @TempDir
    Path dir;

    @Test
    void scoreIsPrecisionRecallAndF1OfTheConfusionCounts() {
        // precision 90 / (90 + 5) = 0.947368; recall 90 / (90 + 3) = 0.967742; F1 = 2pr / (p + r) = 0.957447.
        IdleGpuScore score = new IdleGpuScore(90, 5, 3, 1000);
        assertThat(score.precision()).isCloseTo(90 / 95.0, within(1e-12));
        assertThat(score.recall()).isCloseTo(90 / 93.0, within(1e-12));
        assertThat(score.f1()).isCloseTo(2 * 90 / (2 * 90 + 5 + 3.0), within(1e-12));
        assertThat(new IdleGpuScore(0, 0, 0, 10).f1()).isEqualTo(1.0);
        assertThatThrownBy(() -> new IdleGpuScore(-1, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void labelsFileIsReadByHeaderWithOptionalMigInstance() throws Exception {
        Path file = dir.resolve("labels.csv");
        Files.writeString(file, """
                cluster,node,gpu_uuid,hour,idle,mig_instance
                prod,gpu-node-1,GPU-a,2026-03-01T00:00:00Z,true,
                prod,gpu-node-3,GPU-b,2026-03-01T01:00:00Z,false,13
                """);
        List<IdleHourLabel> labels = IdleGpuLabelsCsv.read(file);
        assertThat(labels).containsExactly(
                new IdleHourLabel("prod", "gpu-node-1", "GPU-a", "", Instant.parse("2026-03-01T00:00:00Z"), true),
                new IdleHourLabel("prod", "gpu-node-3", "GPU-b", "13", Instant.parse("2026-03-01T01:00:00Z"), false));

        Files.writeString(file, "node,gpu_uuid,hour,idle,cluster\nn,GPU-c,2026-03-01T02:00:00Z,no,prod\n");
        assertThat(IdleGpuLabelsCsv.read(file)).containsExactly(
                new IdleHourLabel("prod", "n", "GPU-c", "", Instant.parse("2026-03-01T02:00:00Z"), false));

        Files.writeString(file, "cluster,node,gpu_uuid,hour,idle\nprod,n,GPU-c,2026-03-01T02:30:00Z,true\n");
        assertThatThrownBy(() -> IdleGpuLabelsCsv.read(file)).hasMessageContaining("line 2")
                .hasMessageContaining("hour boundary");
    }

    @Test
    void configRejectsNonsense() {
        IdleGpuConfig defaults = IdleGpuConfig.defaults();
        assertThat(defaults.minSamplesPerHour()).isEqualTo(30.0);
        assertThatThrownBy(() -> defaults.withThresholds(0, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withThresholds(5, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.withMaxGapSeconds(30)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdleGpuConfig.MigSlice("big", 10)).isInstanceOf(IllegalArgumentException.class);
        assertThat(defaults.withStepSeconds(300).maxGapSeconds()).isEqualTo(900);
    }
}
