package io.costlake.costmodel;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.costmodel.audit.AttributionResult;
import io.costlake.costmodel.audit.ClusterDayAudit;
import io.costlake.ingest.bronze.BronzeIngest;
import io.costlake.ingest.files.MetricsFiles;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.pricing.PriceBook;
import io.costlake.ingest.testing.OpenMetricsFixture;
import io.costlake.ingest.testing.TestSpark;

/**
 * One hand-made cluster day (hourly samples, so a constant allocation costs 24 × hourly) in which each node
 * exercises one rule of DESIGN §4. Price book: default rates cpu 0.03 $/core-h, ram 0.005 $/GiB-h, GPU
 * 2.00 $/h, storage 0.04 $/GiB-month; instance type cpu8 (8 cores, 32 GiB) at 0.80 $/h; gpu4 (16 cores,
 * 64 GiB, 4 × A100) at 10.80 $/h; A100 at 2.50 $/h; storage class gp3 at 0.073 $/GiB-month.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CostAttributionRulesTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    private static final double EXACT = 1e-9;
    private static final String A100 = "NVIDIA A100-SXM4-80GB";
    private static final PriceBook PRICES = new PriceBook("USD", new PriceBook.DefaultRates(0.03, 0.005, 2.0, 0.04),
            Map.of("cpu8", 0.80, "gpu4", 10.80), Map.of(A100, 2.50), Map.of("gp3", 0.073));
    private static final CostModelConfig HOURLY = CostModelConfig.defaults().withStepSeconds(3600)
            .withCostPools("cost-pool", Map.of("batch", "finance"));

    @TempDir
    static Path dir;

    private Lake lake;
    private AttributionResult defaults;
    private Map<String, Row> namespaces;
    private Map<String, Row> nodes;
    private Map<String, Row> volumes;
    private Map<String, Row> pools;
    private Map<String, Row> workloads;

    @BeforeAll
    void ingestTheDayAndAttributeWithDefaults() {
        SparkSession spark = TestSpark.session();
        Path file = OpenMetricsFixture.day(DAY, 3600, "c1")
                .namespace("shop", "team-shop").namespace("batch", "team-data").namespace("crowded", "team-data")
                .namespace("ml", "team-ml").namespace("ml-mig", "team-ml").namespace("infer", "team-ml")
                .node("n-cpu", "cpu8", 8, 32, 0)
                .node("n-full", "cpu8", 8, 32, 0)
                .gpuNode("n-gpu", "gpu4", 16, 64, 4, A100)
                .timeSlicedGpuNode("n-ts", "g-unlisted", 8, 32, 1, "NVIDIA L4", 4)
                .node("n-def", "unlisted", 4, 16, 0)
                .container("shop", "web-7f9c4-aaaaa", "n-cpu", 2, 1, 4, 6)
                // Limits never change an allocation (cpu and memory are max(request, usage)): with a cpu limit of
                // 6 cores and a memory limit of 12 GiB, every figure of shop's web pod below is as without them.
                .series("kube_pod_container_resource_limits", 6, "namespace", "shop", "pod", "web-7f9c4-aaaaa",
                        "container", "app", "node", "n-cpu", "resource", "cpu", "unit", "core")
                .series("kube_pod_container_resource_limits", 12.0 * (1L << 30), "namespace", "shop", "pod",
                        "web-7f9c4-aaaaa", "container", "app", "node", "n-cpu", "resource", "memory", "unit", "byte")
                .container("batch", "job-1", "n-cpu", 1, 3, 8, 2)
                .container("crowded", "a-1", "n-full", 6, 6, 8, 8)
                .container("crowded", "b-1", "n-full", 6, 6, 8, 8)
                .container("ml", "train-0", "n-gpu", 2, 2, 8, 8, "nvidia_com_gpu", 1, 0, 24)
                .container("ml-mig", "small-0", "n-gpu", 1, 1, 4, 4, "nvidia_com_mig_3g_40gb", 1, 0, 24)
                .container("infer", "llm-0", "n-ts", 1, 1, 4, 4, "nvidia_com_gpu_shared", 1, 0, 24)
                .container("misc", "tool-0", "n-def", 1, 0.5, 2, 1, null, 0, 0, 6)
                .container("shop", "web-7f9c4-bbbbb", "n-def", 0.5, 0.25, 1, 0.5)
                .volume("pv-data", 100, "gp3", "shop", "data")
                .volume("pv-old", 73, "standard", null, null)
                .writeTo(dir.resolve("day.om"));
        lake = new Lake(spark, dir.resolve("lake").toString());
        MetricsFiles files = new MetricsFiles(spark);
        new BronzeIngest(lake).ingest(files, files.files(file.toString(), DAY), DAY, "default");
        defaults = attribute(HOURLY);
        // Tests with other settings re-attribute the day; keep the default results.
        namespaces = gold(GoldTable.NAMESPACE_DAY, "namespace");
        nodes = gold(GoldTable.NODE_DAY, "node");
        volumes = gold(GoldTable.VOLUME_DAY, "persistentvolume");
        pools = gold(GoldTable.COST_POOL_DAY, "cost_pool");
        workloads = gold(GoldTable.WORKLOAD_DAY, "workload_name");
    }

    @Test
    void billsTheLargerOfRequestAndUsageBothWays() {
        // n-cpu: 0.80 $/h split by default-rate value 0.24 : 0.16 → cpu 0.06 $/core-h, ram 0.01 $/GiB-h.
        // shop/web-a: cpu max(2 req, 1 used) = 2 → 2 × 0.06 × 24 = 2.88; ram max(4, 6) = 6 → 6 × 0.01 × 24 = 1.44.
        // shop/web-b on n-def (default rates): cpu 0.5 × 0.03 × 24 = 0.36; ram 1 × 0.005 × 24 = 0.12.
        // shop storage: 100 GiB × 0.073 / 730 × 24 = 0.24.
        assertCosts("shop", 2.88 + 0.36, 1.44 + 0.12, 0, 0.24);
        // batch/job: cpu max(1, 3) = 3 → 4.32; ram max(8, 2) = 8 → 1.92.
        assertCosts("batch", 4.32, 1.92, 0, 0);
    }

    @Test
    void scalesAllocationsDownToNodeCapacity() {
        // n-full: two pods want 6 cores each on 8 cores → 4 each → 8 × 0.06 × 24 = 11.52; ram 16 × 0.01 × 24 = 3.84.
        assertCosts("crowded", 11.52, 3.84, 0, 0);
        Row node = nodes.get("n-full");
        assertThat(node.<Double>getAs("cpu_idle_cost")).isCloseTo(0.0, within(EXACT));
        assertThat(node.<Double>getAs("ram_idle_cost")).isCloseTo(16 * 0.01 * 24, within(EXACT));
    }

    @Test
    void splitsAGpuNodePriceIntoGpuCpuAndRamRates() {
        // gpu4: GPU part 4 × 2.50 = 10.00 of 10.80; the 0.80 rest splits 0.48 : 0.32 → cpu 0.03, ram 0.005.
        Row node = nodes.get("n-gpu");
        assertThat(node.<Double>getAs("gpu_rate")).isCloseTo(2.50, within(EXACT));
        assertThat(node.<Double>getAs("cpu_rate")).isCloseTo(0.03, within(EXACT));
        assertThat(node.<Double>getAs("ram_rate")).isCloseTo(0.005, within(EXACT));
        assertThat(node.<Double>getAs("total_cost")).isCloseTo(10.80 * 24, within(EXACT));
        assertThat(node.<String>getAs("price_source")).isEqualTo("price_book");
        // ml/train: 1 GPU × 2.50 × 24 = 60; cpu 2 × 0.03 × 24 = 1.44; ram 8 × 0.005 × 24 = 0.96.
        assertCosts("ml", 1.44, 0.96, 60, 0);
    }

    @Test
    void billsAMigSliceAsItsSevenths() {
        // 3g.40gb = 3/7 of an A100: 3/7 × 2.50 × 24 = 25.714285714…; cpu 0.72; ram 0.48.
        assertCosts("ml-mig", 0.72, 0.48, 3.0 / 7 * 60, 0);
    }

    @Test
    void splitsATimeSlicedGpuByItsReplicas() {
        // n-ts: 1 physical GPU (label), 4 replicas; unlisted type → default rates, GPU 2.00 $/h.
        // infer/llm: 1 replica = 1/4 GPU → 0.25 × 2.00 × 24 = 12; cpu 0.72; ram 0.48.
        assertCosts("infer", 0.72, 0.48, 12, 0);
        Row node = nodes.get("n-ts");
        assertThat(node.<String>getAs("price_source")).isEqualTo("default_rates");
        assertThat(node.<Double>getAs("gpus")).isEqualTo(1.0);
    }

    @Test
    void pricesNodesOfUnknownTypeAtDefaultRatesAndBillsOnlyTheHoursAContainerRan() {
        // misc/tool ran 6 of 24 hours: cpu max(1, 0.5) × 0.03 × 6 = 0.18; ram max(2, 1) × 0.005 × 6 = 0.06.
        assertCosts("misc", 0.18, 0.06, 0, 0);
    }

    @Test
    void reportsUnallocatedNodeCapacityAsIdlePerResource() {
        // cpu idle: n-cpu 3 × 0.06 × 24 = 4.32, n-full 0, n-gpu 13 × 0.03 × 24 = 9.36, n-ts 7 × 0.72 = 5.04,
        //           n-def 2.88 − 0.18 − 0.36 = 2.34                                        → 21.06
        // ram idle: 18 × 0.24 = 4.32, 16 × 0.24 = 3.84, 52 × 0.12 = 6.24, 28 × 0.12 = 3.36,
        //           1.92 − 0.06 − 0.12 = 1.74                                              → 19.50
        // gpu idle: n-gpu (4 − 1 − 3/7) × 60 = 154.2857…, n-ts 0.75 × 48 = 36                → 190.2857…
        assertCosts(CostModelConfig.IDLE, 21.06, 19.50, 18.0 / 7 * 60 + 36, 0);
        assertThat(namespaces.get(CostModelConfig.IDLE).<String>getAs("cost_pool")).isEqualTo(CostModelConfig.IDLE);
    }

    @Test
    void chargesUnboundVolumesToUnmounted() {
        // pv-old: 73 GiB of an unlisted class at the default 0.04 $/GiB-month: 73 × 0.04 / 730 × 24 = 0.096.
        assertCosts(CostModelConfig.UNMOUNTED, 0, 0, 0, 0.096);
        Row volume = volumes.get("pv-data");
        assertThat(volume.<String>getAs("namespace")).isEqualTo("shop");
        assertThat(volume.<Double>getAs("storage_cost")).isCloseTo(0.24, within(EXACT));
    }

    @Test
    void balancesTheBooksToTheCent() {
        // nodes: 19.20 + 19.20 + 259.20 + (8 × 0.03 + 32 × 0.005 + 2.00) × 24 = 57.60 + 0.20 × 24 = 4.80 → 360.00
        // volumes: 0.24 + 0.096 = 0.336
        ClusterDayAudit audit = defaults.audits().get(0);
        assertThat(audit.nodeCost()).isCloseTo(360.0, within(EXACT));
        assertThat(audit.volumeCost()).isCloseTo(0.336, within(EXACT));
        assertThat(audit.namespaceCost()).isCloseTo(360.336, within(EXACT));
        assertThat(audit.balanced()).isTrue();
        assertThat(audit.unpricedSamples()).isZero();
    }

    @Test
    void assignsCostPoolsFromConfigMappingThenLabelThenUnassigned() {
        assertThat(namespaces.get("shop").<String>getAs("cost_pool")).isEqualTo("team-shop");
        assertThat(namespaces.get("batch").<String>getAs("cost_pool")).isEqualTo("finance");
        assertThat(namespaces.get("misc").<String>getAs("cost_pool")).isEqualTo("unassigned");
        // team-ml = ml 62.40 + ml-mig (1.20 + 25.714285…) + infer 13.20
        Row pool = pools.get("team-ml");
        assertThat(pool.<Double>getAs("total_cost")).isCloseTo(62.40 + 1.20 + 3.0 / 7 * 60 + 13.20, within(EXACT));
        assertThat(pool.<Long>getAs("namespaces")).isEqualTo(3L);
    }

    @Test
    void groupsReplicaSetPodsIntoTheirDeploymentWithEfficiency() {
        Row web = workloads.get("web");
        assertThat(web.<String>getAs("workload_kind")).isEqualTo("Deployment");
        assertThat(web.<Long>getAs("pods")).isEqualTo(2L);
        // cost: web-a 4.32 + web-b 0.48; cpu efficiency: used (1 + 0.25) × 24 = 30 of billable (2 + 0.5) × 24 = 60.
        assertThat(web.<Double>getAs("total_cost")).isCloseTo(4.80, within(EXACT));
        assertThat(web.<Double>getAs("cpu_efficiency")).isCloseTo(0.5, within(EXACT));
    }

    @Test
    void sharesEachNodesIdleInProportionToItsNamespacesCostWhenShareIdleIsOn() {
        attribute(HOURLY.withShareIdle(true));
        Map<String, Row> shared = gold(GoldTable.NAMESPACE_DAY, "namespace");
        // n-cpu idle 8.64 over shop-a 4.32 and batch 6.24; n-def idle 4.08 over misc 0.24 and shop-b 0.48.
        assertThat(shared.get("batch").<Double>getAs("idle_cost")).isCloseTo(8.64 * 6.24 / 10.56, within(EXACT));
        assertThat(shared.get("shop").<Double>getAs("idle_cost"))
                .isCloseTo(8.64 * 4.32 / 10.56 + 4.08 * 0.48 / 0.72, within(EXACT));
        assertThat(shared).doesNotContainKey(CostModelConfig.IDLE);
        assertThat(sumOfTotals(shared)).isCloseTo(360.336, within(EXACT));
    }

    @Test
    void spreadsSharedNamespacesWeightedByCost() {
        Map<String, Row> shared = namespacesOfTheStoredDay(HOURLY.withSharedNamespaces(List.of("misc"), true));
        // misc (0.24) goes to shop 5.04, batch 6.24, crowded 15.36, ml 62.40, ml-mig 26.914…, infer 13.20.
        double receivers = 5.04 + 6.24 + 15.36 + 62.40 + (1.20 + 3.0 / 7 * 60) + 13.20;
        assertThat(shared.get("shop").<Double>getAs("shared_cost")).isCloseTo(0.24 * 5.04 / receivers, within(EXACT));
        assertThat(shared.get("misc").<Double>getAs("shared_cost")).isCloseTo(-0.24, within(EXACT));
        assertThat(shared.get("misc").<Double>getAs("total_cost")).isCloseTo(0, within(EXACT));
        assertThat(shared.get(CostModelConfig.IDLE).<Double>getAs("shared_cost")).isZero();
        assertThat(sumOfTotals(shared)).isCloseTo(360.336, within(EXACT));
    }

    @Test
    void spreadsSharedNamespacesEvenlyWhenConfigured() {
        Map<String, Row> shared = namespacesOfTheStoredDay(HOURLY.withSharedNamespaces(List.of("misc"), false));
        // 0.24 over six receiving namespaces = 0.04 each.
        for (String namespace : List.of("shop", "batch", "crowded", "ml", "ml-mig", "infer")) {
            assertThat(shared.get(namespace).<Double>getAs("shared_cost")).isCloseTo(0.04, within(EXACT));
        }
        assertThat(sumOfTotals(shared)).isCloseTo(360.336, within(EXACT));
    }

    private AttributionResult attribute(CostModelConfig config) {
        return new CostAttribution(lake, PRICES, config).attribute(List.of("c1"), DAY);
    }

    /**
     * The namespace costs {@code config} gives from the container-hours, node-days and volumes the default
     * attribution stored: shared namespaces are spread after the allocation, from those alone, so these tests
     * need no attribution of their own (each was a fifth of this class's time). The attribution with shared
     * namespaces as a whole is CostConservationPropertyTest's.
     */
    private Map<String, Row> namespacesOfTheStoredDay(CostModelConfig config) {
        Dataset<Row> pools = lake.read(GoldTable.NAMESPACE_DAY, "c1", DAY).orElseThrow()
                .select(col("cluster"), col("namespace"), col("cost_pool").as("pool"));
        Dataset<Row> namespaceDay = new NamespaceCosts(config).namespaceDays(stored(GoldTable.CONTAINER_HOUR),
                stored(GoldTable.NODE_DAY), stored(GoldTable.VOLUME_DAY), pools);
        Map<String, Row> rows = new HashMap<>();
        for (Row row : namespaceDay.collectAsList()) {
            rows.put(row.getAs("namespace"), row);
        }
        return rows;
    }

    private Dataset<Row> stored(GoldTable table) {
        return lake.read(table, "c1", DAY).orElseThrow();
    }

    private void assertCosts(String namespace, double cpu, double ram, double gpu, double storage) {
        Row row = namespaces.get(namespace);
        assertThat(row).as("namespace %s", namespace).isNotNull();
        assertThat(row.<Double>getAs("cpu_cost")).as("%s cpu", namespace).isCloseTo(cpu, within(EXACT));
        assertThat(row.<Double>getAs("ram_cost")).as("%s ram", namespace).isCloseTo(ram, within(EXACT));
        assertThat(row.<Double>getAs("gpu_cost")).as("%s gpu", namespace).isCloseTo(gpu, within(EXACT));
        assertThat(row.<Double>getAs("storage_cost")).as("%s storage", namespace).isCloseTo(storage, within(EXACT));
        assertThat(row.<Double>getAs("total_cost")).as("%s total", namespace)
                .isCloseTo(cpu + ram + gpu + storage, within(EXACT));
    }

    private Map<String, Row> gold(GoldTable table, String key) {
        Map<String, Row> rows = new HashMap<>();
        for (Row row : stored(table).collectAsList()) {
            rows.put(row.getAs(key), row);
        }
        return rows;
    }

    private static double sumOfTotals(Map<String, Row> rows) {
        return rows.values().stream().mapToDouble(row -> row.<Double>getAs("total_cost")).sum();
    }
}
