package io.costlake.db.store;

import static io.costlake.db.generated.Tables.LABEL_COST_DAILY;
import static io.costlake.db.generated.Tables.NODE_COST_DAILY;
import static io.costlake.db.generated.Tables.STORAGE_COST_DAILY;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.costlake.db.schema.CostSchema;
import io.costlake.db.testing.ResultRows;
import io.costlake.db.testing.TestDatabase;

/** Costs by label, spot capacity and price sources stored and read back (migration V6). */
class LabelAndSpotCostStoreTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);

    private CostStore store;
    private DSLContext db;

    @BeforeEach
    void freshSchema() {
        CostSchema schema = TestDatabase.migratedSchema("labels");
        store = new CostStore(schema);
        db = schema.dsl();
    }

    @Test
    void storesLabelCostsAndReadsThemBack() {
        completeDay(DAY, ResultRows.of(ResultTable.LABEL_COST)
                .row("cluster", "c1", "day", DAY, "label_key", "team", "label_value", "web-team",
                        "cpu_cost", 4.32, "ram_cost", 1.92, "storage_cost", 0.16, "total_cost", 6.40,
                        "cpu_usage_core_hours", 36.0, "cpu_billable_core_hours", 72.0, "cpu_efficiency", 0.5,
                        "pods", 2L, "namespaces", 2L)
                .row("cluster", "c1", "day", DAY, "label_key", "team", "label_value", "__unlabelled__",
                        "cpu_cost", 0.72, "total_cost", 0.96, "pods", 1L, "namespaces", 1L));

        Record web = db.selectFrom(LABEL_COST_DAILY).where(LABEL_COST_DAILY.LABEL_VALUE.eq("web-team")).fetchOne();
        assertThat(web.get(LABEL_COST_DAILY.LABEL_KEY)).isEqualTo("team");
        assertThat(web.get(LABEL_COST_DAILY.TOTAL_COST)).isEqualByComparingTo("6.40");
        assertThat(web.get(LABEL_COST_DAILY.STORAGE_COST)).isEqualByComparingTo("0.16");
        assertThat(web.get(LABEL_COST_DAILY.CPU_EFFICIENCY)).isEqualTo(0.5);
        assertThat(web.get(LABEL_COST_DAILY.PODS)).isEqualTo(2L);
        assertThat(db.fetchCount(LABEL_COST_DAILY)).isEqualTo(2);
    }

    @Test
    void replacingADayReplacesItsLabelRowsAndTheMonthlyViewAddsDaysUp() {
        completeDay(DAY, teamRow(DAY, "web-team", 6.40, 36, 72));
        completeDay(DAY, teamRow(DAY, "web-team", 5.00, 36, 72));
        completeDay(DAY.plusDays(1), teamRow(DAY.plusDays(1), "web-team", 3.00, 12, 48));

        assertThat(db.fetchCount(LABEL_COST_DAILY)).isEqualTo(2);
        // March: 5.00 + 3.00; cpu efficiency (36 + 12) / (72 + 48) = 0.4.
        Record month = db.resultQuery("select total_cost, cpu_efficiency, days from v_label_cost_monthly "
                + "where label_key = 'team' and label_value = 'web-team'").fetchOne();
        assertThat(month.get("total_cost", BigDecimal.class)).isEqualByComparingTo("8.00");
        assertThat(month.get("cpu_efficiency", Double.class)).isEqualTo(0.4);
        assertThat(month.get("days", Long.class)).isEqualTo(2L);
    }

    @Test
    void storesCapacityTypeOfNodesAndPriceSourceOfVolumes() {
        long runId = store.startRun("c1", DAY, "test");
        store.completeDay(runId, outcome(DAY), List.of(
                ResultRows.of(ResultTable.NODE_COST)
                        .row("cluster", "c1", "day", DAY, "node", "n-spot", "instance_type", "m5.2xlarge",
                                "price_source", "price_book_spot", "capacity_type", "spot", "total_cost", 2.76)
                        .row("cluster", "c1", "day", DAY, "node", "n-od", "instance_type", "m5.2xlarge",
                                "price_source", "price_book", "capacity_type", "on-demand", "total_cost", 9.216)
                        .build(),
                ResultRows.of(ResultTable.STORAGE_COST)
                        .row("cluster", "c1", "day", DAY, "persistentvolume", "pv-1", "namespace", "shop",
                                "price_source", "opencost", "storage_cost", 0.48)
                        .build()));

        assertThat(db.select(NODE_COST_DAILY.NODE, NODE_COST_DAILY.CAPACITY_TYPE).from(NODE_COST_DAILY)
                .fetchMap(NODE_COST_DAILY.NODE, NODE_COST_DAILY.CAPACITY_TYPE))
                .isEqualTo(Map.of("n-spot", "spot", "n-od", "on-demand"));
        assertThat(db.select(STORAGE_COST_DAILY.PRICE_SOURCE).from(STORAGE_COST_DAILY).fetchOne(0, String.class))
                .isEqualTo("opencost");
    }

    private void completeDay(LocalDate day, ResultRows rows) {
        long runId = store.startRun("c1", day, "test");
        store.completeDay(runId, outcome(day), List.of(rows.build()));
    }

    private static ResultRows teamRow(LocalDate day, String value, double total, double used, double billable) {
        return ResultRows.of(ResultTable.LABEL_COST).row("cluster", "c1", "day", day, "label_key", "team",
                "label_value", value, "cpu_cost", total, "total_cost", total, "cpu_usage_core_hours", used,
                "cpu_billable_core_hours", billable, "cpu_efficiency", used / billable, "pods", 1L,
                "namespaces", 1L);
    }

    private static RunOutcome outcome(LocalDate day) {
        return new RunOutcome("c1", day, 10, 10, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0);
    }
}
