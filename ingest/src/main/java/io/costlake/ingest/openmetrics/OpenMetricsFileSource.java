package io.costlake.ingest.openmetrics;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

import io.costlake.ingest.spark.InternalRowFrames;
import io.costlake.ingest.spark.TextSplitFormat;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Reads OpenMetrics / Prometheus text files with timestamps (plain or gzip) as {@link ParsedSamples}.
 *
 * <p>Files are streamed in splits ({@link TextSplitFormat}: Hadoop's lines and splits, line ends found a word at a
 * time), so a file of many GB is never held in memory and is parsed by all cores. Which files make an input is
 * {@link io.costlake.ingest.files.MetricsFiles}' business.
 */
public final class OpenMetricsFileSource {
    private static final long MIN_SPLIT_BYTES = 256L << 20;
    /** Enough splits per core that the last ones to finish leave the other cores idle only briefly. */
    private static final int SPLITS_PER_CORE = 8;
    private static final int CACHED_SERIES_BYTES = 1024;
    private static final int MIN_CACHED_SERIES = 50_000;

    private final SparkSession spark;

    public OpenMetricsFileSource(SparkSession spark) {
        this.spark = requireNonNull(spark, "spark is null");
    }

    public Dataset<Row> read(List<String> files) {
        requireNonNull(files, "files is null");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        JavaRDD<Row> rows = null;
        for (String file : files) {
            JavaRDD<Row> fileRows = jsc.newAPIHadoopFile(file, TextSplitFormat.class, LongWritable.class, Text.class, conf)
                    .map(record -> record._2().toString())
                    .zipWithIndex()
                    .mapPartitions(lines -> parse(file, lines));
            rows = rows == null ? fileRows : rows.union(fileRows);
        }
        if (rows == null) {
            return spark.createDataFrame(List.of(), ParsedSamples.SCHEMA);
        }
        return spark.createDataFrame(rows, ParsedSamples.SCHEMA);
    }

    /**
     * Reads the files in one pass into the rows {@code rows} makes. Each distinct series text of a split is
     * parsed and resolved once (a day's dump repeats every series once per sample, 1,440 times at 60 s), and
     * lines are numbered within their split, each split closing with its line count, instead of numbering
     * them globally with {@code zipWithIndex}, which reads the text twice.
     */
    public <S> Dataset<Row> read(List<String> files, SampleRows<S> rows) {
        requireNonNull(files, "files is null");
        requireNonNull(rows, "rows is null");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
        conf.setLong("mapreduce.input.fileinputformat.split.minsize", splitBytes(files, conf));
        JavaRDD<InternalRow> all = null;
        for (String file : files) {
            JavaRDD<InternalRow> fileRows = jsc.newAPIHadoopFile(file, TextSplitFormat.class, LongWritable.class,
                            Text.class, conf)
                    .mapPartitionsWithIndex((split, records) -> new SplitReader<>(file, split, records, rows), false);
            all = all == null ? fileRows : all.union(fileRows);
        }
        if (all == null) {
            return spark.createDataFrame(List.of(), rows.schema());
        }
        return InternalRowFrames.of(spark, all, rows.schema());
    }

    /**
     * Each split resolves every series it meets once (parses its labels, works out its columns, stages its row), so
     * fewer, larger splits mean fewer resolutions: a split is at least 256 MB, and larger when the input would
     * otherwise give each core more than {@value #SPLITS_PER_CORE} of them (a 14 GB day on 2 cores: 16 splits of
     * 870 MB instead of 52 of 256 MB, each resolving the day's ~50,000 series).
     */
    private long splitBytes(List<String> files, Configuration conf) {
        long total = 0;
        try {
            for (String file : files) {
                Path path = new Path(file);
                total += path.getFileSystem(conf).getFileStatus(path).getLen();
            }
        } catch (IOException e) {
            // The read reports a missing or unreadable file itself; the split size only tunes it.
            return MIN_SPLIT_BYTES;
        }
        long perSplit = total / ((long) spark.sparkContext().defaultParallelism() * SPLITS_PER_CORE);
        return Math.max(MIN_SPLIT_BYTES, perSplit);
    }

    /**
     * How many series a split caches before it starts over (for inputs with endless distinct series). A dump
     * repeats every series of the cluster once per scrape, so a cache smaller than a scrape is emptied in every
     * scrape and every line then takes the slow path: a fixed 200,000 made a 50,000-pod day (254,000 series)
     * about 5x slower per sample than a 10,000-pod one, and staged each series row again in every scrape. So
     * the bound follows the heap: a quarter of it for the caches of as many splits as there are cores, at
     * {@value #CACHED_SERIES_BYTES} bytes a series (a synthetic cluster's series take 1,062 bytes each, key,
     * resolution and map entry; real ones with more labels take more), and never below
     * {@value #MIN_CACHED_SERIES}. A 4 GB heap on 2 cores caches 524,288 series per split.
     */
    static int maxCachedSeries(long maxHeapBytes, int cores) {
        if (maxHeapBytes <= 0 || cores <= 0) {
            throw new IllegalArgumentException("heap and cores must be positive, got " + maxHeapBytes + ", " + cores);
        }
        long budget = maxHeapBytes / 4 / cores / CACHED_SERIES_BYTES;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_CACHED_SERIES, budget));
    }

    /** The rows of one split: its samples and bad lines in order, then its line count. */
    private static final class SplitReader<S> extends RowBuffer {
        /** See {@link #maxCachedSeries}. */
        private static final int MAX_CACHED_SERIES = maxCachedSeries(Runtime.getRuntime().maxMemory(),
                Runtime.getRuntime().availableProcessors());

        private final String file;
        private final int split;
        private final Iterator<Tuple2<LongWritable, Text>> records;
        private final SampleRows<S> rows;
        private final SampleSink<S> samples;
        private final OpenMetricsLineParser parser = new OpenMetricsLineParser();
        private final SeriesCache<S> series = new SeriesCache<>();
        private long lineNumber;
        private boolean counted;

        SplitReader(String file, int split, Iterator<Tuple2<LongWritable, Text>> records, SampleRows<S> rows) {
            this.file = file;
            this.split = split;
            this.records = records;
            this.rows = rows;
            this.samples = rows.sink();
        }

        @Override
        protected boolean fill() {
            if (records.hasNext()) {
                lineNumber++;
                read(records.next()._2());
                return true;
            }
            if (!counted) {
                counted = true;
                emit(rows.lineCount(file, split, lineNumber));
                samples.finish().forEach(this::emit);
                return true;
            }
            return false;
        }

        /**
         * A sample of a series met before is read from the line's bytes: only its value and timestamp are
         * decoded. A new series, or a line that does not parse, is decoded and read in full, so errors name
         * their column as a person counts it.
         */
        private void read(Text record) {
            byte[] bytes = record.getBytes();
            int length = record.getLength();
            int start = OpenMetricsLineParser.sampleStart(bytes, length);
            if (start < 0) {
                return;
            }
            int known = series.predicted(bytes, start, length);
            int end;
            if (known >= 0) {
                end = start + series.length(known);
            } else {
                end = OpenMetricsLineParser.seriesEnd(bytes, start, length);
                known = series.find(bytes, start, end);
            }
            S resolved = known < 0 ? null : series.resolved(known);
            if (resolved != null) {
                series.follow(known);
                // Null for anything but a plain value and timestamp: the whole line is read below, as text, which
                // accepts what the format allows and names the column of what it does not.
                OpenMetricsLineParser.SampleValue sample = OpenMetricsLineParser.plainValue(bytes, end, length);
                if (sample != null) {
                    emitSample(resolved, sample, record::toString);
                    return;
                }
            }
            String line = record.toString();
            try {
                int seriesEnd = start + new String(bytes, start, end - start, StandardCharsets.UTF_8).length();
                if (resolved == null) {
                    OpenMetricsLineParser.ParsedSeries parsed = parser.parseSeries(line, start);
                    if (parsed.end() != seriesEnd) {
                        // The quick scan and the parser disagree on where the series ends: the line is broken,
                        // and parsing its value from the parser's end position reports where.
                        parser.parseValue(line, parsed.end());
                        throw new MalformedLineException("malformed series at column " + (seriesEnd + 1));
                    }
                    resolved = rows.series(line.substring(start, seriesEnd), parsed.metric(), parsed.labels());
                    if (series.size() >= MAX_CACHED_SERIES) {
                        series.clear();
                    }
                    series.follow(series.add(bytes, start, end, resolved));
                    InternalRow seriesRow = rows.seriesRow(resolved);
                    if (seriesRow != null) {
                        emit(seriesRow);
                    }
                }
                OpenMetricsLineParser.SampleValue sample = parser.parseValue(line, seriesEnd);
                emitSample(resolved, sample, () -> line);
            } catch (MalformedLineException e) {
                emit(rows.malformed(file, split, lineNumber, e.getMessage(), line));
            }
        }

        private void emitSample(S series, OpenMetricsLineParser.SampleValue sample, Supplier<String> text) {
            InternalRow row = samples.sample(series, file, split, lineNumber, sample.timestampMillis(), sample.value(),
                    text);
            if (row != null) {
                emit(row);
            }
        }
    }

    private static Iterator<Row> parse(String file, Iterator<Tuple2<String, Long>> lines) {
        OpenMetricsLineParser parser = new OpenMetricsLineParser();
        return new Iterator<>() {
            private Row next;

            @Override
            public boolean hasNext() {
                while (next == null && lines.hasNext()) {
                    Tuple2<String, Long> numbered = lines.next();
                    next = toRow(parser, file, numbered._2() + 1, numbered._1());
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new java.util.NoSuchElementException();
                }
                Row row = next;
                next = null;
                return row;
            }
        };
    }

    private static Row toRow(OpenMetricsLineParser parser, String file, long lineNumber, String line) {
        try {
            Optional<MetricSample> parsed = parser.parse(line);
            if (parsed.isEmpty()) {
                return null;
            }
            MetricSample sample = parsed.get();
            return RowFactory.create(file, lineNumber, sample.metric(),
                    CollectionConverters.asScala(sample.labels()),
                    new Timestamp(sample.timestampMillis()), sample.value(), null, null);
        } catch (MalformedLineException e) {
            return RowFactory.create(file, lineNumber, null, null, null, null, e.getMessage(), line);
        }
    }
}
