package io.costlake.ingest.openmetrics;

import java.util.List;
import java.util.function.Supplier;

import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Where the samples of one task go ({@link SampleRows#sink}). A sample becomes a row of the reader's dataset, or
 * the sink keeps it itself (bronze ingest writes loaded samples straight to Parquet files) and describes what it
 * kept in the rows {@link #finish} gives once the task's input is read.
 *
 * @param <S> what a series resolves to
 */
public interface SampleSink<S> {
    /**
     * A sample of a resolved series, as a row, or null when the sink kept it; {@code text} gives the input line
     * (or null where there is none), asked for only when a quarantine shows it.
     */
    InternalRow sample(S series, String source, int split, long line, long timestampMillis, double value,
            Supplier<String> text);

    /** Completes what the sink kept and returns the rows describing it; called once, after the last sample. */
    List<InternalRow> finish();
}
