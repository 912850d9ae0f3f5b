package io.costlake.ingest.bronze;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.nullif;
import static org.apache.spark.sql.functions.regexp_replace;

import java.util.Arrays;

import org.apache.spark.sql.Column;

import io.costlake.ingest.openmetrics.ParsedSamples;

/**
 * Column expressions that read a label under the names real clusters use for it. Prometheus renames a
 * target's own label to {@code exported_<name>} when it clashes with a target label, so the exported name
 * wins; the node comes as {@code node}, {@code Hostname} (dcgm-exporter) or {@code instance}.
 */
final class Labels {
    private Labels() {}

    /** The first of the given labels that is present and not empty, else null. */
    static Column first(String... names) {
        Column[] candidates = Arrays.stream(names)
                .map(name -> nullif(col(ParsedSamples.LABELS).getItem(name), lit("")))
                .toArray(Column[]::new);
        return candidates.length == 1 ? candidates[0] : coalesce(candidates);
    }

    static Column namespace() {
        return first("exported_namespace", "namespace");
    }

    static Column pod() {
        return first("exported_pod", "pod");
    }

    static Column container() {
        return first("exported_container", "container");
    }

    /** Node name; an {@code instance} label of the form host:port loses its port. */
    static Column node() {
        return coalesce(first("node", "exported_node", "Hostname", "kubernetes_io_hostname"),
                regexp_replace(first("instance"), ":[0-9]+$", ""));
    }
}
