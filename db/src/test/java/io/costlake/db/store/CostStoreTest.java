package io.costlake.db.store;

import static io.costlake.db.generated.Tables.CONTAINER_COST_HOURLY;
import static io.costlake.db.generated.Tables.COST_RUN;
import static io.costlake.db.generated.Tables.NAMESPACE_COST_DAILY;
import static io.costlake.db.generated.Tables.QUARANTINED_INPUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.costlake.db.schema.CostSchema;
import io.costlake.db.testing.ResultRows;
import io.costlake.db.testing.TestDatabase;

class CostStoreTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);

    private CostSchema schema;
    private CostStore store;
    private DSLContext db;

    @BeforeEach
    void freshSchema() {
        schema = TestDatabase.migratedSchema("store");
        store = new CostStore(schema);
        db = schema.dsl();
    }

    @Test
    void migratesAnEmptySchemaToEveryTableAndView() {
        List<String> relations = db.resultQuery(
                "select table_name from information_schema.tables where table_schema = ? order by table_name",
                schema.name()).fetch(0, String.class);

        assertThat(relations).contains("cost_run", "namespace_cost_daily", "workload_cost_daily", "node_cost_daily",
                "cost_pool_daily", "storage_cost_daily", "idle_gpu_episode", "gpu_unallocated_daily",
                "container_cost_hourly", "quarantined_input", "v_namespace_cost_monthly", "v_cost_pool_monthly",
                "v_namespace_cost_month_over_month", "v_top_idle_gpus", "v_storage_cost_per_tb_month",
                "v_workload_efficiency", "v_run_history", "flyway_schema_history");
        String comment = db.resultQuery("select obj_description(?::regclass)", schema.name() + ".namespace_cost_daily")
                .fetchOne(0, String.class);
        assertThat(comment).startsWith("Cost per namespace and day");
        List<String> uncommented = db.resultQuery("""
                select c.table_name || '.' || c.column_name from information_schema.columns c
                join pg_class t on t.relname = c.table_name
                join pg_namespace n on n.oid = t.relnamespace and n.nspname = c.table_schema
                left join pg_description d on d.objoid = t.oid and d.objsubid = c.ordinal_position
                where c.table_schema = ? and t.relkind = 'r' and c.table_name <> 'flyway_schema_history'
                  and d.description is null""", schema.name()).fetch(0, String.class);
        assertThat(uncommented).as("columns without COMMENT ON").isEmpty();
    }

    @Test
    void replacingADayLeavesOnlyTheNewRows() {
        completeDay(Map.of("shop", 4.32, "__idle__", 8.64));
        completeDay(Map.of("shop", 5.00, "batch", 1.25));

        assertThat(db.select(NAMESPACE_COST_DAILY.NAMESPACE, NAMESPACE_COST_DAILY.TOTAL_COST)
                .from(NAMESPACE_COST_DAILY).fetchMap(NAMESPACE_COST_DAILY.NAMESPACE, NAMESPACE_COST_DAILY.TOTAL_COST))
                .isEqualTo(Map.of("shop", new BigDecimal("5.000000"), "batch", new BigDecimal("1.250000")));
        assertThat(db.fetchCount(COST_RUN, COST_RUN.STATUS.eq("succeeded"))).isEqualTo(2);
    }

    @Test
    void aReplaceThatFailsHalfwayKeepsThePreviousDay() {
        completeDay(Map.of("shop", 4.32, "__idle__", 8.64));
        long runId = store.startRun("c1", DAY, "test");
        DayRows good = namespaceRows(Map.of("shop", 9.99));
        Iterator<Object[]> failing = new Iterator<>() {
            private final Iterator<Object[]> rows = good.rows();

            @Override
            public boolean hasNext() {
                return true;
            }

            @Override
            public Object[] next() {
                if (rows.hasNext()) {
                    return rows.next();
                }
                throw new IllegalStateException("source failed mid-stream");
            }
        };

        assertThatThrownBy(() -> store.completeDay(runId, outcome(9.99), List.of(
                new DayRows(ResultTable.NAMESPACE_COST, good.columns(), failing))))
                .hasMessageContaining("source failed mid-stream");

        assertThat(db.select(NAMESPACE_COST_DAILY.NAMESPACE, NAMESPACE_COST_DAILY.TOTAL_COST)
                .from(NAMESPACE_COST_DAILY).fetchMap(NAMESPACE_COST_DAILY.NAMESPACE, NAMESPACE_COST_DAILY.TOTAL_COST))
                .isEqualTo(Map.of("shop", new BigDecimal("4.320000"), "__idle__", new BigDecimal("8.640000")));
        assertThat(db.fetchOne(COST_RUN, COST_RUN.RUN_ID.eq(runId)).getStatus()).isEqualTo("running");
    }

    @Test
    void storesTextAsGivenWithNullsAndLeavesOutColumnsTheTableLacks() {
        // Rows go in through COPY's CSV: a null is an unquoted empty field, an empty string a quoted one, and
        // commas, quotes and line breaks inside a value are quoted. "not_a_column" stands for a column a newer
        // cost model adds before the schema has it: left out, not an error.
        long runId = store.startRun("c1", DAY, "test");
        String raw = "container_cpu_usage_seconds_total{pod=\"a,b\"} 1 \"x\"\nsecond line";
        long stored = store.completeDay(runId, outcome(0), List.of(new DayRows(ResultTable.QUARANTINE,
                List.of("cluster", "day", "source", "line", "reason", "raw", "not_a_column"), List.of(
                        new Object[] {"c1", DAY, "day.om", 7L, "bad value", raw, 1.5},
                        new Object[] {"c1", DAY, "", null, "lost", null, null}).iterator())));

        assertThat(stored).isEqualTo(2);
        assertThat(db.select(QUARANTINED_INPUT.SOURCE, QUARANTINED_INPUT.LINE, QUARANTINED_INPUT.RAW)
                .from(QUARANTINED_INPUT).orderBy(QUARANTINED_INPUT.REASON)
                .fetch(row -> Arrays.asList(row.value1(), row.value2(), row.value3())))
                .containsExactly(Arrays.asList("day.om", 7L, raw), Arrays.asList("", null, null));
    }

    @Test
    void aRowPostgresqlRejectsFailsTheDayNamingTheTableAndTheColumn() {
        long runId = store.startRun("c1", DAY, "test");

        assertThatThrownBy(() -> store.completeDay(runId, outcome(1), List.of(ResultRows.of(ResultTable.NAMESPACE_COST)
                .row("cluster", "c1", "day", DAY, "namespace", null, "total_cost", 1.0).build())))
                .hasMessageContaining("cannot load namespace_cost_daily")
                .hasMessageContaining("null value in column \"namespace\"");
        assertThat(db.fetchCount(NAMESPACE_COST_DAILY)).isZero();
    }

    @Test
    void storesDoublesExactlyAndRoundsMoneyToMicros() {
        // 0.1 + 0.2 = 0.30000000000000004 in a double: a double precision column keeps every bit; a
        // numeric(20, 6) cost column rounds half away from zero, 2.0000005 -> 2.000001.
        long runId = store.startRun("c1", DAY, "test");
        OffsetDateTime hour = DAY.atTime(13, 0).atOffset(ZoneOffset.UTC);
        store.completeDay(runId, outcome(2.0000005), List.of(ResultRows.of(ResultTable.CONTAINER_COST)
                .row("cluster", "c1", "day", DAY, "hour", hour, "node", "n1", "namespace", "shop", "pod", "web",
                        "container", "app", "cpu_usage_core_hours", 0.1 + 0.2, "total_cost", 2.0000005)
                .build()));

        var row = db.fetchOne(CONTAINER_COST_HOURLY);
        assertThat(row.getCpuUsageCoreHours()).isEqualTo(0.30000000000000004);
        assertThat(row.getTotalCost()).isEqualByComparingTo("2.000001");
        assertThat(row.getHour()).isEqualTo(hour);
        assertThat(row.getRunId()).isEqualTo(runId);
    }

    @Test
    void retentionDeletesOldContainerHoursButKeepsDailyRows() {
        for (LocalDate day : List.of(DAY.minusDays(40), DAY)) {
            long runId = store.startRun("c1", day, "test");
            store.completeDay(runId, outcome("c1", day, 1.0), List.of(
                    namespaceRows(day, Map.of("shop", 1.0)),
                    ResultRows.of(ResultTable.CONTAINER_COST).row("cluster", "c1", "day", day, "hour",
                            day.atStartOfDay().atOffset(java.time.ZoneOffset.UTC), "node", "n1", "namespace", "shop",
                            "pod", "web", "container", "app", "total_cost", 1.0).build()));
        }

        int deleted = store.deleteDetailBefore(DAY.minusDays(34));

        assertThat(deleted).isEqualTo(1);
        assertThat(db.fetch(CONTAINER_COST_HOURLY).getValues(CONTAINER_COST_HOURLY.DAY)).containsExactly(DAY);
        assertThat(db.fetchCount(NAMESPACE_COST_DAILY)).isEqualTo(2);
    }

    @Test
    void anIdleEpisodeExtendedByTheNextDayStaysOneRowAndIsNotShrunkByRerunningTheFirstDay() {
        // Day 1 sees GPU-a idle 22:00–24:00; day 2 continues it to 03:00 (same key: gpu, pod, start).
        LocalDate first = DAY;
        LocalDate second = DAY.plusDays(1);
        episode(first, "2026-03-02T00:00:00Z", 2);
        episode(second, "2026-03-02T03:00:00Z", 5);
        episode(first, "2026-03-02T00:00:00Z", 2);

        var rows = db.selectFrom(io.costlake.db.generated.Tables.IDLE_GPU_EPISODE).fetch();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getDay()).isEqualTo(second);
        assertThat(rows.get(0).getHours()).isEqualTo(5);
        assertThat(rows.get(0).getEndAt()).isEqualTo(java.time.OffsetDateTime.parse("2026-03-02T03:00:00Z"));
    }

    private void episode(LocalDate day, String endAt, int hours) {
        long runId = store.startRun("c1", day, "test");
        store.completeDay(runId, outcome("c1", day, 0), List.of(ResultRows.of(ResultTable.IDLE_GPU)
                .row("cluster", "c1", "day", day, "node", "g1", "gpu_uuid", "GPU-a", "namespace", "ml", "pod",
                        "train-0", "start_at", java.time.OffsetDateTime.parse("2026-03-01T22:00:00Z"), "end_at",
                        java.time.OffsetDateTime.parse(endAt), "hours", hours, "wasted_cost", 2.5 * hours,
                        "recommendation", "release")
                .build()));
    }

    private void completeDay(Map<String, Double> totals) {
        long runId = store.startRun("c1", DAY, "test");
        store.completeDay(runId, outcome(totals.values().stream().mapToDouble(Double::doubleValue).sum()),
                List.of(namespaceRows(totals)));
    }

    private static DayRows namespaceRows(Map<String, Double> totals) {
        return namespaceRows(DAY, totals);
    }

    private static DayRows namespaceRows(LocalDate day, Map<String, Double> totals) {
        ResultRows rows = ResultRows.of(ResultTable.NAMESPACE_COST);
        totals.forEach((namespace, total) -> rows.row("cluster", "c1", "day", day, "namespace", namespace,
                "cost_pool", "p", "cpu_cost", total, "total_cost", total));
        return rows.build();
    }

    private static RunOutcome outcome(double total) {
        return outcome("c1", DAY, total);
    }

    private static RunOutcome outcome(String cluster, LocalDate day, double total) {
        return new RunOutcome(cluster, day, 10, 10, 0, 0, 0, 5, 0, total, 0, total, 0, 0);
    }
}
