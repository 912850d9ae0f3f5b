package io.costlake.db.testing;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jooq.Field;

import io.costlake.db.store.DayRows;
import io.costlake.db.store.ResultTable;

/**
 * Builds rows of a result table for tests: name only the columns that matter, every other column gets a
 * neutral value (0, empty text) so NOT NULL constraints hold.
 */
public final class ResultRows {
    private final ResultTable table;
    private final List<Map<String, Object>> rows = new ArrayList<>();

    private ResultRows(ResultTable table) {
        this.table = table;
    }

    public static ResultRows of(ResultTable table) {
        return new ResultRows(table);
    }

    /** Adds a row from alternating column names and values. */
    public ResultRows row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        rows.add(row);
        return this;
    }

    public DayRows build() {
        List<String> columns = new ArrayList<>();
        List<Field<?>> fields = new ArrayList<>();
        for (Field<?> field : table.table().fields()) {
            if (!field.getName().equals("run_id")) {
                columns.add(field.getName());
                fields.add(field);
            }
        }
        List<Object[]> values = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Object[] array = new Object[fields.size()];
            for (int i = 0; i < fields.size(); i++) {
                Field<?> field = fields.get(i);
                array[i] = row.containsKey(field.getName()) ? row.get(field.getName()) : neutral(field);
            }
            values.add(array);
        }
        return new DayRows(table, columns, values.iterator());
    }

    private static Object neutral(Field<?> field) {
        Class<?> type = field.getType();
        if (field.getDataType().nullable()) {
            return null;
        }
        if (type == String.class) {
            return "";
        }
        if (type == LocalDate.class) {
            return LocalDate.EPOCH;
        }
        if (type == OffsetDateTime.class) {
            return OffsetDateTime.parse("1970-01-01T00:00:00Z");
        }
        if (type == Integer.class) {
            return 0;
        }
        if (type == Long.class) {
            return 0L;
        }
        return 0.0;
    }
}
