package io.costlake.costmodel.idlegpu;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.costlake.costmodel.GoldTable;
import io.costlake.ingest.bronze.BronzeTable;
import io.costlake.ingest.lake.Lake;

/**
 * Builds one day of bronze dcgm-exporter rows (as ingest writes them), GPU requests, pod owners and the
 * gold node GPU rates, minute by minute, so each test states its GPUs in a few lines. Times are minutes
 * of the day, ranges half-open [from, to).
 */
final class GpuDayFixture {
    static final String GR = "DCGM_FI_PROF_GR_ENGINE_ACTIVE";
    static final String UTIL = "DCGM_FI_DEV_GPU_UTIL";
    static final String FB = "DCGM_FI_DEV_FB_USED";
    private static final int MINUTES = 1440;

    private final String cluster;
    private final LocalDate day;
    private final List<Gpu> gpus = new ArrayList<>();
    private final List<Row> resources = new ArrayList<>();
    private final List<Row> podInfo = new ArrayList<>();
    private final List<Row> rates = new ArrayList<>();

    GpuDayFixture(String cluster, LocalDate day) {
        this.cluster = cluster;
        this.day = day;
    }

    /** A whole GPU that reports DCGM_FI_DEV_GPU_UTIL. */
    Gpu gpu(String node, String uuid, String model) {
        Gpu gpu = new Gpu(node, uuid, model, null, null, UTIL, true);
        gpus.add(gpu);
        return gpu;
    }

    /** A GPU whose exporter has no pod mapping: its samples never carry pod labels. */
    Gpu unmappedGpu(String node, String uuid, String model) {
        Gpu gpu = new Gpu(node, uuid, model, null, null, UTIL, false);
        gpus.add(gpu);
        return gpu;
    }

    /** A MIG instance: only DCGM_FI_PROF_GR_ENGINE_ACTIVE (0–1), labelled GPU_I_PROFILE / GPU_I_ID. */
    Gpu mig(String node, String uuid, String model, String profile, String id) {
        Gpu gpu = new Gpu(node, uuid, model, profile, id, GR, true);
        gpus.add(gpu);
        return gpu;
    }

    GpuDayFixture rate(String node, String model, double gpuRate) {
        rates.add(RowFactory.create(cluster, Date.valueOf(day), node, model, gpuRate));
        return this;
    }

    /** kube_pod_container_resource_requests{resource="nvidia_com_gpu"} of a pod, every minute of [from, to). */
    GpuDayFixture gpuRequest(String node, String namespace, String pod, int gpus, int from, int to) {
        for (int m = from; m < to; m++) {
            resources.add(RowFactory.create(cluster, Date.valueOf(day), ts(m), namespace, pod, "app", node, "requests",
                    "nvidia_com_gpu", "integer", (double) gpus));
        }
        return this;
    }

    GpuDayFixture owner(String node, String namespace, String pod, String kind, String name) {
        podInfo.add(RowFactory.create(cluster, Date.valueOf(day), ts(0), namespace, pod, node, kind, name, 1.0));
        return this;
    }

    void write(Lake lake) {
        SparkSession spark = lake.spark();
        List<Row> rows = new ArrayList<>();
        for (Gpu gpu : gpus) {
            gpu.rows(rows);
        }
        Set<String> clusters = Set.of(cluster);
        lake.replace(BronzeTable.GPU, clusters, day, spark.createDataFrame(rows, gpuSchema()));
        lake.replace(BronzeTable.CONTAINER_RESOURCE, clusters, day, spark.createDataFrame(resources, resourceSchema()));
        lake.replace(BronzeTable.POD_INFO, clusters, day, spark.createDataFrame(podInfo, podInfoSchema()));
        lake.replace(GoldTable.NODE_DAY, clusters, day, spark.createDataFrame(rates, new StructType()
                .add("cluster", DataTypes.StringType).add("day", DataTypes.DateType).add("node", DataTypes.StringType)
                .add("gpu_model", DataTypes.StringType).add("gpu_rate", DataTypes.DoubleType)));
    }

    private Timestamp ts(int minute) {
        return Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).plusMinutes(minute).toInstant());
    }

    /** One GPU or MIG instance: who holds it and what it reports, minute by minute. */
    final class Gpu {
        private final String node;
        private final String uuid;
        private final String model;
        private final String migProfile;
        private final String migId;
        private final String utilMetric;
        private final boolean podLabels;
        private final double[] util = new double[MINUTES];
        private final double[] engine = new double[MINUTES];
        private final boolean[] missing = new boolean[MINUTES];
        private final List<Holder> holders = new ArrayList<>();
        private double memoryMib = 1000;

        private Gpu(String node, String uuid, String model, String migProfile, String migId, String utilMetric,
                boolean podLabels) {
            this.node = node;
            this.uuid = uuid;
            this.model = model;
            this.migProfile = migProfile;
            this.migId = migId;
            this.utilMetric = utilMetric;
            this.podLabels = podLabels;
            Arrays.fill(engine, Double.NaN);
        }

        /** The pod holds the GPU during [from, to); two overlapping holders are a time-sliced GPU. */
        Gpu heldBy(String namespace, String pod, int from, int to) {
            holders.add(new Holder(namespace, pod, from, to));
            return this;
        }

        /** Utilisation in percent during [from, to) (a MIG instance reports it as engine activity / 100). */
        Gpu util(double percent, int from, int to) {
            Arrays.fill(util, from, to, percent);
            return this;
        }

        /** Also report DCGM_FI_PROF_GR_ENGINE_ACTIVE (0–1) during [from, to). */
        Gpu engineActive(double fraction, int from, int to) {
            Arrays.fill(engine, from, to, fraction);
            return this;
        }

        /** No scrape at all during [from, to). */
        Gpu missing(int from, int to) {
            Arrays.fill(missing, from, to, true);
            return this;
        }

        Gpu missingEvery(int nth, int from, int to) {
            for (int m = from; m < to; m++) {
                if (m % nth == 0) {
                    missing[m] = true;
                }
            }
            return this;
        }

        Gpu memory(double mib) {
            memoryMib = mib;
            return this;
        }

        private void rows(List<Row> out) {
            for (int m = 0; m < MINUTES; m++) {
                if (missing[m]) {
                    continue;
                }
                List<Holder> now = new ArrayList<>();
                for (Holder holder : holders) {
                    if (holder.from() <= m && m < holder.to()) {
                        now.add(holder);
                    }
                }
                if (now.isEmpty() || !podLabels) {
                    now = new ArrayList<>();
                    now.add(null);
                }
                for (Holder holder : now) {
                    String namespace = holder == null ? null : holder.namespace();
                    String pod = holder == null ? null : holder.pod();
                    double value = GR.equals(utilMetric) ? util[m] / 100 : util[m];
                    out.add(row(m, utilMetric, namespace, pod, value));
                    if (!Double.isNaN(engine[m])) {
                        out.add(row(m, GR, namespace, pod, engine[m]));
                    }
                    out.add(row(m, FB, namespace, pod, memoryMib));
                }
            }
        }

        private Row row(int minute, String metric, String namespace, String pod, double value) {
            return RowFactory.create(cluster, Date.valueOf(day), ts(minute), metric, node, "0", uuid, model, namespace,
                    pod, pod == null ? null : "app", migProfile, migId, value);
        }
    }

    private record Holder(String namespace, String pod, int from, int to) {}

    private static StructType gpuSchema() {
        return new StructType().add("cluster", DataTypes.StringType).add("day", DataTypes.DateType)
                .add("ts", DataTypes.TimestampType).add("metric", DataTypes.StringType)
                .add("node", DataTypes.StringType).add("gpu", DataTypes.StringType).add("uuid", DataTypes.StringType)
                .add("model", DataTypes.StringType).add("namespace", DataTypes.StringType)
                .add("pod", DataTypes.StringType).add("container", DataTypes.StringType)
                .add("mig_profile", DataTypes.StringType).add("mig_id", DataTypes.StringType)
                .add("value", DataTypes.DoubleType);
    }

    private static StructType resourceSchema() {
        return new StructType().add("cluster", DataTypes.StringType).add("day", DataTypes.DateType)
                .add("ts", DataTypes.TimestampType).add("namespace", DataTypes.StringType)
                .add("pod", DataTypes.StringType).add("container", DataTypes.StringType)
                .add("node", DataTypes.StringType).add("kind", DataTypes.StringType)
                .add("resource", DataTypes.StringType).add("unit", DataTypes.StringType)
                .add("value", DataTypes.DoubleType);
    }

    private static StructType podInfoSchema() {
        return new StructType().add("cluster", DataTypes.StringType).add("day", DataTypes.DateType)
                .add("ts", DataTypes.TimestampType).add("namespace", DataTypes.StringType)
                .add("pod", DataTypes.StringType).add("node", DataTypes.StringType)
                .add("created_by_kind", DataTypes.StringType).add("created_by_name", DataTypes.StringType)
                .add("value", DataTypes.DoubleType);
    }
}
