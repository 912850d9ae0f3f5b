package io.costlake.jobs;

import static io.costlake.db.generated.Tables.COST_RUN;
import static io.costlake.jobs.testing.Console.capture;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.jooq.DSLContext;
import org.jooq.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.jobs.testing.Console;
import io.costlake.db.schema.CostSchema;
import io.costlake.db.testing.TestDatabase;
import io.costlake.ingest.testing.LongFormatFixture;
import io.costlake.ingest.testing.LongFormatFixture.Lines;
import io.costlake.ingest.testing.OpenMetricsFixture;
import io.costlake.ingest.testing.TestSpark;

/** {@code costlake run --metrics DIR} takes a day written as long-format CSV and Parquet as it takes OpenMetrics. */
class LongFormatRunTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);

    @TempDir
    Path dir;

    @Test
    void aDaySplitOverCsvAndParquetRunsLikeItsOpenMetrics() throws Exception {
        // 24 hourly samples of one node (labels, cpu and memory capacity) and one container (5 series): 192.
        Path openMetrics = OpenMetricsFixture.day(DAY, 3600, "c1").node("n1", "cpu8", 8, 32, 0)
                .container("shop", "web-7f9c4-aaaaa", "n1", 2, 1, 4, 6).writeTo(dir.resolve("source.om"));
        Path metrics = Files.createDirectories(dir.resolve("metrics"));
        LongFormatFixture.csv(openMetrics, metrics.resolve(DAY + ".csv"), new Lines(2, 0));
        LongFormatFixture.parquet(TestSpark.session(), openMetrics, metrics.resolve(DAY + ".parquet"), new Lines(2, 1),
                false);
        Path config = Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  model:
                    step-seconds: 3600
                """);
        String schema = TestDatabase.freshSchema("longformat");

        Console out = capture(() -> CostlakeCommand.execute("run", "--date", DAY.toString(), "--metrics",
                metrics.toString(), "--config", config.toString(), "--db", TestDatabase.URL, "--db-schema", schema,
                "--lake", dir.resolve("lake").toString(), "--out", dir.resolve("out").toString()));

        assertThat(out.code()).as(out.stderr()).isZero();
        DSLContext db = new CostSchema(TestDatabase.dataSource(), schema).dsl();
        Record run = db.selectFrom(COST_RUN).where(COST_RUN.CLUSTER.eq("c1")).fetchSingle();
        assertThat(run.get(COST_RUN.STATUS)).isEqualTo("succeeded");
        assertThat(run.get(COST_RUN.SAMPLES_READ)).isEqualTo(192L);
        assertThat(run.get(COST_RUN.SAMPLES_LOADED)).isEqualTo(192L);
        assertThat(run.get(COST_RUN.SAMPLES_QUARANTINED)).isZero();
    }
}
