package io.costlake.ingest.longformat;

import static java.util.Objects.requireNonNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.StreamSupport;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

import io.costlake.ingest.openmetrics.MalformedLineException;
import io.costlake.ingest.openmetrics.MetricsInputException;
import io.costlake.ingest.openmetrics.ParsedSamples;
import io.costlake.ingest.spark.TextSplitFormat;
import scala.Tuple2;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Reads long-format CSV sample files (RFC 4180, UTF-8, plain or gzip) as {@link ParsedSamples}: a header row
 * naming the columns {@code metric, labels, timestamp, value} in any order (other columns are ignored), then
 * one sample per line.
 *
 * <p>Streamed like the OpenMetrics reader: Hadoop's line reader in splits, so a file of many GB is never held
 * in memory and is parsed by all cores; {@code zipWithIndex} gives every record its exact physical line
 * number, and Commons CSV parses each line. A record is one line: a line break inside a quoted field is not
 * supported (labels write it as {@code \n}, as in the exposition format), and such a line is quarantined as
 * an unclosed quote rather than guessed at. The header is read once on the driver; a file without the four
 * columns cannot be read at all and fails the run with a {@link MetricsInputException}.
 */
public final class CsvSampleSource {
    private static final CSVFormat FORMAT = CSVFormat.RFC4180;

    private final SparkSession spark;

    public CsvSampleSource(SparkSession spark) {
        this.spark = requireNonNull(spark, "spark is null");
    }

    public Dataset<Row> read(List<String> files) {
        requireNonNull(files, "files is null");
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<JavaRDD<Row>> perFile = new ArrayList<>();
        for (String file : files) {
            Columns columns = Columns.fromHeader(file, headerLine(file, conf));
            perFile.add(jsc.newAPIHadoopFile(file, TextSplitFormat.class, LongWritable.class, Text.class, conf)
                    .map(record -> record._2().toString())
                    .zipWithIndex()
                    .mapPartitions(lines -> StreamSupport.stream(
                                    ((Iterable<Tuple2<String, Long>>) () -> lines).spliterator(), false)
                            .map(columns::toRow)
                            .filter(Objects::nonNull)
                            .iterator()));
        }
        if (perFile.isEmpty()) {
            return spark.createDataFrame(List.of(), ParsedSamples.SCHEMA);
        }
        return spark.createDataFrame(jsc.union(perFile.toArray(JavaRDD[]::new)), ParsedSamples.SCHEMA);
    }

    private static String headerLine(String file, Configuration conf) {
        Path path = new Path(file);
        try {
            FileSystem fs = path.getFileSystem(conf);
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
            try (InputStream raw = fs.open(path);
                    InputStream in = codec == null ? raw : codec.createInputStream(raw);
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line = reader.readLine();
                if (line == null) {
                    throw new MetricsInputException(file + ": empty CSV file, expected a header row "
                            + String.join(",", LongFormatFields.COLUMNS));
                }
                return line.startsWith("\uFEFF") ? line.substring(1) : line;
            }
        } catch (IOException e) {
            throw new MetricsInputException(file + ": cannot read the CSV header: " + e.getMessage(), e);
        }
    }

    /** Where the four columns are in one file's records; turns a numbered line into a parsed sample. */
    private record Columns(String file, int fields, int metric, int labels, int timestamp, int value)
            implements Serializable {

        static Columns fromHeader(String file, String header) {
            List<String> names;
            try {
                names = split(header).stream().map(name -> name.trim().toLowerCase(Locale.ROOT)).toList();
            } catch (MalformedLineException e) {
                throw new MetricsInputException(file + ": the CSV header is not valid: " + e.getMessage());
            }
            int[] positions = new int[LongFormatFields.COLUMNS.size()];
            for (int i = 0; i < positions.length; i++) {
                String column = LongFormatFields.COLUMNS.get(i);
                positions[i] = names.indexOf(column);
                if (positions[i] < 0) {
                    throw new MetricsInputException(file + ": the CSV header has no column '" + column
                            + "' (expected " + String.join(",", LongFormatFields.COLUMNS) + ", found "
                            + String.join(",", names) + ")");
                }
                if (names.lastIndexOf(column) != positions[i]) {
                    throw new MetricsInputException(file + ": the CSV header names column '" + column + "' twice");
                }
            }
            return new Columns(file, names.size(), positions[0], positions[1], positions[2], positions[3]);
        }

        /** The sample on a line (index 0 is the header), a rejected record, or null for the header and blank lines. */
        Row toRow(Tuple2<String, Long> numbered) {
            String line = numbered._1();
            if (numbered._2() == 0 || line.isBlank()) {
                return null;
            }
            long lineNumber = numbered._2() + 1;
            try {
                List<String> cells = split(line);
                if (cells.size() != fields) {
                    throw new MalformedLineException("expected " + fields + " fields as in the header, found "
                            + cells.size());
                }
                String name = LongFormatFields.metric(cells.get(metric));
                Map<String, String> labelSet = LongFormatFields.labels(cells.get(labels));
                long millis = LongFormatFields.timestampMillis(cells.get(timestamp));
                double number = LongFormatFields.value(cells.get(value));
                return RowFactory.create(file, lineNumber, name, CollectionConverters.asScala(labelSet),
                        new Timestamp(millis), number, null, null);
            } catch (MalformedLineException e) {
                return RowFactory.create(file, lineNumber, null, null, null, null, e.getMessage(), line);
            }
        }

        private static List<String> split(String line) throws MalformedLineException {
            try (CSVParser parser = CSVParser.parse(line, FORMAT)) {
                List<CSVRecord> records = parser.getRecords();
                if (records.size() != 1) {
                    throw new MalformedLineException("malformed CSV: expected one record on the line, found "
                            + records.size());
                }
                return records.get(0).toList();
            } catch (IOException | UncheckedIOException e) {
                throw new MalformedLineException(csvProblem(e));
            }
        }

        /** Commons CSV's message, without its line and position (always line 1 here: one line is parsed). */
        private static String csvProblem(Exception e) {
            String message = String.valueOf(e instanceof UncheckedIOException unchecked && unchecked.getCause() != null
                    ? unchecked.getCause().getMessage() : e.getMessage());
            if (message.contains("EOF reached before encapsulated token finished")) {
                return "malformed CSV: a quoted field is not closed on its line";
            }
            if (message.contains("Invalid character between encapsulated token and delimiter")) {
                return "malformed CSV: text between a closing quote and the next comma";
            }
            return "malformed CSV: " + message;
        }
    }
}
