package io.costlake.costmodel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.costmodel.audit.AttributionResult;
import io.costlake.costmodel.audit.ClusterDayAudit;
import io.costlake.ingest.bronze.BronzeIngest;
import io.costlake.ingest.bronze.IngestSummary;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.openmetrics.OpenMetricsFileSource;
import io.costlake.ingest.pricing.PriceBookReader;
import io.costlake.ingest.synthetic.SyntheticClusterGenerator;
import io.costlake.ingest.synthetic.SyntheticClusterSpec;
import io.costlake.ingest.testing.TestSpark;

class GeneratedClusterConservationTest {
    @TempDir
    Path dir;

    @Test
    void namespaceCostsAddUpToNodeAndVolumeCostsOnAGeneratedCluster() {
        SparkSession spark = TestSpark.session();
        LocalDate day = LocalDate.of(2026, 3, 1);
        SyntheticClusterGenerator.Result generated = new SyntheticClusterGenerator().generate(
                new SyntheticClusterSpec("prod", 4, 30, 4, 1, day, 300, 7L), dir.resolve("input"));
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        OpenMetricsFileSource source = new OpenMetricsFileSource(spark);
        IngestSummary summary = new BronzeIngest(lake).ingest(
                source.read(source.files(generated.metricsDir().toString(), day)), day, "default");
        assertThat(summary.clusters()).containsExactly("prod");
        assertThat(summary.total().quarantined()).isZero();

        AttributionResult result = new CostAttribution(lake, new PriceBookReader().read(generated.priceBook()),
                CostModelConfig.defaults().withStepSeconds(300)).attribute(summary.clusters(), day);

        ClusterDayAudit audit = result.audits().get(0);
        System.out.println(audit.describe());
        assertThat(audit.balanced()).isTrue();
        assertThat(audit.nodeCost()).isGreaterThan(0);
        assertThat(audit.unpricedSamples()).isZero();
    }
}
