package io.costlake.ingest.openmetrics;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

import org.apache.spark.sql.catalyst.InternalRow;

/**
 * An iterator over rows produced a few at a time: one input line may give no row (a comment), one (a sample)
 * or two (a series seen for the first time, then its sample).
 */
public abstract class RowBuffer implements Iterator<InternalRow> {
    private final ArrayDeque<InternalRow> pending = new ArrayDeque<>(2);

    /** Reads more input, emitting its rows; returns false when the input is exhausted. */
    protected abstract boolean fill();

    protected final void emit(InternalRow row) {
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
    public final InternalRow next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return pending.poll();
    }
}
