package io.costlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.costlake.db.schema.CostSchema;
import io.costlake.db.testing.TestDatabase;
import io.costlake.ingest.testing.OpenMetricsFixture;
import io.costlake.ingest.testing.TestSpark;
import io.costlake.jobs.testing.Console;

/**
 * A nightly run that fails in any of its four steps, or is killed with SIGKILL, is restarted by running the same
 * day again: Spring Batch continues the same job instance from the step that did not finish, the steps that had
 * completed are not run again, and PostgreSQL ends with exactly what an uninterrupted run stores.
 *
 * <p>The faults are real conditions an operator meets, not switches in the code: no input file yet (ingest), the
 * lake's {@code gold} directory unusable (attribute), a result table missing (persist), the report directory
 * being a file (report), and the JVM killed while attributing.
 *
 * <p>The day (hourly samples, price book below): n1 (cpu8 at 0.80 $/h) costs 0.80 × 24 = 19.20; g1 (an unpriced
 * type, so default rates: 16 cores × 0.03 + 64 GiB × 0.005 + 2 GPUs × 2.00 = 4.80 $/h) costs 115.20; the 100 GiB
 * gp3 volume at 0.08 $/GiB-month costs 100 × 0.08 / 730 × 24 = 0.263014. Namespace totals, idle included, add up
 * to 134.663014.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NightlyRestartTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    private static final List<String> STEPS = List.of("ingest", "attribute", "persist", "report");

    @TempDir
    static Path dir;

    private Path prices;
    private Path config;
    private Map<String, List<String>> uninterrupted;

    @BeforeAll
    void runTheDayOnceUninterrupted() throws Exception {
        assertThat(TestSpark.session()).isNotNull(); // the JVM's one session; the command line reuses it
        prices = Files.writeString(dir.resolve("prices.yaml"), """
                currency: USD
                defaults: {cpuCoreHour: 0.03, ramGiBHour: 0.005, gpuHour: 2.0, storageGiBMonth: 0.04}
                instanceTypes: {cpu8: {hourly: 0.80}}
                storageClasses: {gp3: {gibMonth: 0.08}}
                """);
        config = Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  cluster: c1
                  model:
                    step-seconds: 3600
                """);
        Night baseline = new Night("baseline").withMetrics();

        assertThat(baseline.run()).isZero();

        uninterrupted = StoredResults.of(baseline.schema);
        assertThat(baseline.namespaceTotal()).isEqualByComparingTo("134.663014");
        assertThat(uninterrupted.get("namespace_cost_daily")).hasSize(3); // shop, ml, __idle__ (the volume is bound)
    }

    @Test
    void ingestWithoutInputFailsAndTheRestartIngestsOnceTheFileArrived() throws Exception {
        Night night = new Night("ingest-fails");
        Files.createDirectories(night.metrics); // the exporter's dump for the day is not there yet

        assertThat(night.run()).isEqualTo(4);
        night.withMetrics();
        assertThat(night.run()).isZero();

        assertThat(night.history().stepExecutions()).containsExactly(
                "1 ingest FAILED",
                "2 ingest COMPLETED", "2 attribute COMPLETED", "2 persist COMPLETED", "2 report COMPLETED");
        assertRestartedOneInstanceWithTheUninterruptedResults(night);
    }

    /**
     * One night that fails in attribute, then in persist, then in report: each restart begins at the step that
     * failed and runs none of the completed ones again. (One night for the three faults instead of one night each:
     * a run of the day is most of this class's time.)
     */
    @Test
    void eachRestartResumesAtTheStepThatFailedWithoutRunningCompletedStepsAgain() throws Exception {
        Night night = new Night("attribute-persist-report-fail").withMetrics();
        Path gold = Files.writeString(night.lake.resolve("gold"), "not a directory"); // gold tables cannot be written
        new CostSchema(TestDatabase.dataSource(), night.schema).migrate();
        night.sql("alter table namespace_cost_daily rename to namespace_cost_daily_moved"); // PostgreSQL rejects the write
        Files.createDirectories(night.out.getParent());
        Files.writeString(night.out, "not a directory"); // a mistyped --out that names a file

        assertThat(night.run()).as("attribute fails").isEqualTo(1); // internal errors: the environment, not the input
        Files.delete(gold);
        assertThat(night.run()).as("persist fails").isEqualTo(1);
        night.sql("alter table namespace_cost_daily_moved rename to namespace_cost_daily");
        assertThat(night.run()).as("report fails").isEqualTo(1);
        Files.delete(night.out);
        assertThat(night.run()).isZero();

        assertThat(night.history().stepExecutions()).containsExactly(
                "1 ingest COMPLETED", "1 attribute FAILED",
                "2 attribute COMPLETED", "2 persist FAILED",
                "3 persist COMPLETED", "3 report FAILED",
                "4 report COMPLETED");
        assertRestartedOneInstanceWithTheUninterruptedResults(night);
        assertThat(night.out.resolve("daily/namespace-costs_2026-03-01.csv")).isRegularFile();
    }

    /**
     * SIGKILL while attributing leaves the execution marked STARTED; the next run (here, in this JVM) says so,
     * marks it failed and restarts it there. The killed process ran with {@code COSTLAKE_LOG_FORMAT=json}: every
     * console line it wrote before it died is one JSON log event. (The restart in this JVM, not in a second new
     * one: a JVM's start and first run of the day were half of this class's time.)
     */
    @Test
    void runKilledWhileAttributingRestartsThereAndLogsJsonWhenAsked() throws Exception {
        Night night = new Night("killed").withMetrics();
        CostlakeProcess.Started killed = CostlakeProcess.in(night.home).env("COSTLAKE_LOG_FORMAT", "json")
                .start(night.args());
        awaitStepStarted(night, "attribute", killed);
        killed.process().destroyForcibly().waitFor();

        assertThat(night.history().stepExecutions()).containsExactly("1 ingest COMPLETED", "1 attribute STARTED");

        Console restart = Console.capture(night::run);

        assertThat(restart.code()).as(restart.toString()).isZero();
        assertThat(restart.stdout().lines()).anySatisfy(line -> assertThat(line).contains("WARN")
                .contains("left running by a process that died"));
        assertThat(restart.stdout()).contains("[4/4] report");
        assertThat(night.history().stepExecutions()).containsExactly(
                "1 ingest COMPLETED", "1 attribute FAILED",
                "2 attribute COMPLETED", "2 persist COMPLETED", "2 report COMPLETED");
        assertRestartedOneInstanceWithTheUninterruptedResults(night);

        List<JsonNode> events = jsonLines(killed.stdout());
        assertThat(events).allSatisfy(event -> {
            assertThat(event.path("level").isTextual()).as(event.toString()).isTrue();
            assertThat(event.path("message").isTextual()).as(event.toString()).isTrue();
        });
        assertThat(events).anySatisfy(event -> assertThat(event.get("message").asText()).startsWith("[1/4] ingest"));
        assertThat(Files.readString(killed.stderr())).isEmpty();
    }

    /**
     * Each whole line of a console file as JSON. A process killed while writing a line leaves it unfinished (no
     * newline): that last piece is not a line.
     */
    private static List<JsonNode> jsonLines(Path console) throws IOException {
        String text = Files.readString(console);
        String whole = text.substring(0, text.lastIndexOf('\n') + 1);
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : whole.lines().toList()) {
            try {
                events.add(json.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("not a JSON log line: " + line, e);
            }
        }
        assertThat(events).as("console lines of the killed run").isNotEmpty();
        return events;
    }

    private void assertRestartedOneInstanceWithTheUninterruptedResults(Night night) throws SQLException {
        assertThat(night.history().jobInstances()).isEqualTo(1);
        assertThat(StoredResults.of(night.schema)).isEqualTo(uninterrupted);
    }

    private static void awaitStepStarted(Night night, String step, CostlakeProcess.Started process) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
        while (!night.history().latestStatusOf(step).equals(Optional.of("STARTED"))) {
            if (!process.process().isAlive()) {
                throw new AssertionError("costlake ended before step " + step + " started: " + process.result());
            }
            if (System.nanoTime() > deadline) {
                process.process().destroyForcibly().waitFor();
                throw new AssertionError("step " + step + " did not start within 15 minutes: " + process.result());
            }
            Thread.sleep(50);
        }
    }

    /** One night's own input, lake, reports and cost schema; the same day, cluster and prices for all. */
    private final class Night {
        final Path home;
        final Path metrics;
        final Path lake;
        final Path out;
        final String schema;

        Night(String name) throws IOException {
            home = Files.createDirectories(dir.resolve(name));
            metrics = home.resolve("metrics");
            lake = Files.createDirectories(home.resolve("lake"));
            out = home.resolve("reports/out");
            schema = TestDatabase.freshSchema("restart");
        }

        Night withMetrics() {
            OpenMetricsFixture.day(DAY, 3600, "c1")
                    .namespace("shop", "team-shop").namespace("ml", "team-ml")
                    .node("n1", "cpu8", 8, 32, 0)
                    .gpuNode("g1", "gpu16", 16, 64, 2, "NVIDIA A100-SXM4-80GB")
                    .volume("pv-data", 100, "gp3", "shop", "data-web")
                    .container("shop", "web-7f9c4-aaaaa", "n1", 2, 1, 4, 6)
                    .container("ml", "train-5d8f9-bbbbb", "g1", 4, 3, 16, 12, "nvidia_com_gpu", 1, 0, 24)
                    .writeTo(metrics.resolve(DAY + ".om"));
            return this;
        }

        String[] args() {
            return new String[] {"run", "--date", DAY.toString(), "--metrics", metrics.toString(), "--prices",
                    prices.toString(), "--config", config.toString(), "--db", TestDatabase.URL, "--db-schema", schema,
                    "--lake", lake.toString(), "--out", out.toString()};
        }

        int run() {
            return CostlakeCommand.execute(args());
        }

        BatchHistory history() {
            return BatchHistory.ofMetrics(metrics);
        }

        void sql(String statement) throws SQLException {
            try (Connection connection = TestDatabase.dataSource(schema).getConnection();
                    Statement sql = connection.createStatement()) {
                sql.execute(statement);
            }
        }

        BigDecimal namespaceTotal() throws SQLException {
            try (Connection connection = TestDatabase.dataSource(schema).getConnection();
                    Statement sql = connection.createStatement();
                    ResultSet rows = sql.executeQuery("select sum(total_cost) from namespace_cost_daily")) {
                rows.next();
                return rows.getBigDecimal(1);
            }
        }
    }
}
