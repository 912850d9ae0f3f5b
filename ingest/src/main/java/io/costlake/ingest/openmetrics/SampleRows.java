package io.costlake.ingest.openmetrics;

import java.io.Serializable;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * Turns what a reader finds in its input into the rows of a dataset of its own choice, in Spark's internal form
 * (strings as {@code UTF8String}: the encoder of {@code Row}s cost more per sample than parsing it). The reader
 * knows the format, the implementation knows what the rows are for (bronze ingest resolves each series to its
 * table's columns once, so per sample only the value and timestamp are new).
 *
 * <p>A split is one part of a file read by one task; lines are numbered from 1 within their split, and each
 * split ends with one {@link #lineCount} row so the consumer can turn split-local numbers into file line
 * numbers without a second pass over the text.
 *
 * @param <S> what a series resolves to; reused for every sample of the series
 */
public interface SampleRows<S> extends Serializable {
    StructType schema();

    /**
     * Resolves a series (metric and labels); called once per distinct series text of a split.
     *
     * @param text the series as written ({@code name{labels}}), which identifies it within one input
     */
    S series(String text, String metric, Map<String, String> labels);

    /** A row describing a series, emitted before its first sample in each split; null for none. */
    InternalRow seriesRow(S series);

    /**
     * The sink of one task's samples: called in the task, once, before its first sample. Most samples are never
     * decoded into text: a sink asks for a line's text only when a quarantine shows it.
     */
    SampleSink<S> sink();

    /** A line that cannot be parsed. */
    InternalRow malformed(String source, int split, long line, String error, String text);

    /** The number of lines of a split (comments and blank lines included). */
    InternalRow lineCount(String source, int split, long lines);

    /** The rows for samples another reader has parsed already ({@link ParsedSamples}, file line numbers). */
    Dataset<Row> fromParsed(Dataset<Row> parsed);
}
