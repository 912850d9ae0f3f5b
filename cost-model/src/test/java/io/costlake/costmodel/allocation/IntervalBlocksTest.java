package io.costlake.costmodel.allocation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Date;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import io.costlake.ingest.testing.TestSpark;

/** Blocks of intervals must give the allocation exactly the (interval, value) rows the samples would have. */
class IntervalBlocksTest {
    private static final int STEP = 60;
    private static final Date DAY = Date.valueOf("2026-01-01");
    /** 2026-01-01T00:00:00Z, the first second of interval 460,215 × 64 at 60 s: a block starts here. */
    private static final long DAY_START = 1_767_225_600L;
    private static final StructType SAMPLES = new StructType().add("day", DataTypes.DateType)
            .add("series", DataTypes.LongType).add("ts", DataTypes.TimestampType).add("value", DataTypes.DoubleType);
    private static final StructType SERIES = new StructType().add("day", DataTypes.DateType)
            .add("series", DataTypes.LongType).add("node_index", DataTypes.IntegerType)
            .add("container_id", DataTypes.LongType).add("measure", DataTypes.IntegerType)
            .add("weight", DataTypes.DoubleType);

    private final SparkSession spark = TestSpark.session();

    @Test
    void expandsToEveryIntervalAndValueOfTheSamplesAcrossGapsChangesAndDuplicates() {
        // Series 7 requests 0.5 cores in intervals 0-69 of the day, except: no sample in interval 10 (a lost
        // scrape), 1.0 cores in interval 65 (a resize), and a second sample of 0.5 in interval 3 (30 s later).
        // Intervals 0-63 are the first block, 64-69 the second. Its weight is 2 (as a MIG slice's is 3/7).
        // Series 8 is not in the series given (a limit): its samples are left out.
        List<Row> samples = new ArrayList<>();
        List<Row> expected = new ArrayList<>();
        for (int interval = 0; interval < 70; interval++) {
            if (interval == 10) {
                continue;
            }
            double cores = interval == 65 ? 1.0 : 0.5;
            samples.add(sample(7L, DAY_START + interval * STEP, cores));
            samples.add(sample(8L, DAY_START + interval * STEP, 4.0));
            expected.add(RowFactory.create(DAY, 3, DAY_START + interval * STEP, 42L, 2, cores * 2));
        }
        samples.add(sample(7L, DAY_START + 3 * STEP + 30, 0.5));
        Dataset<Row> series = spark.createDataFrame(List.of(RowFactory.create(DAY, 7L, 3, 42L, 2, 2.0)), SERIES);

        Dataset<Row> blocks = IntervalBlocks.of(spark.createDataFrame(samples, SAMPLES), series, STEP, col("measure"),
                col("value"), col("weight"));

        // Block 1 at 0.5, block 2 at 0.5 and at 1.0: three rows for 70 samples.
        assertThat(blocks.count()).isEqualTo(3);
        assertThat(IntervalBlocks.expand(blocks, STEP).orderBy("bucket").collectAsList())
                .containsExactlyElementsOf(expected);
    }

    @Test
    void leavesRowsOfOneSampleAsTheyAre() {
        Dataset<Row> oneSample = spark.createDataFrame(List.of(RowFactory.create(DAY, 3, DAY_START + 600, 42L, 0,
                1.25)), new StructType().add("day", DataTypes.DateType).add("node_index", DataTypes.IntegerType)
                .add("bucket", DataTypes.LongType).add("container_id", DataTypes.LongType)
                .add("measure", DataTypes.IntegerType).add("value", DataTypes.DoubleType))
                .withColumn(IntervalBlocks.INTERVALS, lit(null).cast("long"));

        assertThat(IntervalBlocks.expand(oneSample, STEP).collectAsList())
                .containsExactly(RowFactory.create(DAY, 3, DAY_START + 600, 42L, 0, 1.25));
    }

    private static Row sample(long series, long epochSecond, double value) {
        return RowFactory.create(DAY, series, new Timestamp(epochSecond * 1000), value);
    }
}
