package io.costlake.costmodel.pricing;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.regexp_extract;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.costlake.costmodel.JoinKeys;
import io.costlake.costmodel.LatestValues;
import io.costlake.ingest.bronze.SeriesSamples;
import io.costlake.ingest.pricing.PriceBook;

/**
 * Per node and day: capacity, capacity type (spot or on-demand), hourly price and the unit rates it splits
 * into (DESIGN §4).
 *
 * <p>Where the price comes from, first match wins ({@code price_source}):
 * <ol>
 *   <li>{@code opencost}: OpenCost runs beside and exports the node's own prices, which know its discounts,
 *       spot market and custom pricing. With {@code node_cpu_hourly_cost} (per core) and
 *       {@code node_ram_hourly_cost} (per GiB), and {@code node_gpu_hourly_cost} (per GPU) on a GPU node,
 *       those are the rates as OpenCost split them; else {@code node_total_hourly_cost} is the price P.</li>
 *   <li>{@code price_book_spot}: a spot node whose instance type has a {@code spotHourly} price.</li>
 *   <li>{@code price_book}: the instance type's {@code hourly} price (also for a spot node of a type without
 *       a spot price: its {@code capacity_type} says spot, its source says it was priced on-demand).</li>
 *   <li>{@code default_rates}: the default unit rates.</li>
 * </ol>
 * A known price P is split as follows: the GPU part is {@code gpus × gpuHour(model)}, capped at P, and the
 * rest is split between CPU and RAM in proportion to their default-rate values. Without a price the default
 * rates apply and P follows from them. Averages over the day are taken of the OpenCost metrics. Physical
 * GPUs are the {@code nvidia.com/gpu.count} node label when present (time-slicing and MIG advertise slices,
 * not GPUs), else the {@code nvidia_com_gpu} capacity, else the MIG slices' total in sevenths.
 */
public final class NodeRates {
    public static final double GIB = 1024.0 * 1024.0 * 1024.0;
    /** A100 / H100 MIG: a GPU has seven compute slices; {@code 3g.40gb} is 3/7 of it. */
    public static final double MIG_SLICES_PER_GPU = 7.0;

    private final SparkSession spark;
    private final PriceBook prices;

    public NodeRates(SparkSession spark, PriceBook prices) {
        this.spark = requireNonNull(spark, "spark is null");
        this.prices = requireNonNull(prices, "prices is null");
    }

    /**
     * Columns: cluster, day, node, instance_type, gpu_model, cpu_cores, ram_gib, gpus, gpu_replicas,
     * hourly_price, price_source, cpu_rate, ram_rate, gpu_rate, capacity_type.
     *
     * @param capacity bronze node_capacity samples by series
     * @param nodeLabels bronze object_labels rows of kind node
     * @param gpuSamples bronze gpu rows, only read for the GPU model: a series' last sample will do
     * @param openCostPrices bronze opencost_price rows
     */
    public Dataset<Row> rates(SeriesSamples capacity, Dataset<Row> nodeLabels, Dataset<Row> gpuSamples,
            Dataset<Row> openCostPrices) {
        Dataset<Row> series = capacitySeries(capacity.series());
        Dataset<Row> caps = capacities(capacity.samples(), series);
        // MIG capacity is one value per profile per sample: the day's total is the sum over profiles of
        // one sample, so divide the summed slices by the number of samples.
        Dataset<Row> migPerSample = capacity.samples()
                .join(broadcast(series.where(Capacity.MIG.is())), JoinKeys.of("cluster", "day", "series"))
                .groupBy("cluster", "day", "node").agg(count_distinct(col("ts")).as("mig_samples"));
        Dataset<Row> labels = LatestValues.per("cluster", "node")
                .value("instance_type", col("labels").getItem("label_node_kubernetes_io_instance_type"))
                .value("label_gpu_count", col("labels").getItem("label_nvidia_com_gpu_count"))
                .value("label_gpu_product", col("labels").getItem("label_nvidia_com_gpu_product"))
                .value("capacity_type", CapacityType.of(col("labels")))
                .of(nodeLabels)
                .withColumn("label_gpu_count", col("label_gpu_count").cast("double"));
        Dataset<Row> models = gpuSamples.where(col("model").isNotNull())
                .groupBy("cluster", "node").agg(first(col("model"), true).as("dcgm_model"));
        Dataset<Row> openCost = openCostPrices.where(col("node").isNotNull())
                .groupBy("cluster", "node").agg(
                        avg(when(col("metric").equalTo("node_total_hourly_cost"), col("value")))
                                .as("opencost_hourly"),
                        avg(when(col("metric").equalTo("node_cpu_hourly_cost"), col("value"))).as("opencost_cpu_rate"),
                        avg(when(col("metric").equalTo("node_ram_hourly_cost"), col("value"))).as("opencost_ram_rate"),
                        avg(when(col("metric").equalTo("node_gpu_hourly_cost"), col("value"))).as("opencost_gpu_rate"));

        Dataset<Row> nodes = caps
                .join(migPerSample, JoinKeys.of("cluster", "day", "node"), "left")
                .join(labels, JoinKeys.of("cluster", "node"), "left")
                .join(models, JoinKeys.of("cluster", "node"), "left")
                .join(openCost, JoinKeys.of("cluster", "node"), "left")
                .withColumn("gpus", coalesce(
                        when(col("label_gpu_count").gt(0), col("label_gpu_count")),
                        col("gpu_capacity"),
                        col("mig_slices").divide(col("mig_samples")).divide(MIG_SLICES_PER_GPU),
                        lit(0.0)))
                .withColumn("gpu_replicas", when(col("gpus").gt(0).and(col("gpu_shared_capacity").isNotNull()),
                        greatest(lit(1.0), col("gpu_shared_capacity").divide(col("gpus")))).otherwise(lit(1.0)))
                .withColumn("gpu_model", coalesce(col("dcgm_model"), col("label_gpu_product")))
                .withColumn("cpu_cores", coalesce(col("cpu_cores"), lit(0.0)))
                .withColumn("ram_gib", coalesce(col("ram_gib"), lit(0.0)))
                .withColumn("capacity_type", coalesce(col("capacity_type"), lit(CapacityType.ON_DEMAND)));

        PriceBook.DefaultRates defaults = prices.defaults();
        Dataset<Row> priced = nodes
                .join(broadcast(priceTable(prices.instanceTypeHourly(), "instance_type", "book_hourly")),
                        JoinKeys.of("instance_type"), "left")
                .join(broadcast(priceTable(prices.gpuModelHourly(), "gpu_model", "model_gpu_hourly")),
                        JoinKeys.of("gpu_model"), "left")
                .join(broadcast(priceTable(prices.instanceTypeSpotHourly(), "instance_type", "book_spot_hourly")),
                        JoinKeys.of("instance_type"), "left")
                .withColumn("gpu_hour", coalesce(col("model_gpu_hourly"), lit(defaults.gpuHour())))
                .withColumn("opencost_rates", col("opencost_cpu_rate").isNotNull()
                        .and(col("opencost_ram_rate").isNotNull())
                        .and(col("opencost_gpu_rate").isNotNull().or(col("gpus").equalTo(0))))
                .withColumn("spot_hourly", when(col("capacity_type").equalTo(CapacityType.SPOT),
                        col("book_spot_hourly")))
                .withColumn("known_price", when(col("opencost_rates"), lit(null).cast("double"))
                        .otherwise(coalesce(col("opencost_hourly"), col("spot_hourly"), col("book_hourly"))))
                .withColumn("price_source", when(col("opencost_rates").or(col("opencost_hourly").isNotNull()),
                                lit("opencost"))
                        .when(col("spot_hourly").isNotNull(), lit("price_book_spot"))
                        .when(col("book_hourly").isNotNull(), lit("price_book"))
                        .otherwise(lit("default_rates")));

        Column cpuWeight = col("cpu_cores").multiply(defaults.cpuCoreHour());
        Column ramWeight = col("ram_gib").multiply(defaults.ramGiBHour());
        Column gpuPart = least(col("gpus").multiply(col("gpu_hour")), col("known_price"));
        Column rest = col("known_price").minus(col("gpu_part"));
        Column cpuRamWeight = cpuWeight.plus(ramWeight);
        return priced
                .withColumn("gpu_part", gpuPart)
                .withColumn("cpu_rate", when(col("opencost_rates"), col("opencost_cpu_rate"))
                        .when(col("known_price").isNull(), lit(defaults.cpuCoreHour()))
                        .when(col("cpu_cores").gt(0).and(cpuRamWeight.gt(0)),
                                rest.multiply(cpuWeight).divide(cpuRamWeight).divide(col("cpu_cores")))
                        .otherwise(lit(0.0)))
                .withColumn("ram_rate", when(col("opencost_rates"), col("opencost_ram_rate"))
                        .when(col("known_price").isNull(), lit(defaults.ramGiBHour()))
                        .when(col("ram_gib").gt(0).and(cpuRamWeight.gt(0)),
                                rest.multiply(ramWeight).divide(cpuRamWeight).divide(col("ram_gib")))
                        .otherwise(lit(0.0)))
                .withColumn("gpu_rate", when(col("opencost_rates"), coalesce(col("opencost_gpu_rate"), lit(0.0)))
                        .when(col("known_price").isNull(), col("gpu_hour"))
                        .when(col("gpus").gt(0), col("gpu_part").divide(col("gpus")))
                        .otherwise(lit(0.0)))
                .withColumn("hourly_price", col("cpu_cores").multiply(col("cpu_rate"))
                        .plus(col("ram_gib").multiply(col("ram_rate")))
                        .plus(col("gpus").multiply(col("gpu_rate"))))
                .select("cluster", "day", "node", "instance_type", "gpu_model", "cpu_cores", "ram_gib", "gpus",
                        "gpu_replicas", "hourly_price", "price_source", "cpu_rate", "ram_rate", "gpu_rate",
                        "capacity_type");
    }

    /**
     * Per (cluster, day, node) of the samples, given their {@link #capacitySeries}: cpu_cores, ram_gib,
     * gpu_capacity, gpu_shared_capacity (the largest sample of each) and mig_slices (the MIG profiles' samples times
     * their slices, summed). Each series' samples are
     * reduced to their maximum and sum first, grouped by the series, and what a series measures is
     * worked out once per series: a day of a 750-node cluster has 2.7 million capacity samples of a few thousand
     * series, and naming each sample's resource (string comparisons and a regular expression per sample) was most
     * of reading them.
     */
    private static Dataset<Row> capacities(Dataset<Row> samples, Dataset<Row> series) {
        Dataset<Row> perSeries = samples.groupBy("cluster", "day", "series")
                .agg(max("value").as("max_value"), sum("value").as("sum_value"));
        return perSeries.join(broadcast(series), JoinKeys.of("cluster", "day", "series"))
                .groupBy("cluster", "day", "node").agg(
                        max(Capacity.CPU.value("max_value")).as("cpu_cores"),
                        max(Capacity.MEMORY.value("max_value")).divide(GIB).as("ram_gib"),
                        max(Capacity.GPU.value("max_value")).as("gpu_capacity"),
                        max(Capacity.GPU_SHARED.value("max_value")).as("gpu_shared_capacity"),
                        sum(Capacity.MIG.value("sum_value").multiply(col("mig_profile_slices"))).as("mig_slices"));
    }

    /** Each capacity series' node, the {@link Capacity} it measures (null: another resource) and MIG slices. */
    private static Dataset<Row> capacitySeries(Dataset<Row> series) {
        Column resource = col("resource");
        Column migSlices = migSlices(resource);
        return series.select(col("cluster"), col("day"), col("series"), col("node"),
                when(resource.equalTo("cpu"), Capacity.CPU.code())
                        .when(resource.equalTo("memory"), Capacity.MEMORY.code())
                        .when(resource.equalTo("nvidia_com_gpu"), Capacity.GPU.code())
                        .when(resource.equalTo("nvidia_com_gpu_shared"), Capacity.GPU_SHARED.code())
                        .when(migSlices.isNotNull(), Capacity.MIG.code())
                        .as("capacity"),
                migSlices.as("mig_profile_slices"));
    }

    /**
     * The compute slices of a MIG profile's resource name ({@code nvidia_com_mig_3g_40gb}: 3.0), null for any
     * other resource. Capacities and requests name MIG profiles alike.
     */
    public static Column migSlices(Column resource) {
        Column slices = regexp_extract(resource, "^nvidia_com_mig_([0-9]+)g", 1);
        return when(slices.notEqual(""), slices.cast("double"));
    }

    /** What a node capacity series measures, as its code (the ordinal) in {@link #capacitySeries}' rows. */
    private enum Capacity {
        CPU, MEMORY, GPU, GPU_SHARED, MIG;

        Column code() {
            return lit(ordinal());
        }

        Column is() {
            return col("capacity").equalTo(ordinal());
        }

        /** The column's value on rows of series of this capacity, else null (which the aggregates skip). */
        Column value(String column) {
            return when(is(), col(column));
        }
    }

    private Dataset<Row> priceTable(Map<String, Double> entries, String keyColumn, String priceColumn) {
        StructType schema = new StructType()
                .add(keyColumn, DataTypes.StringType, false)
                .add(priceColumn, DataTypes.DoubleType, false);
        List<Row> rows = entries.entrySet().stream()
                .map(entry -> RowFactory.create(entry.getKey(), entry.getValue()))
                .toList();
        return spark.createDataFrame(rows, schema);
    }

}
