package io.costlake.jobs.nightly;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.costlake.db.store.DayRows;
import io.costlake.db.store.ResultTable;
import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.lake.LakeTable;

/**
 * Streams a gold (or quarantine) Delta table's rows of one cluster-day to PostgreSQL: {@code toLocalIterator}
 * brings one partition at a time to the driver, never the whole table.
 */
final class GoldRows {
    private GoldRows() {}

    static DayRows of(Lake lake, LakeTable source, ResultTable target, String cluster, LocalDate day) {
        Dataset<Row> rows = lake.read(source, cluster, day).orElseThrow(() -> new IllegalStateException(
                "table " + source.tableName() + " is missing in " + lake.root()));
        List<String> columns = List.of(rows.columns());
        Iterator<Row> iterator = rows.toLocalIterator();
        return new DayRows(target, columns, new Iterator<>() {
            @Override
            public boolean hasNext() {
                return iterator.hasNext();
            }

            @Override
            public Object[] next() {
                Row row = iterator.next();
                Object[] values = new Object[row.length()];
                for (int i = 0; i < values.length; i++) {
                    values[i] = toJdbc(row.get(i));
                }
                return values;
            }
        });
    }

    /** Spark hands out java.sql types; the generated jOOQ tables use java.time. */
    private static Object toJdbc(Object value) {
        if (value instanceof Date date) {
            return date.toLocalDate();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant().atOffset(ZoneOffset.UTC);
        }
        return value;
    }
}
