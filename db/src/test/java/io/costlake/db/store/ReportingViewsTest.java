package io.costlake.db.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.costlake.db.schema.CostSchema;
import io.costlake.db.testing.ResultRows;
import io.costlake.db.testing.TestDatabase;

/**
 * The views and docs/queries.sql over a small store: cluster c1, 2026-02-28 and 2026-03-01/02.
 * <ul>
 *   <li>shop (team-shop): 10 on Feb 28, 12 + 13 in March → month over month +15 (+150 %)
 *   <li>batch (team-data): 5 on Feb 28, 4 + 4 in March → +3 (+60 %)
 *   <li>__idle__: 2 each day; one m5.2xlarge node at 0.384 $/h = 9.216 a day
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReportingViewsTest {
    private DSLContext db;

    @BeforeAll
    void storeThreeDays() {
        CostSchema schema = TestDatabase.migratedSchema("views");
        db = schema.dsl();
        CostStore store = new CostStore(schema);
        day(store, LocalDate.of(2026, 2, 28), 10, 5);
        day(store, LocalDate.of(2026, 3, 1), 12, 4);
        day(store, LocalDate.of(2026, 3, 2), 13, 4);
    }

    private static void day(CostStore store, LocalDate day, double shop, double batch) {
        long runId = store.startRun("c1", day, "test");
        double total = shop + batch + 2;
        List<DayRows> rows = new ArrayList<>();
        rows.add(ResultRows.of(ResultTable.NAMESPACE_COST)
                .row("cluster", "c1", "day", day, "namespace", "shop", "cost_pool", "team-shop", "total_cost", shop)
                .row("cluster", "c1", "day", day, "namespace", "batch", "cost_pool", "team-data", "total_cost", batch)
                .row("cluster", "c1", "day", day, "namespace", "__idle__", "cost_pool", "__idle__", "total_cost", 2.0)
                .build());
        rows.add(ResultRows.of(ResultTable.COST_POOL)
                .row("cluster", "c1", "day", day, "cost_pool", "team-shop", "total_cost", shop)
                .row("cluster", "c1", "day", day, "cost_pool", "team-data", "total_cost", batch)
                .build());
        // web: cpu cost 6 a day at 25 % efficiency (usage 6 of 24 billable core-hours) → 4.50 unused a day.
        rows.add(ResultRows.of(ResultTable.WORKLOAD_COST)
                .row("cluster", "c1", "day", day, "namespace", "shop", "workload_kind", "Deployment",
                        "workload_name", "web", "cost_pool", "team-shop", "cpu_cost", 6.0, "total_cost", 6.0,
                        "cpu_usage_core_hours", 6.0, "cpu_billable_core_hours", 24.0)
                .build());
        rows.add(ResultRows.of(ResultTable.NODE_COST)
                .row("cluster", "c1", "day", day, "node", "n1", "instance_type", "m5.2xlarge", "price_source",
                        "price_book", "hours", 24.0, "total_cost", 9.216, "idle_cost", 2.0)
                .build());
        // 1024 GiB for 24 hours at 80 $/TB-month: 80 × 24 / 730 per day.
        rows.add(ResultRows.of(ResultTable.STORAGE_COST)
                .row("cluster", "c1", "day", day, "persistentvolume", "pv-1", "namespace", "shop", "gib", 1024.0,
                        "hours", 24.0, "gib_month_rate", 80.0 / 1024, "storage_cost", 80.0 * 24 / 730)
                .build());
        store.completeDay(runId, new RunOutcome("c1", day, 10, 10, 0, 0, 0, 5, 0, total, 0, total, 0, 0), rows);
    }

    @Test
    void monthlyViewSumsDailyNamespaceCosts() {
        Record march = db.resultQuery("select total_cost, days from v_namespace_cost_monthly "
                + "where namespace = 'shop' and month = date '2026-03-01'").fetchOne();
        assertThat(march.get(0, BigDecimal.class)).isEqualByComparingTo("25");
        assertThat(march.get(1, Long.class)).isEqualTo(2L);
    }

    @Test
    void monthOverMonthShowsChangeAgainstThePreviousMonth() {
        Result<Record> rows = db.resultQuery("select namespace, previous_total_cost, change, change_percent "
                + "from v_namespace_cost_month_over_month where month = date '2026-03-01' order by namespace").fetch();
        assertThat(rows.getValues(0, String.class)).containsExactly("__idle__", "batch", "shop");
        assertThat(rows.get(2).get(2, BigDecimal.class)).isEqualByComparingTo("15");
        assertThat(rows.get(2).get(3, BigDecimal.class)).isEqualByComparingTo("150.00");
        assertThat(rows.get(1).get(3, BigDecimal.class)).isEqualByComparingTo("60.00");
    }

    @Test
    void costPoolMonthlyIsTheChargebackFigure() {
        assertThat(db.resultQuery("select total_cost from v_cost_pool_monthly where cost_pool = 'team-data' "
                + "and month = date '2026-03-01'").fetchOne(0, BigDecimal.class)).isEqualByComparingTo("8");
    }

    @Test
    void workloadMonthlyViewSumsCostAndKeepsEfficiency() {
        Record march = db.resultQuery("select total_cost, cpu_efficiency from v_workload_cost_monthly "
                + "where workload_name = 'web' and month = date '2026-03-01'").fetchOne();
        // Two March days of 6 $ at 6 of 24 billable core-hours.
        assertThat(march.get(0, BigDecimal.class)).isEqualByComparingTo("12");
        assertThat(march.get(1, Double.class)).isEqualTo(0.25);
    }

    @Test
    void storageCostPerTbMonthIsTheStorageClassUnitPrice() {
        Record march = db.resultQuery("select tb_months, cost_per_tb_month from v_storage_cost_per_tb_month "
                + "where month = date '2026-03-01'").fetchOne();
        // 2 days × 24 h × 1024 GiB = 48 / 730 TB-months, costing 80 each.
        assertThat(march.get(0, Double.class)).isCloseTo(48.0 / 730, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(march.get(1, Double.class)).isCloseTo(80.0, org.assertj.core.api.Assertions.within(1e-4));
    }

    @Test
    void efficiencyLeagueTablePricesWhatWasReservedButNotUsed() {
        Record web = db.resultQuery("select cpu_efficiency, unused_cost from v_workload_efficiency "
                + "where workload_name = 'web'").fetchOne();
        assertThat(web.get(0, Double.class)).isEqualTo(0.25);
        // 3 days × 6 $ × (1 − 0.25) = 13.50
        assertThat(web.get(1, BigDecimal.class)).isEqualByComparingTo("13.5");
    }

    @Test
    void topIdleGpusRanksByWastedMoney() {
        OffsetDateTime start = OffsetDateTime.parse("2026-03-01T02:00:00Z");
        db.execute("insert into idle_gpu_episode (run_id, cluster, day, node, gpu_uuid, gpu_model, namespace, pod, "
                + "start_at, end_at, hours, mean_util, max_util, wasted_cost, recommendation) "
                + "select max(run_id), 'c1', date '2026-03-01', 'g1', 'GPU-a', 'A100', 'ml', 'train-0', ?::timestamptz, ?::timestamptz, 3, 1.5, "
                + "4.0, 7.5, 'release' from cost_run union all "
                + "select max(run_id), 'c1', date '2026-03-01', 'g1', 'GPU-b', 'A100', 'ml', 'eval-0', ?::timestamptz, ?::timestamptz, 4, 0.5, "
                + "2.0, 10.0, 'scale to zero' from cost_run", start, start.plusHours(3), start, start.plusHours(4));
        Result<Record> rows = db.resultQuery("select gpu_uuid, wasted_cost, idle_hours from v_top_idle_gpus").fetch();
        assertThat(rows.getValues(0, String.class)).containsExactly("GPU-b", "GPU-a");
        assertThat(rows.get(0).get(1, BigDecimal.class)).isEqualByComparingTo("10");
    }

    @Test
    void runHistoryMarksTheRunWhoseResultsAreCurrent() {
        Result<Record> rows = db.resultQuery("select day, status, current from v_run_history order by run_id").fetch();
        assertThat(rows).hasSize(3);
        assertThat(rows.getValues(2, Boolean.class)).containsOnly(true);
    }

    @Test
    void everyQueryInDocsRunsAndAnswers() throws IOException {
        String sql = Files.readString(Path.of("..", "docs", "queries.sql"), StandardCharsets.UTF_8);
        String[] parts = sql.split("(?m)^-- Q\\d+: ");
        assertThat(parts).hasSize(11);
        for (int i = 1; i < parts.length; i++) {
            String question = parts[i].lines().findFirst().orElseThrow();
            String query = parts[i].substring(parts[i].indexOf('\n') + 1).trim().replaceAll(";$", "");
            // The queries are written for search_path = costlake; the test's connections use its own schema.
            Result<Record> answer = db.resultQuery(query).fetch();
            if (!question.startsWith("Which GPUs")) {
                assertThat(answer).as("Q%d: %s", i, question).isNotEmpty();
            }
        }
    }
}
