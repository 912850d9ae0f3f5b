package io.costlake.ingest.testing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;
import static org.apache.spark.sql.functions.unix_millis;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.spark.sql.SparkSession;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.costlake.ingest.openmetrics.MalformedLineException;
import io.costlake.ingest.openmetrics.MetricSample;
import io.costlake.ingest.openmetrics.OpenMetricsFileSource;
import io.costlake.ingest.openmetrics.OpenMetricsLineParser;
import io.costlake.ingest.openmetrics.ParsedSamples;

/**
 * The samples of an OpenMetrics file written again as long-format CSV or Parquet, so a test can check that
 * every format lands in bronze the same. The CSV takes turns through every spelling the format allows (label
 * set with and without braces, JSON labels; epoch seconds, epoch milliseconds, ISO instants in UTC and with an
 * offset), with its columns in an unusual order and an extra one.
 */
public final class LongFormatFixture {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter WITH_OFFSET = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSXXX");

    private LongFormatFixture() {}

    /** Which lines of the OpenMetrics file to take: those whose 1-based number is {@code part} modulo {@code parts}. */
    public record Lines(int parts, int part) implements java.io.Serializable {
        public static final Lines ALL = new Lines(1, 0);

        boolean take(long number) {
            return number % parts == part;
        }
    }

    /** The samples on the chosen lines of {@code openMetrics} as CSV (gzip when the name ends with .gz). */
    public static Path csv(Path openMetrics, Path csv, Lines lines) {
        OpenMetricsLineParser parser = new OpenMetricsLineParser();
        try (OutputStream file = Files.newOutputStream(csv);
                OutputStream out = csv.toString().endsWith(".gz") ? new GZIPOutputStream(file) : file;
                Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                CSVPrinter printer = new CSVPrinter(writer, CSVFormat.RFC4180)) {
            printer.printRecord("value", "timestamp", "source", "labels", "metric");
            List<String> text = Files.readAllLines(openMetrics);
            for (int i = 0; i < text.size(); i++) {
                Optional<MetricSample> parsed = lines.take(i + 1) ? parser.parse(text.get(i)) : Optional.empty();
                if (parsed.isPresent()) {
                    MetricSample sample = parsed.get();
                    printer.printRecord(Double.toString(sample.value()), timestamp(sample.timestampMillis(), i),
                            "om line " + (i + 1), labels(sample.labels(), i), sample.metric());
                }
            }
            return csv;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MalformedLineException e) {
            throw new IllegalArgumentException(openMetrics + " has a malformed line: " + e.getMessage(), e);
        }
    }

    /**
     * The samples on the chosen lines of {@code openMetrics} as a Parquet directory
     * of part files: labels as a map and timestamps as TIMESTAMP, or (with {@code asText}) labels as a JSON
     * string and timestamps as epoch milliseconds.
     */
    public static Path parquet(SparkSession spark, Path openMetrics, Path parquet, Lines lines, boolean asText) {
        new OpenMetricsFileSource(spark).read(List.of(openMetrics.toString()))
                .where(col(ParsedSamples.METRIC).isNotNull()
                        .and(col(ParsedSamples.LINE).mod(lines.parts()).equalTo(lines.part())))
                .select(col(ParsedSamples.METRIC).as("metric"),
                        asText ? to_json(col(ParsedSamples.LABELS)).as("labels") : col(ParsedSamples.LABELS),
                        asText ? unix_millis(col(ParsedSamples.TS)).as("timestamp")
                                : col(ParsedSamples.TS).as("timestamp"),
                        col(ParsedSamples.VALUE).as("value"))
                .repartition(2)
                .write().parquet(parquet.toString());
        return parquet;
    }

    private static String timestamp(long millis, int turn) {
        Instant instant = Instant.ofEpochMilli(millis);
        return switch (turn % 4) {
            case 0 -> millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
            case 1 -> Long.toString(millis);
            case 2 -> instant.toString();
            default -> WITH_OFFSET.format(instant.atOffset(ZoneOffset.ofHours(2)));
        };
    }

    private static String labels(Map<String, String> labels, int turn) throws JsonProcessingException {
        Map<String, String> sorted = new TreeMap<>(labels);
        if (turn % 3 == 2) {
            return JSON.writeValueAsString(sorted);
        }
        StringBuilder text = new StringBuilder();
        sorted.forEach((name, value) -> text.append(text.isEmpty() ? "" : ",").append(name).append("=\"")
                .append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"'));
        return turn % 3 == 0 ? text.toString() : "{" + text + "}";
    }
}
