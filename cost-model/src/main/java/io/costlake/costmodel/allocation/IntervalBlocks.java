package io.costlake.costmodel.allocation;

import static org.apache.spark.sql.functions.bit_or;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.call_function;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode_outer;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

import io.costlake.costmodel.JoinKeys;

/**
 * Samples of series that keep one value for hours (a container's requests, a node's capacity) as one row per
 * series, value and block of {@value #BLOCK} consecutive sample intervals, with the intervals of the block in
 * which the series had that value as the bits of a long. The allocation shuffles these rows instead of a row
 * per sample, a few hundred thousand instead of 25 million a 10,000-pod day, and {@link #expand}s them after
 * the shuffle into the rows the samples would have given.
 *
 * <p>Exact for any input: a series whose value changes, samples lost in a gap, two samples in one interval, all
 * give the same set of (series, interval, value) as the samples do; only how many samples of a value fell into one
 * interval is lost, which the allocation's maxima and presence never read.
 */
final class IntervalBlocks {
    /** The column of the union's rows that holds a block's intervals; null on a row of one sample. */
    static final String INTERVALS = "intervals";
    /** Intervals per block: the bits of a long. */
    static final int BLOCK = 64;

    private IntervalBlocks() {
    }

    /**
     * A table's samples of the given series as blocks, in the union's row shape (see
     * {@code ContainerAllocation#perSample}), with the bucket of the block's first interval.
     *
     * @param value what of a sample is kept (grouped on before the series' columns are joined)
     * @param weight what the kept value is multiplied by once the series' columns are joined
     */
    static Dataset<Row> of(Dataset<Row> samples, Dataset<Row> series, int step, Column measure, Column value,
            Column weight) {
        // The interval a sample's own row would have had (its bucket), so a block's bits stand for those rows.
        Column interval = ContainerAllocation.interval(step);
        Column block = floor(interval.divide(BLOCK));
        // Grouped on the sample's own columns first: partial aggregation in each scan task leaves a row per
        // series, value and block there, so the shuffle between the two aggregation phases is small too.
        Dataset<Row> blocks = samples.join(broadcast(series.select("series")), JoinKeys.of("series"), "left_semi")
                .groupBy(col("day"), col("series"), value.as("value"), block.as("block"))
                .agg(bit_or(call_function("shiftleft", lit(1L), interval.minus(block.multiply(BLOCK)).cast("int")))
                        .as(INTERVALS));
        return blocks.join(broadcast(series.drop("day")), JoinKeys.of("series"))
                .select(col("day"), col("node_index"), col("block").multiply((long) BLOCK * step).as("bucket"),
                        col("container_id"), measure.as("measure"), col("value").multiply(weight).as("value"),
                        col(INTERVALS));
    }

    /**
     * The union's rows with every block replaced by a row per interval it holds (bucket, then, that interval's);
     * rows of one sample (null intervals) as they are. Partitioning is kept, so run after the shuffle.
     */
    static Dataset<Row> expand(Dataset<Row> rows, int step) {
        Column offsets = when(col(INTERVALS).isNotNull(), sequence(lit(0), lit(BLOCK - 1)));
        Column offset = col("interval_offset");
        Column held = call_function("shiftright", col(INTERVALS), offset).bitwiseAND(lit(1L)).equalTo(lit(1L));
        return rows.withColumn("interval_offset", explode_outer(offsets))
                .where(col(INTERVALS).isNull().or(held))
                .withColumn("bucket", when(offset.isNull(), col("bucket"))
                        .otherwise(col("bucket").plus(offset.cast("long").multiply(step))))
                .drop("interval_offset", INTERVALS);
    }
}
