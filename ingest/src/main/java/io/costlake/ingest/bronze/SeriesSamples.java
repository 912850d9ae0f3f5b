package io.costlake.ingest.bronze;

import static java.util.Objects.requireNonNull;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A bronze table as stored: its samples by series id, and each series' columns once. For readers that work per
 * sample on numbers and per series on strings, joining the two on the series id (one 64-bit key) only where
 * they need a series' column, instead of carrying a pod's names with each of its samples.
 *
 * @param samples (cluster, day, series, ts, value)
 * @param series (cluster, day, series and the table's own columns), one row per series and day; the series id
 *     is unique across clusters in a lake ingested by this version (it hashes the cluster too)
 */
public record SeriesSamples(Dataset<Row> samples, Dataset<Row> series) {
    public SeriesSamples {
        requireNonNull(samples, "samples is null");
        requireNonNull(series, "series is null");
    }

    /** Both parts restricted by {@code predicate}, which may only read cluster and day. */
    public SeriesSamples where(Column predicate) {
        requireNonNull(predicate, "predicate is null");
        return new SeriesSamples(samples.where(predicate), series.where(predicate));
    }
}
