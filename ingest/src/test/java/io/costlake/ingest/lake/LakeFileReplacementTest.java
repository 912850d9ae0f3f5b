package io.costlake.ingest.lake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static io.costlake.ingest.lake.TestTable.row;
import static io.costlake.ingest.lake.TestTable.rows;

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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.testing.TestSpark;

/**
 * Files that already hold a table's rows replace a day by being moved in and committed, with the same
 * replace-the-day semantics as a write of rows.
 */
class LakeFileReplacementTest {
    private static final LocalDate DAY = LocalDate.of(2026, 3, 1);
    private static final StructType FILE_SCHEMA = new StructType().add("pod", DataTypes.StringType)
            .add("value", DataTypes.DoubleType);

    @TempDir
    Path dir;

    private final SparkSession spark = TestSpark.session();

    @Test
    void filesReplaceTheDayOfTheGivenClustersAndNothingElse() throws IOException {
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        TestTable table = new TestTable("bronze", "samples", false);
        lake.replace(table, List.of("prod", "staging"), DAY, rows(row("prod", DAY, "old-prod", 1.0),
                row("staging", DAY, "old-staging", 2.0)));
        lake.replace(table, List.of("prod"), DAY.minusDays(1),
                rows(row("prod", DAY.minusDays(1), "yesterday", 3.0)));
        Lake.DataFile file = parquetFile("new", RowFactory.create("web-1", 4.0), RowFactory.create("web-2", 5.0));

        // staging is replaced too, with no files: its day is emptied, as a write of no rows would.
        lake.replaceWithFiles(table, List.of("prod", "staging"), DAY, Map.of("prod", List.of(file)), FILE_SCHEMA);

        assertThat(lake.readAll(table).orElseThrow().orderBy("day", "pod").collectAsList()).map(Row::toString)
                .containsExactly("[prod,2026-02-28,yesterday,3.0]", "[prod,2026-03-01,web-1,4.0]",
                        "[prod,2026-03-01,web-2,5.0]");
        assertThat(Path.of(file.path())).doesNotExist(); // moved into the table, not copied
        assertThat(lake.readAll(table).orElseThrow().where("day = DATE'2026-03-01'").inputFiles())
                .singleElement().asString().contains("cluster=prod/day=2026-03-01/");
    }

    @Test
    void aNewTableIsCreatedWithTheFilesColumnsAndWithoutStatisticsWhenItWantsNone() throws IOException {
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        TestTable table = new TestTable("bronze", "samples", false);

        lake.replaceWithFiles(table, List.of("prod"), DAY,
                Map.of("prod", List.of(parquetFile("a", RowFactory.create("web-1", 4.0)))), FILE_SCHEMA);

        Dataset<Row> stored = lake.readAll(table).orElseThrow();
        assertThat(stored.schema().fieldNames()).containsExactly("cluster", "day", "pod", "value");
        assertThat(stored.count()).isEqualTo(1);
        assertThat(io.delta.tables.DeltaTable.forPath(spark, lake.path(table)).detail().select("properties").first()
                .<String, String>getJavaMap(0)).containsEntry(Lake.STATISTICS_COLUMNS, "0");
    }

    @Test
    void filesWithOtherColumnsThanTheTableAreRefusedWithBothSchemas() throws IOException {
        Lake lake = new Lake(spark, dir.resolve("lake").toString());
        TestTable table = new TestTable("bronze", "samples", false);
        lake.replace(table, List.of("prod"), DAY,
                rows(row("prod", DAY, "old-prod", 1.0)));
        StructType other = new StructType().add("pod", DataTypes.StringType).add("value", DataTypes.LongType);

        assertThatThrownBy(() -> lake.replaceWithFiles(table, List.of("prod"), DAY, Map.of(), other))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("value:double").hasMessageContaining("value:bigint");
        assertThat(lake.readAll(table).orElseThrow().count()).isEqualTo(1);
    }

    /** A Parquet file of (pod, value) rows, as a task would have staged it. */
    private Lake.DataFile parquetFile(String name, Row... rows) throws IOException {
        Path out = dir.resolve("staged-" + name);
        spark.createDataFrame(List.of(rows), FILE_SCHEMA).coalesce(1).write().parquet(out.toString());
        try (Stream<Path> files = Files.list(out)) {
            Path file = files.filter(path -> path.getFileName().toString().endsWith(".parquet")).findFirst()
                    .orElseThrow();
            return new Lake.DataFile(file.toString(), rows.length);
        }
    }
}
