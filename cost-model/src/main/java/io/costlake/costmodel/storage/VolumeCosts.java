package io.costlake.costmodel.storage;

import static java.util.Objects.requireNonNull;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import io.costlake.costmodel.CostModelConfig;
import io.costlake.costmodel.JoinKeys;
import io.costlake.costmodel.LatestValues;
import io.costlake.costmodel.pricing.NodeRates;
import io.costlake.ingest.pricing.PriceBook;

/**
 * Persistent volume cost per day (DESIGN §4): {@code GiB × storage rate / 730} per hour for every interval
 * the volume exists, charged to the namespace of the claim bound to it, else to {@code __unmounted__}. The
 * rate ({@code price_source}) is OpenCost's {@code pv_hourly_cost} of the volume ($ per GiB-hour, × 730)
 * when OpenCost runs beside ({@code opencost}), else the price of its storage class ({@code price_book}),
 * else the default ({@code default_rates}).
 */
public final class VolumeCosts {
    /** Hours in a month as cloud providers bill storage (8760 / 12). */
    public static final double HOURS_PER_MONTH = 730.0;

    private final SparkSession spark;
    private final PriceBook prices;
    private final CostModelConfig config;

    public VolumeCosts(SparkSession spark, PriceBook prices, CostModelConfig config) {
        this.spark = requireNonNull(spark, "spark is null");
        this.prices = requireNonNull(prices, "prices is null");
        this.config = requireNonNull(config, "config is null");
    }

    /**
     * Columns: cluster, day, persistentvolume, storageclass, namespace, persistentvolumeclaim, gib, hours,
     * gib_month_rate, storage_cost, price_source.
     *
     * @param openCostPrices bronze opencost_price rows (only {@code pv_hourly_cost} is used here)
     */
    public Dataset<Row> costs(Dataset<Row> pvCapacity, Dataset<Row> pvInfo, Dataset<Row> pvcInfo,
            Dataset<Row> openCostPrices) {
        int step = config.stepSeconds();
        double hours = config.sampleHours();
        Dataset<Row> perInterval = pvCapacity.where(col("persistentvolume").isNotNull())
                .withColumn("bucket", floor(col("ts").cast("long").divide(step)))
                .groupBy("cluster", "day", "persistentvolume", "bucket")
                .agg(avg("value").divide(NodeRates.GIB).as("gib"));
        Dataset<Row> volumes = perInterval.groupBy("cluster", "day", "persistentvolume")
                .agg(sum("gib").multiply(hours).as("gib_hours"), count(lit(1)).multiply(hours).as("hours"));
        Dataset<Row> classes = LatestValues.per("cluster", "persistentvolume")
                .value("pv_storageclass", col("storageclass"))
                .of(pvInfo.where(col("persistentvolume").isNotNull()));
        Dataset<Row> claims = LatestValues.per("cluster", "volumename")
                .value("claim_namespace", col("namespace"))
                .value("claim", col("persistentvolumeclaim"))
                .value("pvc_storageclass", col("storageclass"))
                .of(pvcInfo.where(col("volumename").isNotNull().and(col("volumename").notEqual(""))))
                .withColumnRenamed("volumename", "persistentvolume")
                .withColumnRenamed("claim", "persistentvolumeclaim");
        Dataset<Row> openCost = openCostPrices
                .where(col("metric").equalTo("pv_hourly_cost").and(col("persistentvolume").isNotNull()))
                .groupBy("cluster", "persistentvolume")
                .agg(avg("value").multiply(HOURS_PER_MONTH).as("opencost_gib_month"));
        return volumes
                .join(classes, JoinKeys.of("cluster", "persistentvolume"), "left")
                .join(openCost, JoinKeys.of("cluster", "persistentvolume"), "left")
                .join(claims, JoinKeys.of("cluster", "persistentvolume"), "left")
                .withColumn("storageclass", coalesce(col("pv_storageclass"), col("pvc_storageclass")))
                .join(broadcast(classPrices()), JoinKeys.of("storageclass"), "left")
                .withColumn("gib_month_rate", coalesce(col("opencost_gib_month"), col("class_gib_month"),
                        lit(prices.defaults().storageGiBMonth())))
                .withColumn("price_source", when(col("opencost_gib_month").isNotNull(), lit("opencost"))
                        .when(col("class_gib_month").isNotNull(), lit("price_book"))
                        .otherwise(lit("default_rates")))
                .withColumn("namespace", coalesce(col("claim_namespace"), lit(CostModelConfig.UNMOUNTED)))
                .withColumn("gib", col("gib_hours").divide(col("hours")))
                .withColumn("storage_cost", col("gib_hours").multiply(col("gib_month_rate")).divide(HOURS_PER_MONTH))
                .select("cluster", "day", "persistentvolume", "storageclass", "namespace", "persistentvolumeclaim",
                        "gib", "hours", "gib_month_rate", "storage_cost", "price_source");
    }

    private Dataset<Row> classPrices() {
        StructType schema = new StructType()
                .add("storageclass", DataTypes.StringType, false)
                .add("class_gib_month", DataTypes.DoubleType, false);
        List<Row> rows = prices.storageClassGiBMonth().entrySet().stream()
                .map((Map.Entry<String, Double> entry) -> RowFactory.create(entry.getKey(), entry.getValue()))
                .toList();
        return spark.createDataFrame(rows, schema);
    }
}
