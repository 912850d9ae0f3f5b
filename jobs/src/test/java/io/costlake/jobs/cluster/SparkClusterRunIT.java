package io.costlake.jobs.cluster;

import static io.costlake.db.generated.Tables.COST_POOL_DAILY;
import static io.costlake.db.generated.Tables.COST_RUN;
import static io.costlake.db.generated.Tables.GPU_UNALLOCATED_DAILY;
import static io.costlake.db.generated.Tables.IDLE_GPU_EPISODE;
import static io.costlake.db.generated.Tables.NAMESPACE_COST_DAILY;
import static io.costlake.db.generated.Tables.NODE_COST_DAILY;
import static io.costlake.db.generated.Tables.STORAGE_COST_DAILY;
import static io.costlake.db.generated.Tables.WORKLOAD_COST_DAILY;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Table;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.db.schema.CostSchema;
import io.costlake.db.testing.TestDatabase;
import io.costlake.ingest.synthetic.SyntheticClusterGenerator;
import io.costlake.ingest.synthetic.SyntheticClusterSpec;
import io.costlake.jobs.testing.ChildProcess;

/**
 * {@code costlake run --spark-master spark://…} with the packaged jar against a real Spark standalone cluster (a
 * master and a worker on loopback, child JVMs): the day stored in PostgreSQL is, row for row and to the last
 * digit, the day a local-mode run of the same input stores. Runs after {@code package} (Failsafe), because the
 * driver is {@code jobs/target/costlake.jar}, the Spring Boot jar users run: it must hand its nested module and
 * Delta jars to executors that have nothing but Spark. The two runs go at once, into two cost schemas of one
 * database, as two deployments sharing a database would (Spring Batch's repository is shared by the schemas).
 */
class SparkClusterRunIT {
    private static final LocalDate DAY = LocalDate.of(2026, 4, 1);
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);
    /** Every result table of a cluster-day, compared without run_id (the two runs are different runs). */
    private static final List<Table<?>> RESULTS = List.of(NAMESPACE_COST_DAILY, WORKLOAD_COST_DAILY, NODE_COST_DAILY,
            COST_POOL_DAILY, STORAGE_COST_DAILY, IDLE_GPU_EPISODE, GPU_UNALLOCATED_DAILY);

    /**
     * The Spark settings of every test JVM (root pom's test.spark.flags: no generated code, two shuffle partitions):
     * compiling each query's code was most of a run of this size. Both runs get them, so they stay comparable, and
     * the driver's SQL settings reach the executors with every task.
     */
    private static final List<String> TEST_SPARK_SETTINGS = SparkStandaloneCluster.pomFlags("test.spark.flags");

    @TempDir
    Path dir;

    @Test
    void aDayOnAStandaloneClusterStoresExactlyTheNumbersOfALocalRun() throws Exception {
        // 3 nodes (one with 4 GPUs), 12 pods, volumes, idle GPU episodes: every step of the model has work to do.
        SyntheticClusterGenerator.Result input = new SyntheticClusterGenerator().generate(
                new SyntheticClusterSpec("gen", 3, 12, 4, 1, DAY, 3600, 7), dir.resolve("input"));
        Path config = Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  model:
                    step-seconds: 3600
                """);
        String localSchema = TestDatabase.freshSchema("local");
        String clusterSchema = TestDatabase.freshSchema("cluster");

        try (SparkStandaloneCluster spark = SparkStandaloneCluster.start(dir.resolve("spark"), 2, "1200m");
                // The local run goes alongside the cluster's start and its run: a run this small waits on its driver
                // (planning, Delta commits) more than on the cores, so the two overlap well on two cores.
                Costlake local = Costlake.start(dir.resolve("local.log"), run(input, config, localSchema, "local"))) {
            spark.awaitWorker(Duration.ofMinutes(2));

            List<String> onCluster = run(input, config, clusterSchema, "cluster");
            onCluster.addAll(List.of("--spark-master", spark.masterUrl(),
                    // Executors reach the driver (its file server too) on loopback.
                    "--spark-conf", "spark.driver.host=127.0.0.1",
                    "--spark-conf", "spark.executor.memory=1g",
                    "--spark-conf", "spark.executor.extraJavaOptions=" + String.join(" ", ChildProcess.SHORT_LIVED_JVM)));
            try (Costlake cluster = Costlake.start(dir.resolve("cluster.log"), onCluster)) {
                cluster.awaitSuccess();
            }
            local.awaitSuccess();

            String executors = spark.executorLogs();
            // The tasks ran in the worker's executor, with the jars the driver shipped and Spark's JDK 17 flags.
            assertThat(executors).contains("Spark Executor Command").contains("--add-opens=java.base/sun.nio.ch")
                    .containsPattern("Fetching spark://127\\.0\\.0\\.1:\\d+/jars/costlake-ingest-[^ ]+\\.jar")
                    .containsPattern("Fetching spark://127\\.0\\.0\\.1:\\d+/jars/costlake-cost-model-[^ ]+\\.jar")
                    .containsPattern("Fetching spark://127\\.0\\.0\\.1:\\d+/jars/fastdoubleparser-[^ ]+\\.jar")
                    .containsPattern("Fetching spark://127\\.0\\.0\\.1:\\d+/jars/delta-spark_2\\.13-[^ ]+\\.jar")
                    .contains("Finished task");
        }

        DSLContext local = new CostSchema(TestDatabase.dataSource(), localSchema).dsl();
        DSLContext cluster = new CostSchema(TestDatabase.dataSource(), clusterSchema).dsl();
        for (Table<?> table : RESULTS) {
            List<List<Object>> expected = rowsWithoutRunId(local, table);
            assertThat(rowsWithoutRunId(cluster, table)).as(table.getName()).isEqualTo(expected);
        }
        assertThat(rowsWithoutRunId(local, NAMESPACE_COST_DAILY)).hasSizeGreaterThan(5);
        assertThat(rowsWithoutRunId(local, IDLE_GPU_EPISODE)).isNotEmpty();
        assertThat(runTotals(cluster)).isEqualTo(runTotals(local));
        Map<String, Object> totals = runTotals(local);
        assertThat((BigDecimal) totals.get(COST_RUN.NAMESPACE_COST.getName()))
                .isEqualByComparingTo(((BigDecimal) totals.get(COST_RUN.NODE_COST.getName()))
                        .add((BigDecimal) totals.get(COST_RUN.VOLUME_COST.getName())))
                .isPositive();
    }

    private List<String> run(SyntheticClusterGenerator.Result input, Path config, String schema, String name) {
        return new ArrayList<>(List.of("run", "--date", DAY.toString(),
                "--metrics", input.metricsDir().toString(), "--prices", input.priceBook().toString(),
                "--config", config.toString(), "--db", TestDatabase.URL, "--db-schema", schema,
                "--lake", dir.resolve(name + "/lake").toString(), "--out", dir.resolve(name + "/out").toString()));
    }

    /** The packaged costlake, run as the launcher does. */
    private record Costlake(ChildProcess process, List<String> args, Path log, long started) implements AutoCloseable {
        static Costlake start(Path log, List<String> args) {
            List<String> jvm = new ArrayList<>(List.of("-Xmx1g"));
            jvm.addAll(ChildProcess.SHORT_LIVED_JVM);
            jvm.addAll(SparkStandaloneCluster.SPARK_FLAGS);
            jvm.addAll(TEST_SPARK_SETTINGS);
            jvm.addAll(List.of("-jar", System.getProperty("costlake.jar")));
            return new Costlake(ChildProcess.java(jvm, args, Map.of(), log), args, log, System.nanoTime());
        }

        /** Waits for the run, which must succeed. */
        void awaitSuccess() throws InterruptedException {
            assertThat(process.awaitExit(RUN_TIMEOUT)).as("costlake %s failed:%n%s", args, process.output()).isZero();
            System.out.printf("%s took %.1f s%n", log.getFileName(), (System.nanoTime() - started) / 1e9);
        }

        @Override
        public void close() {
            process.close();
        }
    }

    private static List<List<Object>> rowsWithoutRunId(DSLContext db, Table<?> table) {
        List<Field<?>> fields = Arrays.stream(table.fields()).filter(field -> !field.getName().equals("run_id"))
                .toList();
        return db.select(fields).from(table).orderBy(fields).fetch().stream()
                .map(record -> Arrays.asList(record.intoArray())).toList();
    }

    /** The audit of the run: input counts and cost totals, not its id, times or source. */
    private static Map<String, Object> runTotals(DSLContext db) {
        Set<String> skipped = Set.of("run_id", "started_at", "finished_at", "source");
        List<Field<?>> fields = Arrays.stream(COST_RUN.fields()).filter(field -> !skipped.contains(field.getName()))
                .toList();
        return db.select(fields).from(COST_RUN).fetchSingle().intoMap();
    }
}
