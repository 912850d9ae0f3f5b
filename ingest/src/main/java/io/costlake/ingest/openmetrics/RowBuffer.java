package io.costlake.ingest.openmetrics;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

import org.apache.spark.sql.Row;

/**
 * An iterator over rows produced a few at a time: one input line may give no row (a comment), one (a sample)
 * or two (a series seen for the first time, then its sample).
 */
public abstract class RowBuffer implements Iterator<Row> {
    private final ArrayDeque<Row> pending = new ArrayDeque<>(2);

    /** Reads more input, emitting its rows; returns false when the input is exhausted. */
    protected abstract boolean fill();

    protected final void emit(Row row) {
        pending.add(row);
    }

    @Override
    public final boolean hasNext() {
        while (pending.isEmpty() && fill()) {
            // keep reading until a row comes or the input ends
        }
        return !pending.isEmpty();
    }

    @Override
    public final Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return pending.poll();
    }
}
