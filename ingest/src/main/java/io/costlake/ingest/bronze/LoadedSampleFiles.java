package io.costlake.ingest.bronze;

import static java.util.Objects.requireNonNull;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Where an ingest's loaded samples are staged: Parquet files of (series, ts, value), one per task, table and
 * cluster, under {@code directory/<table>/}. A task writes them itself as it parses ({@link LoadedSampleWriter}),
 * instead of handing every sample to Spark's writer as a row: encoding each sample into a staging row of a dozen
 * mostly null columns, choosing its partition's writer and writing those columns was half the parse pass. The
 * files are then committed to the bronze tables as they are, not written a second time.
 *
 * <p>A file name is unique to its writer, so a retried or speculative task never overwrites another attempt's
 * file; a file counts only through the row that describes it, which the task's committed output holds.
 *
 * @param hadoop the driver's Hadoop settings (file system credentials and the like), for the tasks' writers
 */
record LoadedSampleFiles(String directory, Map<String, String> hadoop) implements Serializable {
    static final String SERIES = BronzeSeriesTable.SERIES;
    static final String TS = "ts";
    static final String VALUE = "value";
    /** The files as Spark reads them: the timestamps are annotated as milliseconds since the epoch, UTC. */
    static final StructType SCHEMA = new StructType().add(SERIES, DataTypes.LongType, false)
            .add(TS, DataTypes.TimestampType, false).add(VALUE, DataTypes.DoubleType, false);

    LoadedSampleFiles {
        requireNonNull(directory, "directory is null");
        hadoop = new HashMap<>(requireNonNull(hadoop, "hadoop is null"));
    }

    static LoadedSampleFiles under(String directory, Configuration conf) {
        Map<String, String> settings = new HashMap<>();
        conf.forEach(entry -> settings.put(entry.getKey(), entry.getValue()));
        return new LoadedSampleFiles(directory, settings);
    }

    /** A new file for samples of one table and cluster. */
    LoadedSampleWriter open(BronzeTable table, String cluster) {
        Configuration conf = new Configuration(false);
        hadoop.forEach(conf::set);
        return new LoadedSampleWriter(directory + "/" + table.tableName() + "/part-" + UUID.randomUUID() + ".parquet",
                table, cluster, conf);
    }
}
