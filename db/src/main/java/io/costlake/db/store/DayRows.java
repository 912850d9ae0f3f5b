package io.costlake.db.store;

import static java.util.Objects.requireNonNull;

import java.util.Iterator;
import java.util.List;

/**
 * The rows of one result table for a (cluster, day), as produced upstream: column names and an iterator of
 * value arrays in that order. Columns the target table does not have are ignored; this lets the cost model
 * add columns before the schema needs them.
 */
public record DayRows(ResultTable table, List<String> columns, Iterator<Object[]> rows) {
    public DayRows {
        requireNonNull(table, "table is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        requireNonNull(rows, "rows is null");
    }
}
