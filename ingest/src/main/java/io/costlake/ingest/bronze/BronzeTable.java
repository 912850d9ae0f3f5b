package io.costlake.ingest.bronze;

import static io.costlake.ingest.bronze.Labels.container;
import static io.costlake.ingest.bronze.Labels.first;
import static io.costlake.ingest.bronze.Labels.namespace;
import static io.costlake.ingest.bronze.Labels.node;
import static io.costlake.ingest.bronze.Labels.pod;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.max_by;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.xxhash64;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;

import io.costlake.ingest.lake.Lake;
import io.costlake.ingest.lake.LakeTable;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The typed bronze tables: one per metric family of the input contract (DESIGN §2.1), raw samples with
 * the labels the cost model needs pulled out into columns. Every table also has cluster, day, ts and
 * value. Columns are read from a series' labels in Java, once per series (see {@link SampleResolver}).
 *
 * <p>As stored, a table's rows are (cluster, day, series, ts, value) under {@code bronze/samples/<name>}, and the
 * series' columns are in {@link BronzeSeriesTable}, once per series and day; {@link #rows} joins them back, so
 * readers see the typed rows. Writing a pod's strings with every sample was most of an ingest's write time.
 */
public enum BronzeTable implements LakeTable {
    CONTAINER_CPU_USAGE("container_cpu_usage", Set.of("container_cpu_usage_seconds_total"),
            List.of(named("namespace", namespace()), named("pod", pod()), named("container", container()), named("node", node()))),
    CONTAINER_MEMORY("container_memory_working_set", Set.of("container_memory_working_set_bytes"),
            List.of(named("namespace", namespace()), named("pod", pod()), named("container", container()), named("node", node()))),
    CONTAINER_RESOURCE("container_resource",
            Set.of("kube_pod_container_resource_requests", "kube_pod_container_resource_limits"),
            List.of(named("namespace", namespace()), named("pod", pod()), named("container", container()), named("node", node()),
                    named("kind", (metric, labels) -> metric.endsWith("_limits") ? "limits" : "requests"),
                    named("resource", first("resource")), named("unit", first("unit")))),
    POD_INFO("pod_info", Set.of("kube_pod_info"),
            List.of(named("namespace", namespace()), named("pod", pod()), named("node", node()),
                    named("created_by_kind", first("created_by_kind")), named("created_by_name", first("created_by_name")))),
    OBJECT_LABELS("object_labels", Set.of("kube_pod_labels", "kube_namespace_labels", "kube_node_labels"),
            List.of(named("object_kind", (metric, labels) -> metric.substring("kube_".length(), metric.length() - "_labels".length())),
                    named("namespace", (metric, labels) -> metric.equals("kube_node_labels")
                            ? null : Labels.first(labels, "exported_namespace", "namespace")),
                    named("name", (metric, labels) -> switch (metric) {
                        case "kube_pod_labels" -> Labels.first(labels, "exported_pod", "pod");
                        case "kube_node_labels" -> Labels.node(labels);
                        default -> Labels.first(labels, "exported_namespace", "namespace");
                    }),
                    new NamedColumn("labels",
                            DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType), BronzeTable::objectLabels))),
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
            List.of(named("metric", (metric, labels) -> metric),
                    named("node", first("Hostname", "node", "exported_node", "kubernetes_io_hostname")),
                    named("gpu", first("gpu")), named("uuid", first("UUID", "uuid")), named("model", first("modelName")),
                    named("namespace", namespace()), named("pod", pod()), named("container", container()),
                    named("mig_profile", first("GPU_I_PROFILE")), named("mig_id", first("GPU_I_ID")))),
    OPENCOST_PRICE("opencost_price",
            Set.of("node_total_hourly_cost", "node_cpu_hourly_cost", "node_ram_hourly_cost", "node_gpu_hourly_cost",
                    "pv_hourly_cost"),
            List.of(named("metric", (metric, labels) -> metric), named("node", node()),
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

    @Override
    public String location() {
        return "bronze/samples/" + tableName;
    }

    /**
     * The typed rows: the stored samples joined with their series' columns (a broadcast hash join on the
     * series id; the join on cluster and day too lets a reader's partition filter reach the series table).
     * A table whose rows were written typed, whole (a fixture, a tool), is read as it is.
     */
    @Override
    public Dataset<Row> rows(Lake lake, Dataset<Row> stored) {
        if (!bySeries(stored)) {
            return stored;
        }
        List<Column> typed = new ArrayList<>(List.of(col("cluster"), col("day"), col("ts")));
        for (NamedColumn column : columns) {
            typed.add(col(column.name()));
        }
        typed.add(col("value"));
        return stored.join(broadcast(seriesOf(lake)),
                        CollectionConverters.asScala(List.of("cluster", "day", BronzeSeriesTable.SERIES)).toList())
                .select(typed.toArray(Column[]::new));
    }

    /**
     * The samples by series id and each series' columns once, or empty when the table has never been written. A
     * table written typed, whole, is split here: a series is a distinct set of the table's columns in a cluster.
     */
    public Optional<SeriesSamples> readBySeries(Lake lake) {
        return lake.readStored(this).map(stored -> {
            Column[] sampleColumns = {col("cluster"), col("day"), col(BronzeSeriesTable.SERIES), col("ts"), col("value")};
            if (bySeries(stored)) {
                return new SeriesSamples(stored.select(sampleColumns), seriesOf(lake));
            }
            List<Column> identity = new ArrayList<>(List.of(col("cluster")));
            List<Column> seriesColumns = new ArrayList<>(List.of(col("cluster"), col("day"), col(BronzeSeriesTable.SERIES)));
            for (NamedColumn column : columns) {
                // xxhash64 takes no map; a map's JSON is its identity as well.
                identity.add(column.type() instanceof MapType ? to_json(col(column.name())) : col(column.name()));
                seriesColumns.add(col(column.name()));
            }
            Dataset<Row> identified = stored.withColumn(BronzeSeriesTable.SERIES,
                    xxhash64(identity.toArray(Column[]::new)));
            return new SeriesSamples(identified.select(sampleColumns),
                    identified.select(seriesColumns.toArray(Column[]::new)).distinct());
        });
    }

    /** This table's rows of the series table: (cluster, day, series, the table's columns). */
    private Dataset<Row> seriesOf(Lake lake) {
        Dataset<Row> series = lake.readAll(BronzeSeriesTable.INSTANCE).orElseThrow(() -> new IllegalStateException(
                        "bronze table " + tableName + " has samples but the lake at " + lake.root() + " has no series"))
                .where(col(BronzeSeriesTable.TABLE).equalTo(tableName));
        List<Column> seriesColumns = new ArrayList<>(List.of(col("cluster"), col("day"), col(BronzeSeriesTable.SERIES)));
        for (NamedColumn column : columns) {
            seriesColumns.add(col(column.name()));
        }
        return series.select(seriesColumns.toArray(Column[]::new));
    }

    /**
     * The last sample of each series of each (cluster, day), as typed rows, or empty when the table has never
     * been written. For readers that want the values a series last had (a pod's node and owner from
     * kube_pod_info, an object's labels): one row per series instead of one per sample, found by a hash
     * aggregation on the series id before any of its strings are read.
     */
    public Optional<Dataset<Row>> readLatest(Lake lake) {
        return lake.readStored(this).map(stored -> {
            if (!bySeries(stored)) {
                return stored;
            }
            Dataset<Row> last = stored.groupBy(col("cluster"), col("day"), col(BronzeSeriesTable.SERIES))
                    .agg(max(col("ts")).as("ts"), max_by(col("value"), col("ts")).as("value"));
            return rows(lake, last);
        });
    }

    /** Whether rows are stored by series id (as ingest writes them), not typed whole. */
    private static boolean bySeries(Dataset<Row> stored) {
        return List.of(stored.columns()).contains(BronzeSeriesTable.SERIES);
    }

    /**
     * None: bronze is read a (cluster, day) partition at a time, and min/max of every string column of every
     * sample was a quarter of the time an ingest spent writing the tables (10,000-pod day: 135 s to 104 s).
     */
    @Override
    public boolean columnStatistics() {
        return false;
    }

    public Set<String> metrics() {
        return metrics;
    }

    /** The table's own columns, read from a series' metric name and labels. */
    List<NamedColumn> columns() {
        return columns;
    }

    /** Every column name of any table with its type, in a stable order: the staging layout of an ingest. */
    static Map<String, DataType> allColumns() {
        Map<String, DataType> all = new LinkedHashMap<>();
        for (BronzeTable table : values()) {
            for (NamedColumn column : table.columns) {
                DataType earlier = all.putIfAbsent(column.name(), column.type());
                if (earlier != null && !earlier.equals(column.type())) {
                    throw new IllegalStateException("bronze column " + column.name() + " has two types");
                }
            }
        }
        return all;
    }

    /** A column of a bronze table: its name, type and how it is read from a series. */
    record NamedColumn(String name, DataType type, Labels.SeriesColumn resolve) {}

    private static NamedColumn named(String name, Labels.SeriesColumn resolve) {
        return new NamedColumn(name, DataTypes.StringType, resolve);
    }

    /** The object's own labels ({@code label_*}), as kube-state-metrics exports them; other labels are the scrape's. */
    private static Map<String, String> objectLabels(String metric, Map<String, String> labels) {
        Map<String, String> own = new java.util.TreeMap<>();
        labels.forEach((key, value) -> {
            if (key.startsWith("label_")) {
                own.put(key, value);
            }
        });
        return own;
    }
}
