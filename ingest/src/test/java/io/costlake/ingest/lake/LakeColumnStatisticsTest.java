package io.costlake.ingest.lake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.delta.tables.DeltaTable;
import io.costlake.ingest.testing.TestSpark;

/**
 * Tables that say they need no column statistics are written without them (Delta's file entries carry only
 * the row count), and keep that across re-runs and for tables an earlier version created with statistics.
 */
class LakeColumnStatisticsTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);

    @TempDir
    Path dir;

    private final SparkSession spark = TestSpark.session();

    @Test
    void aTableWithoutStatisticsIsCreatedWithoutThemAndKeepsThatWhenADayIsReplaced() throws IOException {
        Lake lake = new Lake(spark, dir.toString());
        TestTable bronze = new TestTable("bronze", "samples", false);

        lake.replace(bronze, List.of("prod"), DAY, rows(DAY, "web-1", "web-2"));
        lake.replace(bronze, List.of("prod"), DAY, rows(DAY, "web-3"));

        assertThat(property(lake, bronze)).isEqualTo("0");
        assertThat(fileStatistics(lake, bronze)).isNotEmpty().allSatisfy(stats -> assertThat(stats)
                .contains("numRecords").doesNotContain("minValues").doesNotContain("maxValues"));
        assertThat(lake.readAll(bronze).orElseThrow().select("pod").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList()).containsExactly("web-3");
    }

    @Test
    void aTableWithStatisticsKeepsThem() throws IOException {
        Lake lake = new Lake(spark, dir.toString());
        TestTable gold = new TestTable("gold", "costs", true);

        lake.replace(gold, List.of("prod"), DAY, rows(DAY, "web-1"));

        assertThat(property(lake, gold)).isNull();
        assertThat(fileStatistics(lake, gold)).isNotEmpty().allSatisfy(stats -> assertThat(stats)
                .contains("minValues").contains("web-1"));
    }

    @Test
    void aTableAnEarlierVersionWroteWithStatisticsIsAlteredOnTheNextReplace() throws IOException {
        Lake lake = new Lake(spark, dir.toString());
        TestTable before = new TestTable("bronze", "samples", true);
        lake.replace(before, List.of("prod"), DAY, rows(DAY, "web-1"));
        assertThat(property(lake, before)).isNull();

        TestTable now = new TestTable("bronze", "samples", false);
        lake.replace(now, List.of("prod"), DAY.plusDays(1), rows(DAY.plusDays(1), "web-2"));

        assertThat(property(lake, now)).isEqualTo("0");
        // The new day's file has only its row count; the older day's file keeps what it was written with.
        assertThat(fileStatistics(lake, now)).filteredOn(stats -> !stats.contains("minValues")).hasSize(1);
        assertThat(lake.readAll(now).orElseThrow().count()).isEqualTo(2);
    }

    @Test
    void aTableAlreadyWithoutStatisticsIsNotAlteredAgainByTheNextRun() {
        TestTable bronze = new TestTable("bronze", "samples", false);
        new Lake(spark, dir.toString()).replace(bronze, List.of("prod"), DAY, rows(DAY, "web-1"));

        // The next run's lake checks the table's property once, and finds it set: its replace is the only commit.
        Lake nextRun = new Lake(spark, dir.toString());
        nextRun.replace(bronze, List.of("prod"), DAY.plusDays(1), rows(DAY.plusDays(1), "web-2"));

        assertThat(DeltaTable.forPath(spark, nextRun.path(bronze)).history().select("operation")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactly("WRITE", "WRITE");
        assertThat(property(nextRun, bronze)).isEqualTo("0");
    }

    private Dataset<Row> rows(LocalDate day, String... pods) {
        List<Row> rows = Stream.of(pods)
                .map(pod -> RowFactory.create("prod", java.sql.Date.valueOf(day), pod, 1.5)).toList();
        return spark.createDataFrame(rows, TestTable.SCHEMA);
    }

    private String property(Lake lake, LakeTable table) {
        Map<String, String> properties = DeltaTable.forPath(spark, lake.path(table)).detail()
                .select("properties").first().getJavaMap(0);
        return properties.get(Lake.STATISTICS_COLUMNS);
    }

    /** The stats of every data file added by the table's commits, as Delta wrote them in its log. */
    private static List<String> fileStatistics(Lake lake, LakeTable table) throws IOException {
        Path log = Path.of(lake.path(table), "_delta_log");
        try (Stream<Path> commits = Files.list(log)) {
            return commits.filter(path -> path.toString().endsWith(".json")).sorted()
                    .flatMap(path -> {
                        try {
                            return Files.readAllLines(path).stream();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .filter(line -> line.startsWith("{\"add\""))
                    .map(line -> line.substring(line.indexOf("\"stats\":")))
                    .toList();
        }
    }
}
