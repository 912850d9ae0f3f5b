package io.costlake.costmodel.idlegpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.bronze.BronzeIngest;
import io.costlake.ingest.bronze.IngestSummary;
import io.costlake.ingest.files.MetricsFiles;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.synthetic.SyntheticClusterGenerator;
import io.costlake.ingest.synthetic.SyntheticClusterSpec;
import io.costlake.ingest.testing.TestSpark;

/**
 * A generated, labelled week (5 GPU nodes: pod labels, exported_* labels + engine activity, MIG A100s,
 * time-slicing, no pod mapping; blips, lost scrapes, outages, pods moving) run through OpenMetrics →
 * bronze → detector day by day, scored over (GPU, hour) against the generator's labels. A 5-minute step
 * keeps it small; the definition holds at any step.
 */
class IdleGpuGeneratedWeekEvaluationTest {
    private static final LocalDate FIRST = LocalDate.of(2026, 3, 1);
    private static final int DAYS = 7;

    @TempDir
    Path dir;

    @Test
    void detectorFindsLabelledIdleHoursOfAGeneratedWeekWithRecallAndPrecisionAboveTheBar() {
        SparkSession spark = TestSpark.session();
        SyntheticClusterGenerator.Result generated = new SyntheticClusterGenerator().generate(
                new SyntheticClusterSpec("prod", 7, 24, 20, DAYS, FIRST, 300, 11L), dir.resolve("input"));
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        MetricsFiles files = new MetricsFiles(spark);
        IdleGpuDetector detector = new IdleGpuDetector(lake, IdleGpuConfig.defaults().withStepSeconds(300));
        for (int d = 0; d < DAYS; d++) {
            LocalDate day = FIRST.plusDays(d);
            IngestSummary summary = new BronzeIngest(lake).ingest(
                    files, files.files(generated.metricsDir().toString(), day), day, "default");
            assertThat(summary.total().quarantined()).isZero();
            System.out.println(day + ": " + detector.detect(summary.clusters(), day));
        }

        List<IdleHourLabel> labels = IdleGpuLabelsCsv.read(generated.idleLabels());
        IdleGpuScore score = new IdleGpuEvaluation(lake).evaluate(labels, FIRST, FIRST.plusDays(DAYS - 1));
        System.out.println("generated week: " + score.describe());

        assertThat(labels).hasSize(DAYS * 24 * (4 + 4 + 4 * 4 + 4 + 4));
        assertThat(score.truePositives() + score.falseNegatives()).as("labelled idle hours").isGreaterThan(500);
        assertThat(score.recall()).isGreaterThanOrEqualTo(0.968);
        assertThat(score.precision()).isGreaterThanOrEqualTo(0.95);
    }
}
