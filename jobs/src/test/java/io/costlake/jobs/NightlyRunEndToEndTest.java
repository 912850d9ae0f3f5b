package io.costlake.jobs;

import static io.costlake.db.generated.Tables.COST_RUN;
import static io.costlake.db.generated.Tables.LABEL_COST_DAILY;
import static io.costlake.db.generated.Tables.NAMESPACE_COST_DAILY;
import static io.costlake.db.generated.Tables.NODE_COST_DAILY;
import static io.costlake.db.generated.Tables.QUARANTINED_INPUT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.SparkSession;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.db.schema.CostSchema;
import io.costlake.db.testing.TestDatabase;
import io.costlake.ingest.testing.TestSpark;
import io.costlake.jobs.testing.HandCheckedDay;

/**
 * The whole nightly run through the command line, against the real PostgreSQL, Spark and Delta, on the
 * {@link HandCheckedDay}: shop 4.32 + batch 6.24 + __idle__ 8.64 = 19.20 = the node's cost. The day is run once
 * before the tests (a run is most of this class's time); the rerun test runs it once more and expects the same
 * rows, so the other tests hold whichever of the two runs they see.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NightlyRunEndToEndTest {
    private static final LocalDate DAY = HandCheckedDay.DAY;

    @TempDir
    static Path dir;

    private String schema;
    private DSLContext db;
    private Path metrics;
    private Path prices;
    private Path config;

    @BeforeAll
    void prepare() throws Exception {
        SparkSession spark = TestSpark.session(); // the JVM's one session; the CLI reuses it
        assertThat(spark).isNotNull();
        schema = TestDatabase.freshSchema("e2e");
        CostSchema costSchema = new CostSchema(TestDatabase.dataSource(), schema);
        costSchema.migrate();
        db = costSchema.dsl();
        HandCheckedDay day = HandCheckedDay.writeTo(dir);
        metrics = day.metrics();
        prices = day.prices();
        config = day.config();
        assertThat(run(DAY, metrics)).isZero();
    }

    @Test
    void runsADayFromOpenMetricsToPostgresAndCsvWithHandCheckedCosts() throws Exception {
        assertThat(namespaceTotals()).isEqualTo(Map.of(
                "shop", new BigDecimal("4.320000"),
                "batch", new BigDecimal("6.240000"),
                "__idle__", new BigDecimal("8.640000")));
        BigDecimal nodes = db.select(org.jooq.impl.DSL.sum(NODE_COST_DAILY.TOTAL_COST)).from(NODE_COST_DAILY)
                .where(NODE_COST_DAILY.DAY.eq(DAY)).fetchOne(0, BigDecimal.class);
        assertThat(nodes).isEqualByComparingTo("19.20");
        // By label team: shop's namespace label web-team, batch has none.
        assertThat(db.select(LABEL_COST_DAILY.LABEL_VALUE, LABEL_COST_DAILY.TOTAL_COST).from(LABEL_COST_DAILY)
                .where(LABEL_COST_DAILY.DAY.eq(DAY).and(LABEL_COST_DAILY.LABEL_KEY.eq("team")))
                .fetchMap(LABEL_COST_DAILY.LABEL_VALUE, LABEL_COST_DAILY.TOTAL_COST)).isEqualTo(Map.of(
                        "web-team", new BigDecimal("4.320000"),
                        "__unlabelled__", new BigDecimal("6.240000"),
                        "__idle__", new BigDecimal("8.640000")));

        Record run = db.selectFrom(COST_RUN).where(COST_RUN.DAY.eq(DAY)).orderBy(COST_RUN.RUN_ID.desc()).limit(1)
                .fetchOne();
        assertThat(run.get(COST_RUN.STATUS)).isEqualTo("succeeded");
        assertThat(run.get(COST_RUN.SAMPLES_QUARANTINED)).isEqualTo(1L);
        assertThat(Math.abs(run.get(COST_RUN.CONSERVATION_RELATIVE_DELTA))).isLessThan(1e-9);
        assertThat(db.selectFrom(QUARANTINED_INPUT).fetchOne(QUARANTINED_INPUT.LINE)).isEqualTo(24L * 15 + 1);

        List<CSVRecord> csv = csv(dir.resolve("out/daily/namespace-costs_2026-03-01.csv"));
        Map<String, String> csvTotals = csv.stream()
                .collect(Collectors.toMap(record -> record.get("namespace"), record -> record.get("total_cost")));
        assertThat(csvTotals).isEqualTo(Map.of("shop", "4.320000", "batch", "6.240000", "__idle__", "8.640000"));
    }

    @Test
    void rerunningADayReplacesItsRowsWithIdenticalOnes() throws Exception {
        Object[][] first = namespaceRowsWithoutRunId();
        long lakeRows = lakeNamespaceRows();

        assertThat(run(DAY, metrics)).isZero();

        Object[][] second = namespaceRowsWithoutRunId();
        assertThat(second).hasDimensions(3, NAMESPACE_COST_DAILY.fields().length - 1).isDeepEqualTo(first);
        assertThat(lakeNamespaceRows()).isEqualTo(lakeRows).isEqualTo(3);
        assertThat(db.fetchCount(COST_RUN, COST_RUN.STATUS.eq("succeeded"))).isGreaterThanOrEqualTo(2);
    }

    @Test
    void generatedClusterBalancesNamespaceCostsWithNodeAndVolumeCosts() throws Exception {
        Path generated = dir.resolve("generated");
        assertThat(CostlakeCommand.execute("generate", "--nodes", "3", "--pods", "12", "--gpus", "4", "--days", "1",
                "--start", "2026-04-01", "--step", "900", "--cluster", "gen", "--out", generated.toString())).isZero();
        Path quarterHourly = Files.writeString(dir.resolve("quarter-hourly.yaml"), """
                costlake:
                  model:
                    step-seconds: 900
                """);

        assertThat(run(LocalDate.of(2026, 4, 1), generated.resolve("metrics"), "--prices",
                generated.resolve("prices.yaml").toString(), "--config", quarterHourly.toString())).isZero();

        Record run = db.selectFrom(COST_RUN).where(COST_RUN.CLUSTER.eq("gen")).fetchOne();
        assertThat(run.get(COST_RUN.STATUS)).isEqualTo("succeeded");
        assertThat(run.get(COST_RUN.NAMESPACE_COST).doubleValue())
                .isCloseTo(run.get(COST_RUN.NODE_COST).add(run.get(COST_RUN.VOLUME_COST)).doubleValue(),
                        org.assertj.core.api.Assertions.within(1e-6));
        BigDecimal namespaces = db.select(org.jooq.impl.DSL.sum(NAMESPACE_COST_DAILY.TOTAL_COST))
                .from(NAMESPACE_COST_DAILY).where(NAMESPACE_COST_DAILY.CLUSTER.eq("gen")).fetchOne(0, BigDecimal.class);
        assertThat(namespaces.doubleValue()).isCloseTo(run.get(COST_RUN.NAMESPACE_COST).doubleValue(),
                org.assertj.core.api.Assertions.within(1e-4));
    }

    @Test
    void missingInputFailsWithOneClearMessageAndExitCode4() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = run(LocalDate.of(2026, 3, 2), dir.resolve("no-such-dir"));
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(4);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("metrics input not found").contains("no-such-dir");
    }

    private int run(LocalDate day, Path input, String... extra) {
        List<String> extraArgs = List.of(extra);
        List<String> args = new java.util.ArrayList<>(List.of("run", "--date", day.toString(),
                "--metrics", input.toString(), "--db", TestDatabase.URL,
                "--db-schema", schema, "--lake", dir.resolve("lake").toString(), "--out", dir.resolve("out").toString(),
                "--cluster", "c1"));
        if (!extraArgs.contains("--config")) {
            args.addAll(List.of("--config", config.toString()));
        }
        if (!extraArgs.contains("--prices")) {
            args.addAll(List.of("--prices", prices.toString()));
        }
        args.addAll(extraArgs);
        return CostlakeCommand.execute(args.toArray(String[]::new));
    }

    private static long lakeNamespaceRows() {
        return TestSpark.session().read().format("delta").load(dir.resolve("lake/gold/namespace_cost_daily").toString())
                .where("cluster = 'c1' AND day = DATE'2026-03-01'").count();
    }

    private Object[][] namespaceRowsWithoutRunId() {
        List<org.jooq.Field<?>> fields = java.util.Arrays.stream(NAMESPACE_COST_DAILY.fields())
                .filter(field -> !field.getName().equals("run_id")).toList();
        return db.select(fields).from(NAMESPACE_COST_DAILY).where(NAMESPACE_COST_DAILY.CLUSTER.eq("c1"))
                .orderBy(NAMESPACE_COST_DAILY.NAMESPACE).fetchArrays();
    }

    private Map<String, BigDecimal> namespaceTotals() {
        return db.select(NAMESPACE_COST_DAILY.NAMESPACE, NAMESPACE_COST_DAILY.TOTAL_COST).from(NAMESPACE_COST_DAILY)
                .where(NAMESPACE_COST_DAILY.DAY.eq(DAY).and(NAMESPACE_COST_DAILY.CLUSTER.eq("c1")))
                .fetchMap(NAMESPACE_COST_DAILY.NAMESPACE, NAMESPACE_COST_DAILY.TOTAL_COST);
    }

    private static List<CSVRecord> csv(Path file) throws Exception {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
        }
    }
}
