package io.costlake.costmodel;

import static org.apache.spark.sql.functions.abs;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.costmodel.audit.AttributionResult;
import io.costlake.ingest.bronze.BronzeIngest;
import io.costlake.ingest.bronze.IngestSummary;
import io.costlake.ingest.files.MetricsFiles;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.pricing.PriceBook;
import io.costlake.ingest.pricing.PriceBookReader;
import io.costlake.ingest.synthetic.SyntheticClusterGenerator;
import io.costlake.ingest.synthetic.SyntheticClusterSpec;
import io.costlake.ingest.synthetic.SyntheticVariety;
import io.costlake.ingest.testing.TestSpark;

/**
 * The books balance whatever the cluster (DESIGN §4), checked as a property over many generated clusters of
 * random shape: 0–20 GPUs (whole, exported labels, MIG, time-sliced, unmapped exporter), 1–5 CPU nodes with
 * up to 40 pods (over-committed when many), spot nodes by every provider's label, OpenCost prices on some
 * nodes and volumes, extra bound and unbound volumes, pod and namespace labels, and lost kube-state-metrics
 * and cAdvisor scrapes. All clusters are one dataset, attributed in one pass per configuration (the model
 * attributes each cluster on its own).
 *
 * <p>Per cluster-day: Σ namespaces = Σ nodes + Σ volumes to a relative 1e-9; idle ≥ 0 per node and resource;
 * every namespace ≥ 0 but a shared one, which is 0 once spread; Σ cost pools = Σ namespaces; for every label
 * Σ values = Σ namespaces. Tolerances are relative 1e-9 of the cluster-day's cost (floating-point noise).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CostConservationPropertyTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    private static final int CLUSTERS = 24;
    private static final int STEP = 1800;
    private static final double RELATIVE = 1e-9;
    private static final List<String> LABELS = List.of("team", "app");
    private static final List<String> SHARED = List.of("monitoring", "data-pipeline");

    @TempDir
    static Path dir;

    private Lake lake;
    private PriceBook prices;
    private List<String> clusters;

    @BeforeAll
    void generateAndIngestManyClusters() {
        SparkSession spark = TestSpark.session();
        MetricsFiles metricsFiles = new MetricsFiles(spark);
        SplittableRandom random = new SplittableRandom(20_261_125L);
        List<MetricsFiles.MetricsFile> files = new ArrayList<>();
        Path priceBook = null;
        for (int seed = 1; seed <= CLUSTERS; seed++) {
            int gpus = 4 * random.nextInt(6);
            int nodes = (gpus + 3) / 4 + 1 + random.nextInt(5);
            int pods = 8 * random.nextInt(6);
            SyntheticVariety variety = new SyntheticVariety(random.nextBoolean() ? 0.5 : 0, 0.05 * random.nextInt(3),
                    random.nextInt(4), random.nextInt(4) > 0, random.nextBoolean() ? 0.4 : 0);
            SyntheticClusterGenerator.Result generated = new SyntheticClusterGenerator().generate(
                    new SyntheticClusterSpec("c" + seed, nodes, pods, gpus, 1, DAY, STEP, seed, variety),
                    dir.resolve("c" + seed));
            files.addAll(metricsFiles.files(generated.metricsDir().toString(), DAY));
            priceBook = generated.priceBook();
        }
        lake = new Lake(spark, dir.resolve("lake").toString());
        IngestSummary summary = new BronzeIngest(lake).ingest(metricsFiles, files, DAY, "default");
        assertThat(summary.clusters()).hasSize(CLUSTERS);
        assertThat(summary.total().quarantined()).isZero();
        clusters = List.copyOf(summary.clusters());
        // Spot prices for the CPU type only: spot GPU nodes fall back to their on-demand price.
        prices = new PriceBookReader().read(priceBook).withSpotHourly(Map.of("m5.2xlarge", 0.1152));
    }

    @Test
    void everyClusterDayBalancesWithTheDefaults() {
        CostModelConfig config = CostModelConfig.defaults().withStepSeconds(STEP).withAggregateLabels(LABELS);
        assertConservation(new CostAttribution(lake, prices, config).attribute(clusters, DAY), config);
        // The generated variety reached the model: spot nodes, every price source, lost scrapes still priced.
        Dataset<Row> nodes = gold(GoldTable.NODE_DAY);
        assertThat(values(nodes, "capacity_type")).containsExactlyInAnyOrder("spot", "on-demand");
        assertThat(values(nodes, "price_source")).contains("opencost", "price_book_spot", "price_book");
        assertThat(values(gold(GoldTable.VOLUME_DAY), "price_source")).contains("opencost", "price_book",
                "default_rates");
    }

    @Test
    void everyClusterDayBalancesWithSharedIdleAndSharedNamespaces() {
        CostModelConfig config = CostModelConfig.defaults().withStepSeconds(STEP).withAggregateLabels(LABELS)
                .withShareIdle(true).withSharedNamespaces(SHARED, true);
        assertConservation(new CostAttribution(lake, prices, config).attribute(clusters, DAY), config);
    }

    private void assertConservation(AttributionResult result, CostModelConfig config) {
        assertThat(result.audits()).hasSize(CLUSTERS).allSatisfy(audit -> {
            assertThat(audit.balanced()).as(audit.describe()).isTrue();
            assertThat(audit.unpricedSamples()).as(audit.cluster()).isZero();
        });

        Map<String, Double> namespaces = totals(gold(GoldTable.NAMESPACE_DAY), "total_cost");
        Map<String, Double> nodes = totals(gold(GoldTable.NODE_DAY), "total_cost");
        Map<String, Double> volumes = totals(gold(GoldTable.VOLUME_DAY), "storage_cost");
        Map<String, Double> pools = totals(gold(GoldTable.COST_POOL_DAY), "total_cost");
        for (String cluster : clusters) {
            double expected = nodes.getOrDefault(cluster, 0.0) + volumes.getOrDefault(cluster, 0.0);
            assertThat(expected).as("cluster %s costs something", cluster).isPositive();
            assertClose(cluster + " namespaces vs nodes + volumes", namespaces.get(cluster), expected);
            assertClose(cluster + " cost pools vs namespaces", pools.get(cluster), namespaces.get(cluster));
        }
        for (Row row : gold(GoldTable.LABEL_DAY).groupBy("cluster", "label_key")
                .agg(sum("total_cost").as("total")).collectAsList()) {
            String cluster = row.getAs("cluster");
            assertClose(cluster + " label " + row.getAs("label_key") + " vs namespaces", row.getAs("total"),
                    namespaces.get(cluster));
        }
        assertThat(gold(GoldTable.LABEL_DAY).select("cluster", "label_key").distinct().count())
                .isEqualTo((long) CLUSTERS * LABELS.size());

        Column noise = greatest(col("total_cost"), lit(1.0)).multiply(-RELATIVE);
        assertThat(rows(gold(GoldTable.NODE_DAY).where(col("cpu_idle_cost").lt(noise)
                .or(col("ram_idle_cost").lt(noise)).or(col("gpu_idle_cost").lt(noise)))))
                .as("nodes with negative idle").isEmpty();

        Dataset<Row> namespaceRows = gold(GoldTable.NAMESPACE_DAY)
                .join(gold(GoldTable.NAMESPACE_DAY).groupBy("cluster").agg(sum("total_cost").as("cluster_cost")),
                        JoinKeys.of("cluster"));
        Column clusterNoise = col("cluster_cost").multiply(RELATIVE);
        Column shared = col("namespace").isin(config.sharedNamespaces().toArray());
        Column negative = col("total_cost").lt(clusterNoise.unary_$minus());
        assertThat(rows(namespaceRows.where(shared.unary_$bang().and(negative))))
                .as("namespaces with a negative total").isEmpty();
        if (!config.sharedNamespaces().isEmpty()) {
            // A shared namespace keeps its cost only where no other namespace could take it.
            Dataset<Row> receiving = namespaceRows.where(shared.unary_$bang()
                            .and(col("namespace").isin(CostModelConfig.IDLE, CostModelConfig.UNMOUNTED).unary_$bang())
                            .and(col("total_cost").gt(0)))
                    .select("cluster").distinct();
            assertThat(rows(namespaceRows.join(receiving, JoinKeys.of("cluster"))
                    .where(shared.and(abs(col("total_cost")).gt(clusterNoise)))))
                    .as("shared namespaces that kept cost").isEmpty();
            assertThat(namespaceRows.where(shared.and(col("shared_cost").lt(0))).count())
                    .as("shared namespaces that gave cost away").isPositive();
        }
    }

    private Dataset<Row> gold(GoldTable table) {
        return lake.readAll(table).orElseThrow().where(col("day").equalTo(lit(java.sql.Date.valueOf(DAY))));
    }

    private static Map<String, Double> totals(Dataset<Row> rows, String column) {
        Map<String, Double> totals = new HashMap<>();
        for (Row row : rows.groupBy("cluster").agg(sum(column).as("total")).collectAsList()) {
            totals.put(row.getAs("cluster"), row.getAs("total"));
        }
        return totals;
    }

    private static List<String> values(Dataset<Row> rows, String column) {
        return rows.select(column).distinct().as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    }

    /** At most a few offending rows, to show in the failure. */
    private static List<String> rows(Dataset<Row> rows) {
        return rows.limit(5).collectAsList().stream().map(Row::toString).toList();
    }

    private static void assertClose(String what, Double actual, double expected) {
        assertThat(actual).as(what).isNotNull();
        double scale = Math.max(Math.abs(actual), Math.abs(expected));
        assertThat(Math.abs(actual - expected)).as("%s: %s vs %s", what, actual, expected)
                .isLessThanOrEqualTo(RELATIVE * scale);
    }
}
