package io.costlake.costmodel;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The values an info-style series last had per key ({@code max_by(value, ts)}), such as a pod's node or owner
 * from {@code kube_pod_info}. Such series repeat the same few values at every sample, so the day's samples are
 * first grouped by key and value (a hash aggregation: one row per distinct value, keeping its latest ts), and
 * {@code max_by} runs on those few rows. Run directly over the samples, {@code max_by} of a string keeps a
 * string in its buffer, which Spark cannot hash-aggregate: it sorts every sample of the day instead.
 */
public final class LatestValues {
    private final List<String> keys;
    private final Map<String, Column> values = new LinkedHashMap<>();

    private LatestValues(List<String> keys) {
        this.keys = List.copyOf(keys);
    }

    /** Latest values per {@code keys}: columns of the input, kept under their names. */
    public static LatestValues per(String... keys) {
        requireNonNull(keys, "keys is null");
        if (keys.length == 0) {
            throw new IllegalArgumentException("no key");
        }
        return new LatestValues(List.of(keys));
    }

    /** Adds the value {@code value} of the input (any orderable expression) as column {@code name}. */
    public LatestValues value(String name, Column value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        if (keys.contains(name) || values.putIfAbsent(name, value) != null) {
            throw new IllegalArgumentException("duplicate column " + name);
        }
        return this;
    }

    /** One row per key with the values of its latest sample (by {@code ts}). */
    public Dataset<Row> of(Dataset<Row> samples) {
        requireNonNull(samples, "samples is null");
        if (values.isEmpty()) {
            throw new IllegalStateException("no value");
        }
        List<Column> keyColumns = keys.stream().map(org.apache.spark.sql.functions::col).toList();
        List<Column> grouping = new ArrayList<>(keyColumns);
        values.forEach((name, value) -> grouping.add(value.as(name)));
        Dataset<Row> distinct = samples.groupBy(grouping.toArray(Column[]::new)).agg(max(col("ts")).as("ts"));
        List<Column> latest = new ArrayList<>();
        values.keySet().forEach(name -> latest.add(max_by(col(name), col("ts")).as(name)));
        return distinct.groupBy(keyColumns.toArray(Column[]::new))
                .agg(latest.get(0), latest.subList(1, latest.size()).toArray(Column[]::new));
    }
}
