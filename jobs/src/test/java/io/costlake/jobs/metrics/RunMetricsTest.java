package io.costlake.jobs.metrics;

import static io.costlake.db.generated.Tables.COST_RUN;
import static io.costlake.db.generated.Tables.COST_RUN_METRIC;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.db.schema.CostSchema;
import io.costlake.db.store.ResultTable;
import io.costlake.db.testing.TestDatabase;
import io.costlake.ingest.testing.TestSpark;
import io.costlake.jobs.CostlakeCommand;
import io.costlake.jobs.testing.Console;
import io.costlake.jobs.testing.HandCheckedDay;
import io.costlake.jobs.testing.Pushgateway;

/**
 * The metrics of a run, stored in {@code cost_run_metric} and pushed to a real Pushgateway, carry the run's own
 * numbers: the same rows, samples and cost totals PostgreSQL has. The day is {@link HandCheckedDay}: nodes 19.20,
 * namespaces 4.32 + 6.24 + 8.64 = 19.20, no volumes, one malformed line quarantined.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunMetricsTest {
    private static final LocalDate DAY = HandCheckedDay.DAY;

    @TempDir
    static Path dir;

    private Pushgateway gateway;
    private HandCheckedDay day;
    private String schema;
    private DSLContext db;

    @BeforeAll
    void prepare() throws Exception {
        assertThat(TestSpark.session()).isNotNull(); // the JVM's one session; the CLI reuses it
        gateway = Pushgateway.start(dir.resolve("pushgateway.log"));
        CostSchema costSchema = TestDatabase.migratedSchema("metrics");
        schema = costSchema.name();
        db = costSchema.dsl();
        day = HandCheckedDay.writeTo(dir);
    }

    @AfterAll
    void stopGateway() {
        gateway.close();
    }

    @Test
    void succeededRunStoresAndPushesItsStepsSamplesAndCostTotals() throws Exception {
        assertThat(run(day.metrics(), "c1", "--pushgateway", gateway.url()).code()).isZero();

        Record run = lastRun("c1");
        long runId = run.get(COST_RUN.RUN_ID);
        Map<String, Double> stored = storedMetrics(runId);
        assertThat(stored).containsEntry("costlake.run.succeeded", 1.0)
                .containsEntry("costlake.cost.nodes", 19.2)
                .containsEntry("costlake.cost.namespaces", 19.2)
                .containsEntry("costlake.cost.volumes", 0.0)
                .containsEntry("costlake.samples.quarantined", 1.0)
                .containsEntry("costlake.samples.read", run.get(COST_RUN.SAMPLES_READ).doubleValue())
                .containsEntry("costlake.samples.loaded", run.get(COST_RUN.SAMPLES_LOADED).doubleValue())
                .containsEntry("costlake.samples.ignored", run.get(COST_RUN.SAMPLES_IGNORED).doubleValue())
                .containsEntry("costlake.samples.other.day", run.get(COST_RUN.SAMPLES_OTHER_DAY).doubleValue())
                // ingest counts the samples it loaded, attribute the container samples, persist the rows it stored
                .containsEntry("costlake.step.rows{step=ingest}", run.get(COST_RUN.SAMPLES_LOADED).doubleValue())
                .containsEntry("costlake.step.rows{step=attribute}",
                        run.get(COST_RUN.CONTAINER_SAMPLES).doubleValue())
                .containsEntry("costlake.step.rows{step=persist}", (double) resultRowsOf(runId))
                // daily + month-to-date, each: 10 CSV files (label costs among them) and a PDF
                .containsEntry("costlake.step.rows{step=report}", 22.0);
        assertThat(stored.get("costlake.samples.loaded")).isPositive();
        assertThat(run.get(COST_RUN.NODE_COST)).isEqualByComparingTo("19.20");
        for (String step : List.of("ingest", "attribute", "persist", "report")) {
            assertThat(stored.get("costlake.step.duration{status=COMPLETED,step=" + step + "}")).isPositive();
            assertThat(stored.get("costlake.step.heap.peak{step=" + step + "}")).isPositive();
        }
        assertThat(stored.get("costlake.run.duration")).isGreaterThanOrEqualTo(
                stored.get("costlake.step.duration{status=COMPLETED,step=ingest}"));
        assertThat(stored.get("costlake.run.day")).isEqualTo(1772323200.0); // 2026-03-01T00:00Z

        // The gateway has the same numbers under job="costlake", cluster="c1".
        assertThat(gateway.value("c1", "costlake_run_succeeded", Map.of())).isEqualTo(1.0);
        assertThat(gateway.value("c1", "costlake_cost_nodes", Map.of()))
                .isEqualTo(run.get(COST_RUN.NODE_COST).doubleValue()).isEqualTo(19.2);
        assertThat(gateway.value("c1", "costlake_cost_namespaces", Map.of()))
                .isEqualTo(run.get(COST_RUN.NAMESPACE_COST).doubleValue());
        assertThat(gateway.value("c1", "costlake_cost_volumes", Map.of()))
                .isEqualTo(run.get(COST_RUN.VOLUME_COST).doubleValue());
        assertThat(gateway.value("c1", "costlake_samples_loaded", Map.of()))
                .isEqualTo(run.get(COST_RUN.SAMPLES_LOADED).doubleValue());
        assertThat(gateway.value("c1", "costlake_samples_quarantined", Map.of())).isEqualTo(1.0);
        assertThat(gateway.value("c1", "costlake_step_rows", Map.of("step", "persist")))
                .isEqualTo((double) resultRowsOf(runId));
        assertThat(gateway.value("c1", "costlake_step_duration_seconds", Map.of("step", "attribute",
                "status", "COMPLETED")))
                .isEqualTo(stored.get("costlake.step.duration{status=COMPLETED,step=attribute}"));
        assertThat(gateway.value("c1", "costlake_step_heap_peak_bytes", Map.of("step", "persist")))
                .isEqualTo(stored.get("costlake.step.heap.peak{step=persist}"));
    }

    @Test
    void failedRunPushesItsFailureAndTheStepThatFailed() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("no-files-for-the-day"));

        assertThat(run(empty, "broken", "--pushgateway", gateway.url()).code()).isEqualTo(4);

        Record run = lastRun("broken");
        assertThat(run.get(COST_RUN.STATUS)).isEqualTo("failed");
        Map<String, Double> stored = storedMetrics(run.get(COST_RUN.RUN_ID));
        assertThat(stored).containsEntry("costlake.run.succeeded", 0.0)
                .containsKey("costlake.step.duration{status=FAILED,step=ingest}")
                .doesNotContainKeys("costlake.samples.loaded", "costlake.cost.nodes",
                        "costlake.step.duration{status=COMPLETED,step=attribute}");
        assertThat(gateway.value("broken", "costlake_run_succeeded", Map.of())).isEqualTo(0.0);
        assertThat(gateway.value("broken", "costlake_step_duration_seconds", Map.of("step", "ingest",
                "status", "FAILED"))).isEqualTo(stored.get("costlake.step.duration{status=FAILED,step=ingest}"));
    }

    @Test
    void unreachablePushgatewayOnlyWarnsAndTheRunKeepsItsOutcome() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("nothing-either"));

        // Port 9 (discard) is closed on loopback: the push fails at once.
        Console out = run(empty, "unreachable", "--pushgateway", "http://127.0.0.1:9");

        assertThat(out.code()).as("the input's exit code, not the push's").isEqualTo(4);
        assertThat(out.stdout()).contains("cannot push the metrics of run").contains("http://127.0.0.1:9");
        assertThat(storedMetrics(lastRun("unreachable").get(COST_RUN.RUN_ID)))
                .containsEntry("costlake.run.succeeded", 0.0);
    }

    @Test
    void invalidPushgatewayUrlIsABadConfiguration() throws Exception {
        Console out = run(day.metrics(), "c1", "--pushgateway", "127.0.0.1:9091/metrics");

        assertThat(out.code()).isEqualTo(3);
        assertThat(out.stderr()).contains("costlake.pushgateway.url '127.0.0.1:9091/metrics'")
                .contains("expected http://host:port");
    }

    private Console run(Path input, String cluster, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--date", DAY.toString(), "--metrics", input.toString(),
                "--db", TestDatabase.URL, "--db-schema", schema, "--lake", dir.resolve("lake").toString(),
                "--out", dir.resolve("out").toString(), "--cluster", cluster, "--config", day.config().toString(),
                "--prices", day.prices().toString()));
        args.addAll(List.of(extra));
        return Console.capture(() -> CostlakeCommand.execute(args.toArray(String[]::new)));
    }

    private Record lastRun(String cluster) {
        return db.selectFrom(COST_RUN).where(COST_RUN.CLUSTER.eq(cluster)).orderBy(COST_RUN.RUN_ID.desc()).limit(1)
                .fetchSingle();
    }

    /** {@code name} or {@code name{tags}} → value. */
    private Map<String, Double> storedMetrics(long runId) {
        return db.select(COST_RUN_METRIC.NAME, COST_RUN_METRIC.TAGS, COST_RUN_METRIC.VALUE).from(COST_RUN_METRIC)
                .where(COST_RUN_METRIC.RUN_ID.eq(runId)).fetchMap(
                        row -> row.value2().isEmpty() ? row.value1() : row.value1() + "{" + row.value2() + "}",
                        row -> row.value3());
    }

    private long resultRowsOf(long runId) {
        long rows = 0;
        for (ResultTable table : ResultTable.values()) {
            rows += db.fetchCount(table.table(), DSL.field(DSL.name("run_id")).eq(runId));
        }
        return rows;
    }
}
