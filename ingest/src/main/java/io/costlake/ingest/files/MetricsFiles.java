package io.costlake.ingest.files;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import io.costlake.ingest.longformat.CsvSampleSource;
import io.costlake.ingest.longformat.ParquetSampleSource;
import io.costlake.ingest.openmetrics.MetricsInputException;
import io.costlake.ingest.openmetrics.OpenMetricsFileSource;
import io.costlake.ingest.openmetrics.ParsedSamples;
import io.costlake.ingest.openmetrics.SampleRows;

/**
 * The metrics input of a day ({@code run --metrics FILE|DIR}) as one {@link ParsedSamples} dataset. A directory
 * is one input and may mix formats, told apart by extension: {@code .csv} and {@code .csv.gz} are long-format
 * CSV, {@code .parquet} (a file, or a directory of part files as Spark writes them) long-format Parquet, and
 * the OpenMetrics extensions ({@code .om .prom .txt .openmetrics}, plain or {@code .gz}) OpenMetrics text;
 * other names, hidden files and files named with another ISO date than the day are skipped. A single file
 * given by name is read as OpenMetrics unless its extension says CSV or Parquet.
 */
public final class MetricsFiles {
    private static final Pattern ISO_DATE = Pattern.compile("(\\d{4}-\\d{2}-\\d{2})");

    /** How a file's samples are written. */
    public enum Format {
        OPENMETRICS(".om", ".prom", ".txt", ".openmetrics", ".om.gz", ".prom.gz", ".txt.gz", ".openmetrics.gz"),
        CSV(".csv", ".csv.gz"),
        PARQUET(".parquet");

        private final List<String> extensions;

        Format(String... extensions) {
            this.extensions = List.of(extensions);
        }

        /** The format a file name's extension names, if any. */
        public static Optional<Format> ofName(String name) {
            for (Format format : values()) {
                if (format.extensions.stream().anyMatch(name::endsWith)) {
                    return Optional.of(format);
                }
            }
            return Optional.empty();
        }
    }

    /** One file (or Parquet directory) of the input and its format. */
    public record MetricsFile(String path, Format format) {
        public MetricsFile {
            requireNonNull(path, "path is null");
            requireNonNull(format, "format is null");
        }
    }

    private final SparkSession spark;

    public MetricsFiles(SparkSession spark) {
        this.spark = requireNonNull(spark, "spark is null");
    }

    /** The files an input path stands for on the given day, in name order; fails when the path does not exist. */
    public List<MetricsFile> files(String input, LocalDate day) {
        requireNonNull(input, "input is null");
        requireNonNull(day, "day is null");
        Path path = new Path(input);
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (!fs.exists(path)) {
                throw new MetricsInputException("metrics input not found: " + input);
            }
            FileStatus status = fs.getFileStatus(path);
            String qualified = fs.makeQualified(path).toString();
            if (status.isFile() || path.getName().endsWith(".parquet")) {
                return List.of(new MetricsFile(qualified, Format.ofName(path.getName()).orElse(Format.OPENMETRICS)));
            }
            List<MetricsFile> files = new ArrayList<>();
            for (FileStatus entry : fs.listStatus(path)) {
                String name = entry.getPath().getName();
                Optional<Format> format = Format.ofName(name);
                boolean readable = entry.isFile() || format.equals(Optional.of(Format.PARQUET));
                if (readable && format.isPresent() && !name.startsWith(".") && !name.startsWith("_")
                        && datedOn(name).map(day::equals).orElse(true)) {
                    files.add(new MetricsFile(entry.getPath().toString(), format.get()));
                }
            }
            files.sort(Comparator.comparing(MetricsFile::path));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list metrics input " + input, e);
        }
    }

    /**
     * All samples of the files, each format by its own reader. Nothing is read yet, but a CSV header or a Parquet
     * schema that cannot be used fails here, before any work is done.
     */
    public Dataset<Row> read(List<MetricsFile> files) {
        requireNonNull(files, "files is null");
        return union(List.of(
                ofFormat(files, Format.OPENMETRICS, new OpenMetricsFileSource(spark)::read),
                ofFormat(files, Format.CSV, new CsvSampleSource(spark)::read),
                ofFormat(files, Format.PARQUET, new ParquetSampleSource(spark)::read)));
    }

    /**
     * All samples of the files as {@code rows} makes them: OpenMetrics text read straight into them (each series
     * parsed once per split), CSV and Parquet through their parsed samples.
     */
    public <S> Dataset<Row> read(List<MetricsFile> files, SampleRows<S> rows) {
        requireNonNull(files, "files is null");
        requireNonNull(rows, "rows is null");
        List<MetricsFile> openMetrics = files.stream().filter(file -> file.format() == Format.OPENMETRICS).toList();
        List<MetricsFile> others = files.stream().filter(file -> file.format() != Format.OPENMETRICS).toList();
        List<Optional<Dataset<Row>>> sources = List.of(
                openMetrics.isEmpty() ? Optional.empty() : Optional.of(new OpenMetricsFileSource(spark)
                        .read(openMetrics.stream().map(MetricsFile::path).toList(), rows)),
                others.isEmpty() ? Optional.empty() : Optional.of(rows.fromParsed(read(others))));
        return sources.stream().flatMap(Optional::stream).reduce(Dataset::union)
                .orElseGet(() -> spark.createDataFrame(List.of(), rows.schema()));
    }

    private static Optional<Dataset<Row>> ofFormat(List<MetricsFile> files, Format format,
            Function<List<String>, Dataset<Row>> reader) {
        List<String> paths = files.stream().filter(file -> file.format() == format).map(MetricsFile::path).toList();
        return paths.isEmpty() ? Optional.empty() : Optional.of(reader.apply(paths));
    }

    private Dataset<Row> union(List<Optional<Dataset<Row>>> sources) {
        return sources.stream().flatMap(Optional::stream).reduce(Dataset::union)
                .orElseGet(() -> spark.createDataFrame(List.of(), ParsedSamples.SCHEMA));
    }

    /** The ISO date a file name carries ({@code 2026-03-01.om}), if any. */
    private static Optional<LocalDate> datedOn(String fileName) {
        Matcher matcher = ISO_DATE.matcher(fileName);
        if (!matcher.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(matcher.group(1)));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
