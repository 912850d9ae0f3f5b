package io.costlake.costmodel.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.costmodel.CostAttribution;
import io.costlake.costmodel.CostModelConfig;
import io.costlake.costmodel.GoldTable;
import io.costlake.costmodel.testing.FixtureLake;
import io.costlake.ingest.bronze.BronzeTable;
import io.costlake.ingest.bronze.SeriesSamples;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.pricing.PriceBook;
import io.costlake.ingest.testing.OpenMetricsFixture;

/**
 * Costs by label ({@code aggregate-labels: [team, app]}). One node cpu8 (8 cores, 32 GiB) at 0.80 $/h: cpu
 * 0.06 $/core-h, ram 0.01 $/GiB-h; hourly samples, all day.
 * <pre>
 * shop/web-0  team=web-team app=web   cpu 2 req, 1 used → 2.88   ram 4 req, 2 used → 0.96   3.84
 * shop/web-1           app=web        cpu 1 req, 1 used → 1.44   ram 2 req, 1 used → 0.48   1.92
 * data/etl-0  team=web-team app=etl   cpu 1 req, .5 used → 1.44  ram 4 req, 4 used → 0.96   2.40
 * data/tool-0 (no labels)             cpu .5 req, .5 used → 0.72 ram 1 req, 1 used → 0.24   0.96
 * </pre>
 * Namespace labels: shop team=shop-team, lonely team=storage-team, data none. Volumes: 100 GiB gp3 (0.073
 * $/GiB-month) bound in shop 0.24; 73 GiB standard (default 0.04) bound in lonely 0.096; 73 GiB unbound
 * 0.096. Idle on n1: cpu 3.5 × 0.06 × 24 = 5.04, ram 21 × 0.01 × 24 = 5.04 → 10.08.
 *
 * <p>GPU node g1 (16 cores, 64 GiB, 4 GPUs, not in the book: default rates 0.03, 0.005, 2.00 → 8.80 $/h, 211.20
 * a day) runs ml/train-0 (team=ml-team, app=train): cpu 2 → 1.44, ram 8 → 0.96, 1 GPU → 48.00, total 50.40;
 * dcgm-exporter reports its GPU 40 % busy all day. Idle on g1: cpu 14 × 0.72 = 10.08, ram 56 × 0.12 = 6.72,
 * GPU 3 × 48 = 144 → 160.80. Cluster: 19.20 + 211.20 + 0.432 = 230.832.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabelCostsTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    private static final double EXACT = 1e-9;
    private static final double CLUSTER_TOTAL = 230.832;
    private static final PriceBook PRICES = new PriceBook("USD", new PriceBook.DefaultRates(0.03, 0.005, 2.0, 0.04),
            Map.of("cpu8", 0.80), Map.of(), Map.of("gp3", 0.073));
    private static final CostModelConfig BY_TEAM_AND_APP = CostModelConfig.defaults().withStepSeconds(3600)
            .withAggregateLabels(List.of("team", "app"));

    @TempDir
    static Path dir;

    private Lake lake;
    private Map<String, Row> team;
    private Map<String, Row> app;

    @BeforeAll
    void ingestAndAttribute() {
        Path file = OpenMetricsFixture.day(DAY, 3600, "c1")
                .namespace("shop", "p").namespace("data", "p").namespace("lonely", "p")
                .namespaceLabels("shop", "label_team", "shop-team")
                .namespaceLabels("lonely", "label_team", "storage-team")
                .node("n1", "cpu8", 8, 32, 0)
                .container("shop", "web-0", "n1", 2, 1, 4, 2)
                .podLabels("shop", "web-0", "label_team", "web-team", "label_app", "web")
                .container("shop", "web-1", "n1", 1, 1, 2, 1)
                .podLabels("shop", "web-1", "label_app", "web")
                .container("data", "etl-0", "n1", 1, 0.5, 4, 4)
                .podLabels("data", "etl-0", "label_team", "web-team", "label_app", "etl")
                .container("data", "tool-0", "n1", 0.5, 0.5, 1, 1)
                .namespace("ml", "p")
                .gpuNode("g1", "gpu-unlisted", 16, 64, 4, "NVIDIA A100-SXM4-80GB")
                .container("ml", "train-0", "g1", 2, 2, 8, 8, "nvidia_com_gpu", 1, 0, 24)
                .podLabels("ml", "train-0", "label_team", "ml-team", "label_app", "train")
                .series("DCGM_FI_DEV_GPU_UTIL", 40, "gpu", "0", "UUID", "GPU-0", "modelName", "NVIDIA A100-SXM4-80GB",
                        "Hostname", "g1", "namespace", "ml", "pod", "train-0", "container", "app")
                .volume("pv-shop", 100, "gp3", "shop", "cache")
                .volume("pv-lonely", 73, "standard", "lonely", "archive")
                .volume("pv-free", 73, "standard", null, null)
                .writeTo(dir.resolve("day.om"));
        lake = FixtureLake.ingest(file, DAY, dir.resolve("lake"));
        new CostAttribution(lake, PRICES, BY_TEAM_AND_APP).attribute(List.of("c1"), DAY);
        team = values("team");
        app = values("app");
    }

    @Test
    void takesThePodsLabelThenTheNamespacesThenUnlabelled() {
        // web-team: web-0 3.84 + etl-0 2.40 + 2/3 of shop's storage (web-0 is 3.84 of shop's 5.76) 0.16.
        assertTotal(team, "web-team", 6.40);
        // shop-team: web-1 (no team label, its namespace's) 1.92 + 1/3 of shop's storage 0.08.
        assertTotal(team, "shop-team", 2.00);
        assertTotal(team, "__unlabelled__", 0.96);
        assertThat(team.get("web-team").<Long>getAs("pods")).isEqualTo(2L);
        assertThat(team.get("web-team").<Long>getAs("namespaces")).isEqualTo(2L);
    }

    @Test
    void givesANamespaceWithoutContainersToItsNamespaceLabel() {
        assertTotal(team, "storage-team", 0.096);
        // lonely has no app label: with tool-0 (0.96) under __unlabelled__.
        assertTotal(app, "__unlabelled__", 0.96 + 0.096);
        assertThat(app.get("__unlabelled__").<Long>getAs("namespaces")).isEqualTo(2L);
    }

    @Test
    void keepsIdleAndUnmountedAsTheirOwnValues() {
        assertTotal(team, "__idle__", 10.08 + 160.80);
        assertTotal(app, "__idle__", 10.08 + 160.80);
        assertTotal(app, "__unmounted__", 0.096);
        assertThat(app.get("__idle__").<Double>getAs("cpu_cost")).isCloseTo(5.04 + 10.08, within(EXACT));
    }

    @Test
    void splitsANamespacesStorageOverItsLabelValuesByContainerCost() {
        // app=web holds all of shop's containers, so all of its storage: 5.76 + 0.24.
        Row web = app.get("web");
        assertThat(web.<Double>getAs("cpu_cost")).isCloseTo(2.88 + 1.44, within(EXACT));
        assertThat(web.<Double>getAs("ram_cost")).isCloseTo(0.96 + 0.48, within(EXACT));
        assertThat(web.<Double>getAs("storage_cost")).isCloseTo(0.24, within(EXACT));
        assertTotal(app, "web", 6.00);
        assertTotal(app, "etl", 2.40);
    }

    @Test
    void reportsEfficiencyAsUsageOverTheLargerOfRequestAndUsage() {
        // web-team: cpu used 1 + 0.5 of billable 2 + 1 → 0.5; ram used 2 + 4 of billable 4 + 4 → 0.75.
        assertThat(team.get("web-team").<Double>getAs("cpu_efficiency")).isCloseTo(0.5, within(EXACT));
        assertThat(team.get("web-team").<Double>getAs("ram_efficiency")).isCloseTo(0.75, within(EXACT));
        // app=web: cpu 1 + 1 of 2 + 1 → 2/3; ram 2 + 1 of 4 + 2 → 0.5; 36 requested core-hours.
        assertThat(app.get("web").<Double>getAs("cpu_efficiency")).isCloseTo(2.0 / 3, within(EXACT));
        assertThat(app.get("web").<Double>getAs("ram_efficiency")).isCloseTo(0.5, within(EXACT));
        assertThat(app.get("web").<Double>getAs("cpu_request_core_hours")).isCloseTo(72, within(EXACT));
        assertThat(app.get("__idle__").<Double>getAs("cpu_efficiency")).isNull();
    }

    @Test
    void reportsGpuEfficiencyFromTheExportersUtilisationOfTheHeldGpus() {
        // train-0 holds 1 GPU for 24 h at 40 %: 9.6 GPU-hours used of 24 billed.
        Row ml = team.get("ml-team");
        assertTotal(team, "ml-team", 50.40);
        assertThat(ml.<Double>getAs("gpu_hours")).isCloseTo(24, within(EXACT));
        assertThat(ml.<Double>getAs("gpu_usage_hours")).isCloseTo(9.6, within(EXACT));
        assertThat(ml.<Double>getAs("gpu_efficiency")).isCloseTo(0.4, within(EXACT));
        // No GPU in web-team's pods: no GPU usage, no GPU efficiency.
        assertThat(team.get("web-team").<Double>getAs("gpu_efficiency")).isNull();
    }

    @Test
    void everyLabelAddsUpToTheClusterTotal() {
        assertThat(sum(team)).isCloseTo(CLUSTER_TOTAL, within(EXACT));
        assertThat(sum(app)).isCloseTo(CLUSTER_TOTAL, within(EXACT));
        assertThat(team).containsOnlyKeys("web-team", "shop-team", "storage-team", "ml-team", "__unlabelled__",
                "__idle__", "__unmounted__");
    }

    @Test
    void aSharedNamespacesLabelValuesGiveTheirCostAwayAndEveryLabelStillAddsUp() {
        new CostAttribution(lake, PRICES, BY_TEAM_AND_APP.withShareIdle(true)
                .withSharedNamespaces(List.of("data"), true)).attribute(List.of("c1"), DAY);
        Map<String, Row> sharedApp = values("app");
        // data is shared: etl-0 keeps its cpu cost as a line but its total is 0.
        assertThat(sharedApp.get("etl").<Double>getAs("cpu_cost")).isCloseTo(1.44, within(EXACT));
        assertTotal(sharedApp, "etl", 0);
        assertThat(sharedApp).doesNotContainKey("__idle__");
        assertThat(sum(sharedApp)).isCloseTo(CLUSTER_TOTAL, within(EXACT));
        assertThat(sum(values("team"))).isCloseTo(CLUSTER_TOTAL, within(EXACT));
    }

    @Test
    void makesNoRowsWhenNoLabelIsConfigured() {
        LabelCosts none = new LabelCosts(CostModelConfig.defaults().withStepSeconds(3600));
        assertThat(none.labelDays(gold(GoldTable.CONTAINER_HOUR), gold(GoldTable.NAMESPACE_DAY),
                bronze(BronzeTable.OBJECT_LABELS), bySeries(BronzeTable.GPU), bySeries(BronzeTable.CONTAINER_RESOURCE), DAY)
                .count()).isZero();
    }

    private Dataset<Row> gold(GoldTable table) {
        return lake.read(table, "c1", DAY).orElseThrow();
    }

    private Dataset<Row> bronze(BronzeTable table) {
        return lake.read(table, "c1", DAY).orElseThrow();
    }

    private SeriesSamples bySeries(BronzeTable table) {
        return table.readBySeries(lake).orElseThrow()
                .where(col("cluster").equalTo("c1").and(col("day").equalTo(lit(java.sql.Date.valueOf(DAY)))));
    }

    private Map<String, Row> values(String label) {
        Map<String, Row> rows = new HashMap<>();
        for (Row row : lake.read(GoldTable.LABEL_DAY, "c1", DAY).orElseThrow().collectAsList()) {
            if (row.<String>getAs("label_key").equals(label)) {
                rows.put(row.getAs("label_value"), row);
            }
        }
        return rows;
    }

    private static void assertTotal(Map<String, Row> rows, String value, double total) {
        Row row = rows.get(value);
        assertThat(row).as("label value %s", value).isNotNull();
        assertThat(row.<Double>getAs("total_cost")).as("%s total", value).isCloseTo(total, within(EXACT));
    }

    private static double sum(Map<String, Row> rows) {
        return rows.values().stream().mapToDouble(row -> row.<Double>getAs("total_cost")).sum();
    }
}
