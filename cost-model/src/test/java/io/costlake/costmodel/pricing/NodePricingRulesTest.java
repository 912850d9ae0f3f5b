package io.costlake.costmodel.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.costmodel.CostAttribution;
import io.costlake.costmodel.CostModelConfig;
import io.costlake.costmodel.GoldTable;
import io.costlake.costmodel.audit.AttributionResult;
import io.costlake.costmodel.audit.ClusterDayAudit;
import io.costlake.costmodel.testing.FixtureLake;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.pricing.PriceBook;
import io.costlake.ingest.testing.OpenMetricsFixture;

/**
 * Where a node's and a volume's price comes from: spot nodes by the spot price of their type, OpenCost's
 * own metrics over the price book, the price book over the default rates. One cluster day at hourly
 * samples, so a constant price costs 24 × hourly.
 *
 * <p>Price book: default rates cpu 0.03 $/core-h, ram 0.005 $/GiB-h, GPU 2.00 $/h, storage 0.04
 * $/GiB-month; cpu8 (8 cores, 32 GiB) on-demand 0.80 $/h and spot 0.24 $/h; cpu8b on-demand 0.80 $/h and no
 * spot price; gpu4 (16 cores, 64 GiB, 4 × A100) 10.80 $/h; storage class gp3 0.073 $/GiB-month. A cpu8
 * price splits between CPU and RAM by their default-rate values 8 × 0.03 : 32 × 0.005 = 0.24 : 0.16, i.e.
 * 60 % to CPU (÷ 8 cores) and 40 % to RAM (÷ 32 GiB).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodePricingRulesTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    private static final double EXACT = 1e-9;
    private static final String A100 = "NVIDIA A100-SXM4-80GB";
    private static final PriceBook PRICES = new PriceBook("USD", new PriceBook.DefaultRates(0.03, 0.005, 2.0, 0.04),
            Map.of("cpu8", 0.80, "cpu8b", 0.80, "gpu4", 10.80), Map.of(A100, 2.50), Map.of("gp3", 0.073))
            .withSpotHourly(Map.of("cpu8", 0.24));

    @TempDir
    static Path dir;

    private AttributionResult result;
    private Map<String, Row> nodes;
    private Map<String, Row> volumes;
    private Map<String, Row> namespaces;

    @BeforeAll
    void ingestAndAttribute() {
        Path file = OpenMetricsFixture.day(DAY, 3600, "c1")
                .namespace("shop", "team-shop").namespace("ml", "team-ml")
                .node("n-od", "cpu8", 8, 32, 0)
                .node("n-od-labelled", "cpu8", 8, 32, 0)
                .nodeLabels("n-od-labelled", "label_karpenter_sh_capacity_type", "on-demand")
                .node("n-karpenter", "cpu8", 8, 32, 0)
                .nodeLabels("n-karpenter", "label_karpenter_sh_capacity_type", "spot")
                .node("n-eks", "cpu8", 8, 32, 0)
                .nodeLabels("n-eks", "label_eks_amazonaws_com_capacity_type", "SPOT")
                .node("n-gke-spot", "cpu8", 8, 32, 0)
                .nodeLabels("n-gke-spot", "label_cloud_google_com_gke_spot", "true")
                .node("n-gke-preemptible", "cpu8", 8, 32, 0)
                .nodeLabels("n-gke-preemptible", "label_cloud_google_com_gke_preemptible", "true")
                .node("n-aks", "cpu8", 8, 32, 0)
                .nodeLabels("n-aks", "label_kubernetes_azure_com_scalesetpriority", "spot")
                .node("n-spot-no-spot-price", "cpu8b", 8, 32, 0)
                .nodeLabels("n-spot-no-spot-price", "label_karpenter_sh_capacity_type", "spot")
                .node("n-opencost-total", "cpu8", 8, 32, 0)
                .nodeLabels("n-opencost-total", "label_karpenter_sh_capacity_type", "spot")
                .series("node_total_hourly_cost", 0.50, "node", "n-opencost-total", "instance_type", "cpu8")
                .node("n-opencost-rates", "cpu8", 8, 32, 0)
                .series("node_total_hourly_cost", 0.288, "node", "n-opencost-rates", "instance_type", "cpu8")
                .series("node_cpu_hourly_cost", 0.02, "node", "n-opencost-rates", "instance_type", "cpu8")
                .series("node_ram_hourly_cost", 0.004, "node", "n-opencost-rates", "instance_type", "cpu8")
                .gpuNode("n-gpu-opencost", "gpu4", 16, 64, 4, A100)
                .series("node_cpu_hourly_cost", 0.03, "node", "n-gpu-opencost", "instance_type", "gpu4")
                .series("node_ram_hourly_cost", 0.005, "node", "n-gpu-opencost", "instance_type", "gpu4")
                .series("node_gpu_hourly_cost", 2.90, "node", "n-gpu-opencost", "instance_type", "gpu4")
                // MIG only: two 3g.40gb and one 1g.10gb slice advertised, no GPU count anywhere else.
                .node("n-mig", "mig7", 8, 32, 0)
                .series("kube_node_status_capacity", 2, "node", "n-mig", "resource", "nvidia_com_mig_3g_40gb",
                        "unit", "integer")
                .series("kube_node_status_capacity", 1, "node", "n-mig", "resource", "nvidia_com_mig_1g_10gb",
                        "unit", "integer")
                .container("shop", "web-0", "n-karpenter", 2, 1, 4, 6)
                .container("shop", "api-0", "n-opencost-rates", 1, 0.5, 2, 1)
                .container("ml", "train-0", "n-gpu-opencost", 2, 2, 8, 8, "nvidia_com_gpu", 1, 0, 24)
                .volume("pv-opencost", 100, "gp3", "shop", "data")
                .series("pv_hourly_cost", 0.0002, "persistentvolume", "pv-opencost", "volumename", "pv-opencost")
                .volume("pv-book", 100, "gp3", "shop", "cache")
                .volume("pv-default", 73, "standard", null, null)
                .writeTo(dir.resolve("day.om"));
        Lake lake = FixtureLake.ingest(file, DAY, dir.resolve("lake"));
        result = new CostAttribution(lake, PRICES, CostModelConfig.defaults().withStepSeconds(3600))
                .attribute(List.of("c1"), DAY);
        nodes = FixtureLake.rowsBy(lake, GoldTable.NODE_DAY, "c1", DAY, "node");
        volumes = FixtureLake.rowsBy(lake, GoldTable.VOLUME_DAY, "c1", DAY, "persistentvolume");
        namespaces = FixtureLake.rowsBy(lake, GoldTable.NAMESPACE_DAY, "c1", DAY, "namespace");
    }

    @Test
    void pricesSpotNodesByTheSpotPriceOfTheirTypeWhateverLabelConventionMarksThem() {
        // cpu8 spot 0.24 $/h → 5.76 a day; cpu 0.24 × 60 % / 8 = 0.018 $/core-h, ram 0.24 × 40 % / 32 = 0.003.
        for (String node : List.of("n-karpenter", "n-eks", "n-gke-spot", "n-gke-preemptible", "n-aks")) {
            assertNode(node, "spot", "price_book_spot", 0.24);
            assertThat(nodes.get(node).<Double>getAs("cpu_rate")).isCloseTo(0.018, within(EXACT));
            assertThat(nodes.get(node).<Double>getAs("ram_rate")).isCloseTo(0.003, within(EXACT));
        }
    }

    @Test
    void billsContainersOnASpotNodeAtTheSpotRates() {
        // shop/web-0 on n-karpenter: cpu max(2, 1) × 0.018 × 24 = 0.864; ram max(4, 6) × 0.003 × 24 = 0.432.
        // shop/api-0 on n-opencost-rates: cpu 1 × 0.02 × 24 = 0.48; ram 2 × 0.004 × 24 = 0.192.
        Row shop = namespaces.get("shop");
        assertThat(shop.<Double>getAs("cpu_cost")).isCloseTo(0.864 + 0.48, within(EXACT));
        assertThat(shop.<Double>getAs("ram_cost")).isCloseTo(0.432 + 0.192, within(EXACT));
    }

    @Test
    void pricesOnDemandNodesAndSpotNodesOfATypeWithoutASpotPriceOnDemand() {
        assertNode("n-od", "on-demand", "price_book", 0.80);
        assertNode("n-od-labelled", "on-demand", "price_book", 0.80);
        // Spot, but cpu8b has no spotHourly: the on-demand price, and the source says so.
        assertNode("n-spot-no-spot-price", "spot", "price_book", 0.80);
    }

    @Test
    void openCostsNodeTotalWinsOverThePriceBookAndIsSplitLikeAListPrice() {
        // A spot cpu8 (book: 0.24) with node_total_hourly_cost 0.50: cpu 0.50 × 60 % / 8 = 0.0375,
        // ram 0.50 × 40 % / 32 = 0.00625; 12.00 a day.
        assertNode("n-opencost-total", "spot", "opencost", 0.50);
        assertThat(nodes.get("n-opencost-total").<Double>getAs("cpu_rate")).isCloseTo(0.0375, within(EXACT));
        assertThat(nodes.get("n-opencost-total").<Double>getAs("ram_rate")).isCloseTo(0.00625, within(EXACT));
    }

    @Test
    void openCostsPerResourceRatesAreUsedAsTheyAre() {
        // cpu 0.02 $/core-h and ram 0.004 $/GiB-h (not the 60/40 split of the 0.288 total, which would give
        // cpu 0.0216): 8 × 0.02 + 32 × 0.004 = 0.288 $/h.
        assertNode("n-opencost-rates", "on-demand", "opencost", 0.288);
        assertThat(nodes.get("n-opencost-rates").<Double>getAs("cpu_rate")).isCloseTo(0.02, within(EXACT));
        assertThat(nodes.get("n-opencost-rates").<Double>getAs("ram_rate")).isCloseTo(0.004, within(EXACT));
        // GPU node: 16 × 0.03 + 64 × 0.005 + 4 × 2.90 = 12.40 $/h instead of the book's 10.80 (A100 at 2.50);
        // ml/train-0's GPU costs 2.90 × 24 = 69.60.
        assertNode("n-gpu-opencost", "on-demand", "opencost", 12.40);
        assertThat(nodes.get("n-gpu-opencost").<Double>getAs("gpu_rate")).isCloseTo(2.90, within(EXACT));
        assertThat(namespaces.get("ml").<Double>getAs("gpu_cost")).isCloseTo(69.60, within(EXACT));
    }

    @Test
    void countsAMigOnlyNodesGpusFromTheSlicesOfItsProfiles() {
        // Each hourly sample advertises 2 × 3 + 1 × 1 = 7 slices: 168 over the day's 24 samples, 7 a sample, one
        // GPU. mig7 has no price: default rates 8 × 0.03 + 32 × 0.005 + 1 × 2.00 = 2.40 $/h.
        assertThat(nodes.get("n-mig").<Double>getAs("gpus")).isEqualTo(1.0);
        assertNode("n-mig", "on-demand", "default_rates", 2.40);
        assertThat(nodes.get("n-mig").<Double>getAs("gpu_rate")).isCloseTo(2.00, within(EXACT));
    }

    @Test
    void pricesVolumesByOpenCostThenStorageClassThenDefault() {
        // pv-opencost: 100 GiB × 0.0002 $/GiB-h × 24 = 0.48 (gp3 would give 0.24).
        assertVolume("pv-opencost", "opencost", 0.0002 * 730, 0.48);
        // pv-book: 100 GiB × 0.073 / 730 × 24 = 0.24.
        assertVolume("pv-book", "price_book", 0.073, 0.24);
        // pv-default: 73 GiB × 0.04 / 730 × 24 = 0.096.
        assertVolume("pv-default", "default_rates", 0.04, 0.096);
    }

    @Test
    void booksBalanceWhenOnlySomeNodesHaveOpenCostPrices() {
        // nodes: 3 on-demand cpu8/cpu8b × 19.20 = 57.60; 5 spot × 5.76 = 28.80; opencost 12.00 + 6.912 + 297.60;
        //        MIG at default rates 57.60 → 460.512; volumes 0.48 + 0.24 + 0.096 = 0.816.
        ClusterDayAudit audit = result.audits().get(0);
        assertThat(audit.nodeCost()).isCloseTo(460.512, within(EXACT));
        assertThat(audit.volumeCost()).isCloseTo(0.816, within(EXACT));
        assertThat(audit.namespaceCost()).isCloseTo(461.328, within(EXACT));
        assertThat(audit.balanced()).isTrue();
    }

    private void assertNode(String node, String capacityType, String priceSource, double hourly) {
        Row row = nodes.get(node);
        assertThat(row).as("node %s", node).isNotNull();
        assertThat(row.<String>getAs("capacity_type")).as("%s capacity type", node).isEqualTo(capacityType);
        assertThat(row.<String>getAs("price_source")).as("%s price source", node).isEqualTo(priceSource);
        assertThat(row.<Double>getAs("hourly_price")).as("%s hourly", node).isCloseTo(hourly, within(EXACT));
        assertThat(row.<Double>getAs("total_cost")).as("%s total", node).isCloseTo(24 * hourly, within(EXACT));
    }

    private void assertVolume(String volume, String priceSource, double gibMonthRate, double cost) {
        Row row = volumes.get(volume);
        assertThat(row.<String>getAs("price_source")).as("%s price source", volume).isEqualTo(priceSource);
        assertThat(row.<Double>getAs("gib_month_rate")).as("%s rate", volume).isCloseTo(gibMonthRate, within(EXACT));
        assertThat(row.<Double>getAs("storage_cost")).as("%s cost", volume).isCloseTo(cost, within(EXACT));
    }
}
