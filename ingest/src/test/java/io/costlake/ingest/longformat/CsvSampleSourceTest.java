package io.costlake.ingest.longformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.costlake.ingest.openmetrics.MetricsInputException;
import io.costlake.ingest.openmetrics.ParsedSamples;
import io.costlake.ingest.testing.TestSpark;
import scala.jdk.javaapi.CollectionConverters;

class CsvSampleSourceTest {
    private static final Timestamp MARCH_1_2026 = Timestamp.from(Instant.parse("2026-03-01T00:00:00Z"));

    @TempDir
    Path dir;

    private final CsvSampleSource source = new CsvSampleSource(TestSpark.session());

    @Test
    void findsTheColumnsByHeaderNameInAnyOrderIgnoringOthersAndReadsGzip() throws IOException {
        Path file = gzip(dir.resolve("samples.csv.gz"), """
                Value,note,TIMESTAMP,labels,metric
                2,"a note, with a comma",1772323200,"namespace=""shop"",pod=""web""\",kube_pod_info
                """);

        List<Row> rows = source.read(List.of(file.toString())).collectAsList();

        assertThat(rows).hasSize(1);
        Row row = rows.get(0);
        assertThat(row.<String>getAs(ParsedSamples.SOURCE)).endsWith("samples.csv.gz");
        assertThat(row.<Long>getAs(ParsedSamples.LINE)).isEqualTo(2L);
        assertThat(row.<String>getAs(ParsedSamples.METRIC)).isEqualTo("kube_pod_info");
        assertThat(CollectionConverters.asJava(row.<scala.collection.Map<String, String>>getAs(ParsedSamples.LABELS)))
                .isEqualTo(Map.of("namespace", "shop", "pod", "web"));
        assertThat(row.<Timestamp>getAs(ParsedSamples.TS)).isEqualTo(MARCH_1_2026);
        assertThat(row.<Double>getAs(ParsedSamples.VALUE)).isEqualTo(2.0);
        assertThat(row.<String>getAs(ParsedSamples.ERROR)).isNull();
    }

    /** Each line that is no sample, with the reason it gets; its line number is its place in the file. */
    private static final List<List<String>> BAD_RECORDS = List.of(
            List.of("up,\"a=\"\"x\"\"\",1772323200", "expected 4 fields as in the header, found 3"),
            List.of("up,,1772323200,1,2", "expected 4 fields as in the header, found 5"),
            List.of("up,\"a=\"\"x\"\"\",1772323200,\"1", "malformed CSV: a quoted field is not closed on its line"),
            List.of("up,\"a\"x,1772323200,1", "malformed CSV: text between a closing quote and the next comma"),
            List.of(",,1772323200,1", "metric is empty"),
            List.of("9up,,1772323200,1", "invalid metric name: '9up'"),
            List.of("up,a=x,1772323200,1", "expected =\" after label a at column 2"),
            List.of("up,\"{\"\"a\"\": 1}\",1772323200,1", "value of label a is not a JSON string"),
            List.of("up,,noon,1", "timestamp is neither epoch seconds, epoch milliseconds nor an ISO-8601 instant: "
                    + "'noon'"),
            List.of("up,,2026-03-01T00:00:00,1", "timestamp is not an ISO-8601 instant with a zone offset (such as "
                    + "2026-03-01T00:00:00Z): '2026-03-01T00:00:00'"),
            List.of("up,,,1", "timestamp is empty"),
            List.of("up,,1772323200,", "value is empty"),
            List.of("up,,1772323200,many", "value is not a number: 'many'"));

    @Test
    void recordsThatAreNoSamplesKeepTheirLineNumberReasonAndText() throws IOException {
        // Line 1 is the header, line 2 blank (skipped, but counted), line 3 a good sample; then one bad record
        // per line from line 4 on, and a last good sample after them.
        List<String> lines = new ArrayList<>(List.of("metric,labels,timestamp,value", "", "up,,1772323200,1"));
        BAD_RECORDS.forEach(record -> lines.add(record.get(0)));
        lines.add("up,{},2026-03-01T00:00:00Z,1");
        Path file = Files.writeString(dir.resolve("bad.csv"), String.join("\r\n", lines) + "\r\n");

        List<Row> rows = source.read(List.of(file.toString())).orderBy(ParsedSamples.LINE).collectAsList();

        assertThat(rows).hasSize(BAD_RECORDS.size() + 2);
        assertThat(rows.get(0).<Long>getAs(ParsedSamples.LINE)).isEqualTo(3L);
        assertThat(rows.get(0).<String>getAs(ParsedSamples.ERROR)).isNull();
        for (int i = 0; i < BAD_RECORDS.size(); i++) {
            Row row = rows.get(i + 1);
            assertThat(row.<Long>getAs(ParsedSamples.LINE)).isEqualTo(i + 4L);
            assertThat(row.<String>getAs(ParsedSamples.ERROR)).as("line %d", i + 4).isEqualTo(BAD_RECORDS.get(i).get(1));
            assertThat(row.<String>getAs(ParsedSamples.RAW)).isEqualTo(BAD_RECORDS.get(i).get(0));
            assertThat(row.<String>getAs(ParsedSamples.METRIC)).isNull();
        }
        Row last = rows.get(rows.size() - 1);
        assertThat(last.<Long>getAs(ParsedSamples.LINE)).isEqualTo(BAD_RECORDS.size() + 4L);
        assertThat(last.<Timestamp>getAs(ParsedSamples.TS)).isEqualTo(MARCH_1_2026);
    }

    @Test
    void aHeaderWithoutTheFourColumnsFailsNamingTheFileAndTheColumn() throws IOException {
        Path file = Files.writeString(dir.resolve("wrong.csv"), "metric,labels,time,value\nup,,1772323200,1\n");
        Path empty = Files.writeString(dir.resolve("empty.csv"), "");

        assertThatThrownBy(() -> source.read(List.of(file.toString())))
                .isInstanceOf(MetricsInputException.class)
                .hasMessageEndingWith("wrong.csv: the CSV header has no column 'timestamp' "
                        + "(expected metric,labels,timestamp,value, found metric,labels,time,value)");
        assertThatThrownBy(() -> source.read(List.of(empty.toString())))
                .isInstanceOf(MetricsInputException.class)
                .hasMessageEndingWith("empty.csv: empty CSV file, expected a header row metric,labels,timestamp,value");
    }

    private static Path gzip(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
