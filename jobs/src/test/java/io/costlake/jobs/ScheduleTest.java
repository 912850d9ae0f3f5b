package io.costlake.jobs;

import static io.costlake.db.generated.Tables.COST_RUN;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.db.schema.CostSchema;
import io.costlake.db.testing.TestDatabase;
import io.costlake.ingest.testing.OpenMetricsFixture;
import io.costlake.ingest.testing.TestSpark;
import io.costlake.jobs.nightly.NightlyRunLock;

/**
 * {@code costlake schedule} fires on its cron, runs the day before for every cluster in the input, and never starts
 * a second run: a trigger that finds another run in progress is skipped and logged, and so are the triggers that
 * pass while its own run is busy. {@code --runs 1} makes it stop after one run.
 */
class ScheduleTest {
    @TempDir
    Path dir;

    @Test
    void runsYesterdayForEveryClusterOnceAndSkipsTriggersWhileARunIsInProgress() throws Exception {
        assertThat(TestSpark.session()).isNotNull();
        // "Yesterday" of the trigger, UTC; a test that straddles midnight UTC would look for the wrong day.
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        Path metrics = dir.resolve("metrics");
        for (String cluster : List.of("c1", "c2")) {
            OpenMetricsFixture.day(yesterday, 3600, cluster).node("n1", "cpu8", 8, 32, 0)
                    .container("shop", "web-7f9c4-aaaaa", "n1", 2, 1, 4, 6)
                    .writeTo(metrics.resolve(yesterday + "-" + cluster + ".om"));
        }
        Path config = Files.writeString(dir.resolve("costlake.yaml"), """
                costlake:
                  model:
                    step-seconds: 3600
                """);
        String schema = TestDatabase.freshSchema("schedule");
        String[] schedule = {"schedule", "--cron", "*/2 * * * * *", "--zone", "UTC", "--runs", "1",
                "--metrics", metrics.toString(), "--config", config.toString(), "--db", TestDatabase.URL,
                "--db-schema", schema, "--lake", dir.resolve("lake").toString(), "--out", dir.resolve("out").toString()};

        PrintStream console = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exitCode;
        try {
            // Another process's run of the same schema holds the run lock while the first triggers fire.
            NightlyRunLock otherRun = NightlyRunLock.tryAcquire(TestDatabase.dataSource(), schema).orElseThrow();
            CompletableFuture<Integer> scheduler = CompletableFuture.supplyAsync(
                    () -> CostlakeCommand.execute(schedule));
            awaitOutput(captured, "skipped: another costlake run is in progress on schema " + schema);
            otherRun.close();
            exitCode = scheduler.get(20, TimeUnit.MINUTES); // a run takes seconds, or minutes on a loaded machine
        } finally {
            System.setOut(console);
        }
        String log = captured.toString(StandardCharsets.UTF_8);

        assertThat(exitCode).as(log).isZero();
        assertThat(Pattern.compile("run of " + yesterday + " \\(triggered at [^)]+\\): COMPLETED").matcher(log)
                .results().count()).as(log).isEqualTo(1);
        // Triggers every 2 s, a run of many seconds: the ones that passed meanwhile were skipped, not queued.
        assertThat(log).contains("trigger(s) skipped while the run of " + yesterday + " was in progress");
        assertThat(BatchHistory.ofMetrics(metrics).stepExecutions()).containsExactly(
                "1 ingest COMPLETED", "1 attribute COMPLETED", "1 persist COMPLETED", "1 report COMPLETED");
        assertThat(new CostSchema(TestDatabase.dataSource(), schema).dsl()
                .select(COST_RUN.CLUSTER).from(COST_RUN)
                .where(COST_RUN.DAY.eq(yesterday).and(COST_RUN.STATUS.eq("succeeded")))
                .orderBy(COST_RUN.CLUSTER).fetch(COST_RUN.CLUSTER)).containsExactly("c1", "c2");
    }

    @Test
    void cronThatDoesNotParseIsAConfigurationErrorWithExitCode3() throws Exception {
        PrintStream errors = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int exitCode;
        try {
            exitCode = CostlakeCommand.execute("schedule", "--cron", "0 30 25 * * *", "--metrics", dir.toString(),
                    "--db", TestDatabase.URL, "--db-schema", TestDatabase.freshSchema("schedule"));
        } finally {
            System.setErr(errors);
        }

        assertThat(exitCode).as(captured.toString(StandardCharsets.UTF_8)).isEqualTo(3);
        assertThat(captured.toString(StandardCharsets.UTF_8)).startsWith("costlake schedule: costlake.schedule: ")
                .contains("0 30 25 * * *");
    }

    private static void awaitOutput(ByteArrayOutputStream captured, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (!captured.toString(StandardCharsets.UTF_8).contains(expected)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no '" + expected + "' within 2 minutes in:\n"
                        + captured.toString(StandardCharsets.UTF_8));
            }
            Thread.sleep(100);
        }
    }
}
