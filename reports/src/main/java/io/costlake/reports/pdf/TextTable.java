package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** A table as the PDF lays it out: weighted columns and rows of already formatted cells. */
record TextTable(List<Column> columns, List<Row> rows) {
    TextTable {
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
        rows = List.copyOf(requireNonNull(rows, "rows is null"));
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a table has at least one column");
        }
        for (Row row : rows) {
            if (row.cells().size() != columns.size()) {
                throw new IllegalArgumentException("row has " + row.cells().size() + " cells for " + columns.size()
                        + " columns: " + row.cells());
            }
        }
    }

    enum Align { LEFT, RIGHT }

    /** How a row reads: plain, or muted like an "other" bucket, or bold like a total. */
    enum Emphasis { PLAIN, MUTED, TOTAL, ALERT }

    /**
     * A column: its header, its share of the table width, alignment, and how many lines a cell may wrap to
     * before it is cut with an ellipsis (cells may also contain explicit line breaks).
     */
    record Column(String header, float weight, Align align, int maxLines) {
        Column {
            requireNonNull(header, "header is null");
            requireNonNull(align, "align is null");
            if (weight <= 0 || maxLines < 1) {
                throw new IllegalArgumentException("column " + header + " needs a positive weight and line count");
            }
        }

        static Column text(String header, float weight) {
            return new Column(header, weight, Align.LEFT, 1);
        }

        static Column wrapped(String header, float weight, int maxLines) {
            return new Column(header, weight, Align.LEFT, maxLines);
        }

        static Column number(String header, float weight) {
            return new Column(header, weight, Align.RIGHT, 1);
        }
    }

    record Row(List<String> cells, Emphasis emphasis) {
        Row {
            cells = List.copyOf(requireNonNull(cells, "cells is null"));
            requireNonNull(emphasis, "emphasis is null");
        }

        static Row of(String... cells) {
            return new Row(List.of(cells), Emphasis.PLAIN);
        }
    }
}
