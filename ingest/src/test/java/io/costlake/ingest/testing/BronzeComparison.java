package io.costlake.ingest.testing;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.map_entries;

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
 * Two lakes' bronze tables of one cluster-day compared row by row, as multisets on the driver (a day of a small
 * cluster is a few MB): cheaper than a Spark job per table, and a difference can be shown as the row itself.
 */
public final class BronzeComparison {
    private BronzeComparison() {}

    /** Rows on each side and rows whose count differs between them, with one of those as an example. */
    public record TableComparison(long expectedRows, long actualRows, long differingRows, String example) {}

    public static Map<BronzeTable, TableComparison> compare(Lake expected, Lake actual, String cluster, LocalDate day) {
        Map<BronzeTable, TableComparison> result = new EnumMap<>(BronzeTable.class);
        for (BronzeTable table : BronzeTable.values()) {
            Map<String, Long> surplus = new HashMap<>();
            long[] rows = new long[2];
            for (Lake lake : List.of(expected, actual)) {
                int side = lake == expected ? 0 : 1;
                for (Row row : comparable(lake.read(table, cluster, day).orElseThrow()).collectAsList()) {
                    surplus.merge(row.toString(), side == 0 ? 1L : -1L, Long::sum);
                    rows[side]++;
                }
            }
            List<String> differing = surplus.entrySet().stream().filter(entry -> entry.getValue() != 0)
                    .map(entry -> entry.getValue() + " × " + entry.getKey()).toList();
            result.put(table, new TableComparison(rows[0], rows[1], differing.size(),
                    differing.isEmpty() ? null : differing.get(0)));
        }
        return result;
    }

    /** Map columns as sorted lists of entries, since maps do not compare in Spark. */
    public static Dataset<Row> comparable(Dataset<Row> rows) {
        Column[] columns = Arrays.stream(rows.schema().fields())
                .map(field -> field.dataType() instanceof MapType
                        ? array_sort(map_entries(col(field.name()))).as(field.name())
                        : col(field.name()))
                .toArray(Column[]::new);
        return rows.select(columns);
    }
}
