package io.costlake.ingest.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.costlake.ingest.lake.TestTable.contents;
import static io.costlake.ingest.lake.TestTable.row;
import static io.costlake.ingest.lake.TestTable.rows;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.testing.TestSpark;

/**
 * A lake seen by one day's reader ({@link Lake#ofDay}) reads the given clusters' day of each table and nothing else,
 * from the version of the table it first read, until it writes the table itself. The day's files come from Delta's
 * checksum of the version while a table is small, else from the table's state: both give the same rows.
 */
class LakeDayReadsTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    private static final String FILES_IN_CHECKSUM = "spark.databricks.delta.allFilesInCrc.enabled";

    @TempDir
    Path dir;

    private final SparkSession spark = TestSpark.session();
    private final TestTable table = new TestTable("gold", "costs", true);

    @Test
    void readsOnlyTheGivenClustersDay() {
        Lake lake = lakeWithTwoClustersOnTwoDays("crc");

        assertThat(contents(lake.ofDay(List.of("prod"), DAY), table)).containsExactly("[prod,2026-03-01,web-1,1.0]");
        assertThat(contents(lake.ofDay(List.of("prod", "test"), DAY), table))
                .containsExactly("[prod,2026-03-01,web-1,1.0]", "[test,2026-03-01,other,9.0]");
        assertThat(contents(lake.ofDay(List.of("prod"), DAY.minusDays(1)), table))
                .containsExactly("[prod,2026-02-28,yesterday,3.0]");
        assertThat(contents(lake.ofDay(List.of("prod"), DAY.plusDays(1)), table)).isEmpty();
    }

    @Test
    void readsTheSameRowsWithoutTheChecksumsList() {
        spark.conf().set(FILES_IN_CHECKSUM, "false");
        try {
            Lake lake = lakeWithTwoClustersOnTwoDays("state");

            assertThat(contents(lake.ofDay(List.of("prod"), DAY), table))
                    .containsExactly("[prod,2026-03-01,web-1,1.0]");
            assertThat(contents(lake.ofDay(List.of("test"), DAY), table))
                    .containsExactly("[test,2026-03-01,other,9.0]");
        } finally {
            spark.conf().unset(FILES_IN_CHECKSUM);
        }
    }

    @Test
    void keepsTheVersionItFirstReadUntilItWritesTheTableItself() {
        Lake lake = lakeWithTwoClustersOnTwoDays("pinned");
        Lake day = lake.ofDay(List.of("prod"), DAY);
        assertThat(contents(day, table)).containsExactly("[prod,2026-03-01,web-1,1.0]");

        lake.replace(table, List.of("prod"), DAY, rows(row("prod", DAY, "web-2", 2.0)));
        // Every read of the day sees one version of the table, whatever another writer does meanwhile.
        assertThat(contents(day, table)).containsExactly("[prod,2026-03-01,web-1,1.0]");

        day.replace(table, List.of("prod"), DAY, rows(row("prod", DAY, "web-3", 3.0)));
        assertThat(contents(day, table)).containsExactly("[prod,2026-03-01,web-3,3.0]");
        assertThat(contents(lake.ofDay(List.of("prod"), DAY), table)).containsExactly("[prod,2026-03-01,web-3,3.0]");
    }

    @Test
    void twoReadsOfATableAreTwoRelationsThatJoinByTheirOwnColumns() {
        Lake day = lakeWithTwoClustersOnTwoDays("join").ofDay(List.of("prod", "test"), DAY);
        Dataset<Row> left = day.readAll(table).orElseThrow();
        Dataset<Row> right = day.readAll(table).orElseThrow();

        // Not a self-join: the condition compares one read's cluster with the other's, so only rows of the same
        // cluster pair up.
        assertThat(left.join(right, left.col("cluster").equalTo(right.col("cluster"))).count()).isEqualTo(2);
    }

    @Test
    void aTableNeverWrittenReadsAsAbsent() {
        Lake day = new Lake(spark, dir.resolve("empty").toString()).ofDay(List.of("prod"), DAY);

        assertThat(day.readAll(table)).isEmpty();
        assertThatThrownBy(() -> day.ofDay(List.of(), DAY)).isInstanceOf(IllegalArgumentException.class);
    }

    /** prod and test on DAY, prod the day before. */
    private Lake lakeWithTwoClustersOnTwoDays(String name) {
        Lake lake = new Lake(spark, dir.resolve(name).toString());
        lake.replace(table, List.of("prod", "test"), DAY,
                rows(row("prod", DAY, "web-1", 1.0), row("test", DAY, "other", 9.0)));
        lake.replace(table, List.of("prod"), DAY.minusDays(1), rows(row("prod", DAY.minusDays(1), "yesterday", 3.0)));
        return lake;
    }
}
