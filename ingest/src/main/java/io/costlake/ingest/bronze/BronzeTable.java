package io.costlake.ingest.bronze;

import static io.costlake.ingest.bronze.Labels.container;
import static io.costlake.ingest.bronze.Labels.first;
import static io.costlake.ingest.bronze.Labels.namespace;
import static io.costlake.ingest.bronze.Labels.node;
import static io.costlake.ingest.bronze.Labels.pod;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_filter;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Column;

import io.costlake.ingest.lake.LakeTable;
import io.costlake.ingest.openmetrics.ParsedSamples;

/**
 * The typed bronze tables: one per metric family of the input contract (DESIGN §2.1), raw samples with
 * the labels the cost model needs pulled out into columns. Every table also has cluster, day, ts and
 * value.
 */
public enum BronzeTable implements LakeTable {
    CONTAINER_CPU_USAGE("container_cpu_usage", Set.of("container_cpu_usage_seconds_total"),
            List.of(named("namespace", namespace()), named("pod", pod()), named("container", container()), named("node", node()))),
    CONTAINER_MEMORY("container_memory_working_set", Set.of("container_memory_working_set_bytes"),
            List.of(named("namespace", namespace()), named("pod", pod()), named("container", container()), named("node", node()))),
    CONTAINER_RESOURCE("container_resource",
            Set.of("kube_pod_container_resource_requests", "kube_pod_container_resource_limits"),
            List.of(named("namespace", namespace()), named("pod", pod()), named("container", container()), named("node", node()),
                    named("kind", when(col(ParsedSamples.METRIC).endsWith("_limits"), lit("limits"))
                            .otherwise(lit("requests"))),
                    named("resource", first("resource")), named("unit", first("unit")))),
    POD_INFO("pod_info", Set.of("kube_pod_info"),
            List.of(named("namespace", namespace()), named("pod", pod()), named("node", node()),
                    named("created_by_kind", first("created_by_kind")), named("created_by_name", first("created_by_name")))),
    OBJECT_LABELS("object_labels", Set.of("kube_pod_labels", "kube_namespace_labels", "kube_node_labels"),
            List.of(named("object_kind",
                            regexp_replace(regexp_replace(col(ParsedSamples.METRIC), "^kube_", ""), "_labels$", "")),
                    named("namespace", when(col(ParsedSamples.METRIC).equalTo("kube_node_labels"),
                            lit(null).cast("string")).otherwise(namespace())),
                    named("name", when(col(ParsedSamples.METRIC).equalTo("kube_pod_labels"), pod())
                            .when(col(ParsedSamples.METRIC).equalTo("kube_node_labels"), node())
                            .otherwise(namespace())),
                    named("labels",
                            map_filter(col(ParsedSamples.LABELS), (key, value) -> key.startsWith("label_"))))),
    NODE_CAPACITY("node_capacity", Set.of("kube_node_status_capacity"),
            List.of(named("node", node()), named("resource", first("resource")), named("unit", first("unit")))),
    PVC_INFO("pvc_info", Set.of("kube_persistentvolumeclaim_info"),
            List.of(named("namespace", namespace()), named("persistentvolumeclaim", first("persistentvolumeclaim")),
                    named("volumename", first("volumename")), named("storageclass", first("storageclass")))),
    PV_CAPACITY("pv_capacity", Set.of("kube_persistentvolume_capacity_bytes"),
            List.of(named("persistentvolume", first("persistentvolume")))),
    PV_INFO("pv_info", Set.of("kube_persistentvolume_info"),
            List.of(named("persistentvolume", first("persistentvolume")), named("storageclass", first("storageclass")))),
    GPU("gpu", Set.of("DCGM_FI_DEV_GPU_UTIL", "DCGM_FI_PROF_GR_ENGINE_ACTIVE", "DCGM_FI_DEV_FB_USED"),
            List.of(named("metric", col(ParsedSamples.METRIC)),
                    named("node", first("Hostname", "node", "exported_node", "kubernetes_io_hostname")),
                    named("gpu", first("gpu")), named("uuid", first("UUID", "uuid")), named("model", first("modelName")),
                    named("namespace", namespace()), named("pod", pod()), named("container", container()),
                    named("mig_profile", first("GPU_I_PROFILE")), named("mig_id", first("GPU_I_ID")))),
    OPENCOST_PRICE("opencost_price",
            Set.of("node_total_hourly_cost", "node_cpu_hourly_cost", "node_ram_hourly_cost", "node_gpu_hourly_cost",
                    "pv_hourly_cost"),
            List.of(named("metric", col(ParsedSamples.METRIC)), named("node", node()),
                    named("instance_type", first("instance_type")), named("persistentvolume", first("persistentvolume"))));

    private final String tableName;
    private final Set<String> metrics;
    private final List<NamedColumn> columns;

    BronzeTable(String tableName, Set<String> metrics, List<NamedColumn> columns) {
        this.tableName = tableName;
        this.metrics = metrics;
        this.columns = columns;
    }

    @Override
    public String layer() {
        return "bronze";
    }

    @Override
    public String tableName() {
        return tableName;
    }

    public Set<String> metrics() {
        return metrics;
    }

    /** The table's own columns, as expressions over {@link ParsedSamples}. */
    List<NamedColumn> columns() {
        return columns;
    }

    /** A column of a bronze table: its name and how it is computed from a parsed sample. */
    record NamedColumn(String name, Column expression) {}

    private static NamedColumn named(String name, Column expression) {
        return new NamedColumn(name, expression);
    }
}
