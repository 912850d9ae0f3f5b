package io.costlake.ingest.openmetrics;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/** One timestamped sample of a metric series, as read from any source. */
public record MetricSample(String metric, Map<String, String> labels, double value, long timestampMillis) {
    public MetricSample {
        requireNonNull(metric, "metric is null");
        labels = Map.copyOf(requireNonNull(labels, "labels is null"));
    }
}
