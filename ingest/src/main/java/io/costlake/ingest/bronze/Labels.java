package io.costlake.ingest.bronze;

import java.util.Map;

/**
 * Reads a label under the names real clusters use for it. Prometheus renames a target's own label to
 * {@code exported_<name>} when it clashes with a target label, so the exported name wins; the node comes as
 * {@code node}, {@code Hostname} (dcgm-exporter) or {@code instance}. Empty values count as absent, as in
 * Prometheus.
 */
final class Labels {
    private Labels() {}

    /** How a bronze column is read from a series: its metric name and labels. */
    @FunctionalInterface
    interface SeriesColumn {
        Object value(String metric, Map<String, String> labels);
    }

    /** The first of the given labels that is present and not empty, else null. */
    static String first(Map<String, String> labels, String... names) {
        for (String name : names) {
            String value = labels.get(name);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    static SeriesColumn first(String... names) {
        return (metric, labels) -> first(labels, names);
    }

    static SeriesColumn namespace() {
        return first("exported_namespace", "namespace");
    }

    static SeriesColumn pod() {
        return first("exported_pod", "pod");
    }

    static SeriesColumn container() {
        return first("exported_container", "container");
    }

    static SeriesColumn node() {
        return (metric, labels) -> node(labels);
    }

    /** Node name; an {@code instance} label of the form host:port loses its port. */
    static String node(Map<String, String> labels) {
        String node = first(labels, "node", "exported_node", "Hostname", "kubernetes_io_hostname");
        if (node != null) {
            return node;
        }
        String instance = first(labels, "instance");
        if (instance == null) {
            return null;
        }
        int colon = instance.lastIndexOf(':');
        return colon >= 0 && colon < instance.length() - 1 && isDigits(instance, colon + 1)
                ? instance.substring(0, colon)
                : instance;
    }

    private static boolean isDigits(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
