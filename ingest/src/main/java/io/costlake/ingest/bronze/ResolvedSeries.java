package io.costlake.ingest.bronze;

import static java.util.Objects.requireNonNull;

import java.util.Map;

import org.apache.spark.unsafe.types.UTF8String;

/**
 * A series resolved once for all its samples: the bronze table it belongs to (null outside the contract), its
 * cluster, its table's column values in the staging layout, and what is wrong with it, if anything, whatever
 * its values. A split keeps one per series it meets, so it holds only what samples need: not the metric name
 * nor the label map they were resolved from (half of a cached series' memory).
 *
 * @param id a 64-bit hash of {@code cluster} and {@code text}: samples are staged with it, and their series'
 *     columns joined back when the tables are written (an ingest checks that no two texts share an id)
 * @param columns values of {@link SampleResolver#STAGED_COLUMNS}, null where the table has no such column
 * @param problem why every sample of the series is quarantined (a missing label, an unknown unit), or null
 * @param ignored samples of the series are not used (cAdvisor's pod- and cgroup-level aggregates)
 * @param encodedTable {@code table}'s name as staged, encoded once per series rather than once per sample
 * @param encodedCluster {@code cluster} as staged, likewise
 * @param maxValue the largest possible value of the metric (infinity for most)
 * @param aboveMaxValue why a sample above {@code maxValue} is quarantined
 */
record ResolvedSeries(long id, String text, BronzeTable table, String cluster, Object[] columns, String problem,
        boolean ignored, UTF8String encodedTable, UTF8String encodedCluster, double maxValue, String aboveMaxValue) {
    ResolvedSeries {
        requireNonNull(text, "text is null");
        requireNonNull(cluster, "cluster is null");
        requireNonNull(columns, "columns is null");
        requireNonNull(encodedCluster, "encodedCluster is null");
        if (Double.isNaN(maxValue) || (maxValue != Double.POSITIVE_INFINITY && aboveMaxValue == null)) {
            throw new IllegalArgumentException("a finite maxValue needs its reason, got " + maxValue);
        }
        if ((table == null) != (encodedTable == null)) {
            throw new IllegalArgumentException("encodedTable must be given exactly when the series has a table");
        }
    }

    boolean inContract() {
        return table != null;
    }

    /**
     * A series' identity: FNV-1a, 64 bits, over its cluster and its text. The cluster is hashed too because the
     * same text can come from two clusters ingested apart (each with its own {@code --cluster}), and readers
     * join a day's samples of several clusters to their series by this id alone.
     */
    static long id(String cluster, String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < cluster.length(); i++) {
            hash ^= cluster.charAt(i);
            hash *= 0x100000001b3L;
        }
        hash ^= 0xffff; // not a char of either string, so ("ab", "c") and ("a", "bc") differ
        hash *= 0x100000001b3L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return hash;
    }

    /** A series in exposition format with its labels sorted, for sources that have no text of their own. */
    static String text(String metric, Map<String, String> labels) {
        StringBuilder text = new StringBuilder(metric).append('{');
        new java.util.TreeMap<>(labels).forEach((name, value) -> text.append(name).append("=\"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append("\","));
        if (!labels.isEmpty()) {
            text.setLength(text.length() - 1);
        }
        return text.append('}').toString();
    }
}
