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
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.testing.TestSpark;

/**
 * A write of rows replaces exactly the given clusters' day of a table: the day's old rows go, other days and
 * clusters stay, and rows that do not belong to the replaced day are refused. A small table's old files are found
 * in Delta's checksum of the version, a larger one's by reconstructing the table's state: both give the same table.
 */
class LakeReplacementTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    /** Delta lists every file of a version in its checksum file while a table has fewer files than its threshold. */
    private static final String FILES_IN_CHECKSUM = "spark.databricks.delta.allFilesInCrc.enabled";

    @TempDir
    Path dir;

    private final SparkSession spark = TestSpark.session();

    @Test
    void replacesTheGivenClustersDayAndNothingElse() {
        assertThat(replaceTwice(new Lake(spark, dir.resolve("crc").toString()))).containsExactly(
                "[prod,2026-02-28,yesterday,3.0]", "[prod,2026-03-01,web-3,5.0]", "[test,2026-03-01,other,9.0]");
    }

    @Test
    void findsTheDaysFilesAlikeWithoutTheChecksumsList() {
        spark.conf().set(FILES_IN_CHECKSUM, "false");
        try {
            assertThat(replaceTwice(new Lake(spark, dir.resolve("state").toString()))).containsExactly(
                    "[prod,2026-02-28,yesterday,3.0]", "[prod,2026-03-01,web-3,5.0]", "[test,2026-03-01,other,9.0]");
        } finally {
            spark.conf().unset(FILES_IN_CHECKSUM);
        }
    }

    @Test
    void rowsOfAnotherDayOrClusterAreRefusedAndTheTableIsKept() {
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        TestTable table = new TestTable("gold", "costs", true);
        lake.replace(table, List.of("prod"), DAY, rows(row("prod", DAY, "web-1", 1.0)));

        assertThatThrownBy(() -> lake.replace(table, List.of("prod"), DAY,
                rows(row("prod", DAY, "web-2", 2.0), row("prod", DAY.plusDays(1), "tomorrow", 3.0))))
                .hasMessageContaining("day = DATE'2026-03-01'");
        assertThatThrownBy(() -> lake.replace(table, List.of("prod"), DAY, rows(row("test", DAY, "web-2", 2.0))))
                .hasMessageContaining("cluster IN ('prod')");

        assertThat(contents(lake, table)).containsExactly("[prod,2026-03-01,web-1,1.0]");
    }

    @Test
    void columnsAreMatchedByNameAndAnotherColumnIsRefusedWithBothSchemas() {
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        TestTable table = new TestTable("gold", "costs", true);
        lake.replace(table, List.of("prod"), DAY, rows(row("prod", DAY, "web-1", 1.0)));

        lake.replace(table, List.of("prod"), DAY,
                rows(row("prod", DAY, "web-2", 2.0)).select("value", "pod", "day", "cluster"));
        assertThat(contents(lake, table)).containsExactly("[prod,2026-03-01,web-2,2.0]");

        Dataset<Row> retyped = rows(row("prod", DAY, "web-3", 3.0)).withColumn("value",
                org.apache.spark.sql.functions.col("value").cast(DataTypes.LongType));
        assertThatThrownBy(() -> lake.replace(table, List.of("prod"), DAY, retyped))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("value:double").hasMessageContaining("value:bigint");
        Dataset<Row> extra = rows(row("prod", DAY, "web-3", 3.0)).withColumn("node",
                org.apache.spark.sql.functions.lit("n1"));
        assertThatThrownBy(() -> lake.replace(table, List.of("prod"), DAY, extra))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("node:string");
        assertThat(contents(lake, table)).containsExactly("[prod,2026-03-01,web-2,2.0]");
    }

    /**
     * prod and test on DAY and prod the day before; then prod's DAY replaced twice (test's DAY and prod's day before
     * are not touched), the second time from a table that has more files.
     */
    private List<String> replaceTwice(Lake lake) {
        TestTable table = new TestTable("gold", "costs", true);
        lake.replace(table, List.of("prod", "test"), DAY,
                rows(row("prod", DAY, "web-1", 1.0), row("test", DAY, "other", 9.0)));
        lake.replace(table, List.of("prod"), DAY.minusDays(1), rows(row("prod", DAY.minusDays(1), "yesterday", 3.0)));
        lake.replace(table, List.of("prod"), DAY, rows(row("prod", DAY, "web-2", 4.0)));
        lake.replace(table, List.of("prod"), DAY, rows(row("prod", DAY, "web-3", 5.0)));
        return contents(lake, table);
    }
}
