package io.costlake.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.db.testing.TestDatabase;
import io.costlake.jobs.testing.Console;

/**
 * The benchmark of issue #9 at a tiny size, so that it cannot rot unnoticed. Its timings are printed, never
 * asserted: what is checked is that every stage ran and that the rows it reports add up.
 */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void benchRunsEveryStageOfTheNightlyJobAndDeletesTheDaysInputOnceRun() {
        Console out = bench();

        assertThat(out.code()).as(out.stderr()).isZero();
        Map<String, List<String>> stages = stagesOf(out.stdout(), "2026-01-01");
        assertThat(stages).containsOnlyKeys("generate", "ingest", "attribute", "persist", "report", "day");
        // A generated day is clean: every generated sample is loaded, none quarantined or ignored.
        assertThat(rows(stages.get("ingest"))).isEqualTo(rows(stages.get("generate"))).isPositive();
        assertThat(rows(stages.get("attribute"))).isPositive();
        assertThat(rows(stages.get("persist"))).isPositive();
        // "day total <wall> <heap after> MB": what the day left in the heap after a full GC.
        assertThat(stages.get("day")).hasSize(6).last().isEqualTo("MB");
        assertThat(out.stdout()).contains("peak heap").contains("heap after").contains("1 day(s): nightly job")
                .contains("JVM max heap");
        // The day's dump is deleted once the day has run (a 30-day backfill needs the disk of one day's dump);
        // the price book and the labels stay.
        assertThat(dir.resolve("input/metrics")).isEmptyDirectory();
        assertThat(dir.resolve("input/prices.yaml")).isRegularFile();
        assertThat(dir.resolve("input/labels/idle-gpu-hours.csv")).isRegularFile();
    }

    @Test
    void benchProfilesEachStageIntoAFlameGraphAndLogsItsHottestFrames() {
        // itimer: the event every Linux can sample, where perf events (the cpu event's first choice) may be denied.
        Console out = bench("--profile", "itimer");

        assertThat(out.code()).as(out.stderr()).isZero();
        for (String stage : List.of("ingest", "attribute", "persist", "report")) {
            Path graph = dir.resolve("profiles/2026-01-01-" + stage + ".html");
            assertThat(graph).isRegularFile().content().contains("<html").contains(stage);
            // The step's hottest frames by self time, as async-profiler tables them, follow the file's name.
            assertThat(out.stdout()).containsPattern("profile of step " + stage + " \\(itimer\\): "
                    + Pattern.quote(graph.toString()) + "\\s+--- Execution profile ---\\s+Total samples\\s+: [1-9]");
        }
        assertThat(out.stdout()).contains("Flame graphs (itimer) of each stage: " + dir.resolve("profiles"));
    }

    @Test
    void benchRefusesAnEventAsyncProfilerCannotSampleBeforeRunningAnything() {
        Console out = bench("--profile", "no-such-event");

        assertThat(out.code()).isEqualTo(3);
        assertThat(out.stderr()).contains("costlake.profile.event 'no-such-event'");
        assertThat(dir.resolve("lake")).doesNotExist();
    }

    /** The tiny bench of one day into {@link #dir} and a fresh schema, with the given flags after its own. */
    private Console bench(String... flags) {
        List<String> args = new ArrayList<>(List.of("bench", "--pods", "12", "--gpus", "2", "--days", "1", "--step",
                "900", "--dir", dir.toString(), "--db", TestDatabase.URL, "--db-schema",
                TestDatabase.freshSchema("bench")));
        args.addAll(List.of(flags));
        return Console.capture(() -> CostlakeCommand.execute(args.toArray(String[]::new)));
    }

    /** The table's lines of one day by stage name (its first word). */
    private static Map<String, List<String>> stagesOf(String stdout, String day) {
        return Arrays.stream(stdout.split("\n"))
                .map(line -> List.of(line.trim().split("\\s+")))
                .filter(columns -> columns.size() >= 3 && columns.get(0).equals(day))
                .collect(Collectors.toMap(columns -> columns.get(1), Function.identity(), (a, b) -> a));
    }

    /** The rows column of a stage line: "day stage wall rows rows/s [peak heap]". */
    private static long rows(List<String> columns) {
        return Long.parseLong(columns.get(3).replace(",", ""));
    }
}
