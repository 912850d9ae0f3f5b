package io.costlake.ingest.bronze;

import static java.util.Objects.requireNonNull;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * One staged Parquet file of loaded samples of one table and cluster ({@link LoadedSampleFiles}). Samples are
 * written column value by column value, with no row object per sample.
 *
 * <p>The files become the bronze table's files as they are ({@link io.costlake.ingest.lake.Lake#replaceWithFiles}),
 * so they keep Parquet's dictionaries: without them a day's bronze was 2.5 times larger and the attribution that
 * reads it 10 % slower, for 3 % of the ingest's time saved.
 */
final class LoadedSampleWriter implements Closeable {
    private static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.INT64).named(LoadedSampleFiles.SERIES)
            .required(PrimitiveTypeName.INT64)
            .as(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MILLIS))
            .named(LoadedSampleFiles.TS)
            .required(PrimitiveTypeName.DOUBLE).named(LoadedSampleFiles.VALUE)
            .named("loaded_sample");
    /**
     * Rows buffered before a row group is flushed: a task keeps one file open per table it meets, and an unsplit
     * (gzip) input gives one task a whole day, so Parquet's 128 MB default could hold gigabytes in the heap.
     */
    private static final int ROW_GROUP_BYTES = 32 << 20;

    private final String path;
    private final BronzeTable table;
    private final String cluster;
    private final ParquetWriter<LoadedSampleWriter> writer;
    private long series;
    private long timestampMillis;
    private double value;
    private long count;

    LoadedSampleWriter(String path, BronzeTable table, String cluster, Configuration conf) {
        this.path = requireNonNull(path, "path is null");
        this.table = requireNonNull(table, "table is null");
        this.cluster = requireNonNull(cluster, "cluster is null");
        try {
            this.writer = new Builder(HadoopOutputFile.fromPath(new Path(path), conf)).withConf(conf)
                    .withCompressionCodec(CompressionCodecName.SNAPPY).withDictionaryEncoding(true)
                    .withRowGroupSize(ROW_GROUP_BYTES).withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage loaded samples at " + path, e);
        }
    }

    void add(long series, long timestampMillis, double value) {
        this.series = series;
        this.timestampMillis = timestampMillis;
        this.value = value;
        try {
            writer.write(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage loaded samples at " + path, e);
        }
        count++;
    }

    String path() {
        return path;
    }

    BronzeTable table() {
        return table;
    }

    String cluster() {
        return cluster;
    }

    long count() {
        return count;
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage loaded samples at " + path, e);
        }
    }

    private static final class Builder extends ParquetWriter.Builder<LoadedSampleWriter, Builder> {
        Builder(OutputFile file) {
            super(file);
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<LoadedSampleWriter> getWriteSupport(Configuration conf) {
            return new SampleWriteSupport();
        }
    }

    /** Writes the writer's current sample: the writer is its own record, so no object is made per sample. */
    private static final class SampleWriteSupport extends WriteSupport<LoadedSampleWriter> {
        private RecordConsumer consumer;

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(SCHEMA, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(LoadedSampleWriter sample) {
            consumer.startMessage();
            consumer.startField(LoadedSampleFiles.SERIES, 0);
            consumer.addLong(sample.series);
            consumer.endField(LoadedSampleFiles.SERIES, 0);
            consumer.startField(LoadedSampleFiles.TS, 1);
            consumer.addLong(sample.timestampMillis);
            consumer.endField(LoadedSampleFiles.TS, 1);
            consumer.startField(LoadedSampleFiles.VALUE, 2);
            consumer.addDouble(sample.value);
            consumer.endField(LoadedSampleFiles.VALUE, 2);
            consumer.endMessage();
        }
    }
}
