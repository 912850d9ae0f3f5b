package io.costlake.ingest.testing;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_entries;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.MapType;

import io.costlake.ingest.bronze.BronzeTable;
import io.costlake.ingest.lake.Lake;

/**
 * The bronze tables of one cluster-day in a reference lake, to compare other lakes with row by row. Rows are
 * compared as multisets on the driver (a day of a small cluster is a few MB), all tables of a lake in one Spark
 * job, and a difference can be shown as the row itself.
 */
public final class BronzeComparison {
    private final String cluster;
    private final LocalDate day;
    private final Map<BronzeTable, Map<String, Long>> expected;

    private BronzeComparison(String cluster, LocalDate day, Map<BronzeTable, Map<String, Long>> expected) {
        this.cluster = cluster;
        this.day = day;
        this.expected = expected;
    }

    /** Rows on each side and rows whose count differs between them, with one of those as an example. */
    public record TableComparison(long expectedRows, long actualRows, long differingRows, String example) {}

    /** Reads the reference lake's bronze tables of the cluster-day once. */
    public static BronzeComparison of(Lake expected, String cluster, LocalDate day) {
        return new BronzeComparison(cluster, day, rows(expected, cluster, day));
    }

    public Map<BronzeTable, TableComparison> against(Lake actual) {
        Map<BronzeTable, Map<String, Long>> actualRows = rows(actual, cluster, day);
        Map<BronzeTable, TableComparison> result = new EnumMap<>(BronzeTable.class);
        for (BronzeTable table : BronzeTable.values()) {
            Map<String, Long> expectedRows = expected.getOrDefault(table, Map.of());
            Map<String, Long> surplus = new HashMap<>(expectedRows);
            Map<String, Long> other = actualRows.getOrDefault(table, Map.of());
            other.forEach((row, count) -> surplus.merge(row, -count, Long::sum));
            List<String> differing = surplus.entrySet().stream().filter(entry -> entry.getValue() != 0)
                    .map(entry -> entry.getValue() + " × " + entry.getKey()).toList();
            result.put(table, new TableComparison(total(expectedRows), total(other), differing.size(),
                    differing.isEmpty() ? null : differing.get(0)));
        }
        return result;
    }

    /** Every table's rows as JSON (maps as sorted lists of entries, since maps do not compare), counted. */
    private static Map<BronzeTable, Map<String, Long>> rows(Lake lake, String cluster, LocalDate day) {
        Dataset<Row> all = null;
        for (BronzeTable table : BronzeTable.values()) {
            Dataset<Row> rows = lake.read(table, cluster, day).orElseThrow();
            Column[] columns = Arrays.stream(rows.schema().fields())
                    .map(field -> field.dataType() instanceof MapType
                            ? array_sort(map_entries(col(field.name()))).as(field.name())
                            : col(field.name()))
                    .toArray(Column[]::new);
            Dataset<Row> json = rows.select(lit(table.name()).as("table"), to_json(struct(columns)).as("row"));
            all = all == null ? json : all.union(json);
        }
        Map<BronzeTable, Map<String, Long>> counted = new EnumMap<>(BronzeTable.class);
        for (Row row : all.collectAsList()) {
            counted.computeIfAbsent(BronzeTable.valueOf(row.getString(0)), table -> new HashMap<>())
                    .merge(row.getString(1), 1L, Long::sum);
        }
        return counted;
    }

    private static long total(Map<String, Long> rows) {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }
}
