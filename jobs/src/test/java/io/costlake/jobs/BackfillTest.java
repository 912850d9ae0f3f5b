package io.costlake.jobs;

import static io.costlake.db.generated.Tables.COST_RUN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.db.schema.CostSchema;
import io.costlake.db.testing.TestDatabase;
import io.costlake.ingest.testing.OpenMetricsFixture;

/**
 * A backfill runs each day in order, skips the days it completed before unless --force (not those another cost schema
 * completed), and reports each day's status.
 */
class BackfillTest {
    @TempDir
    Path dir;

    @Test
    void backfillSkipsCompletedDaysUnlessForced() throws Exception {
        String schema = TestDatabase.freshSchema("backfill");
        for (LocalDate day : new LocalDate[] {LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 2)}) {
            OpenMetricsFixture.day(day, 3600, "c1").node("n1", "cpu8", 8, 32, 0)
                    .container("shop", "web-7f9c4-aaaaa", "n1", 2, 1, 4, 6)
                    .writeTo(dir.resolve("metrics/" + day + ".om"));
        }
        Path config = Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  model:
                    step-seconds: 3600
                """);
        String[] backfill = backfill(dir, config, schema, "");

        String first = run(backfill);
        String second = run(backfill);
        String forced = run(append(backfill, "--force"));
        // Another cost schema of the same database keeps its own runs: the days completed above are not its days.
        String otherSchema = TestDatabase.freshSchema("backfill_other");
        String other = run(backfill(dir, config, otherSchema, "other"));

        assertThat(first).contains("2026-03-01 COMPLETED").contains("2026-03-02 COMPLETED");
        assertThat(second).contains("2026-03-01 SKIPPED").contains("2026-03-02 SKIPPED");
        assertThat(forced).contains("2026-03-01 COMPLETED").contains("2026-03-02 COMPLETED");
        assertThat(other).contains("2026-03-01 COMPLETED").contains("2026-03-02 COMPLETED");
        DSLContext db = new CostSchema(TestDatabase.dataSource(), schema).dsl();
        // Two runs per day (the first backfill and the forced one), none for the skipped pass.
        assertThat(db.fetchCount(COST_RUN, COST_RUN.STATUS.eq("succeeded"))).isEqualTo(4);
        assertThat(new CostSchema(TestDatabase.dataSource(), otherSchema).dsl()
                .fetchCount(COST_RUN, COST_RUN.STATUS.eq("succeeded"))).isEqualTo(2);
    }

    /** Days 2026-03-01 to 03-02 of the metrics in {@code dir} into {@code schema}, with its own lake and reports. */
    private static String[] backfill(Path dir, Path config, String schema, String suffix) {
        return new String[] {"run", "--date", "2026-03-01", "--to", "2026-03-02", "--metrics",
                dir.resolve("metrics").toString(), "--config", config.toString(), "--db", TestDatabase.URL,
                "--db-schema", schema, "--lake", dir.resolve("lake" + suffix).toString(),
                "--out", dir.resolve("out" + suffix).toString()};
    }

    private static String run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(CostlakeCommand.execute(args)).isZero();
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String[] append(String[] args, String extra) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = extra;
        return all;
    }
}
