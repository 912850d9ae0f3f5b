package io.costlake.ingest.openmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OpenMetricsLineParserTest {
    private final OpenMetricsLineParser parser = new OpenMetricsLineParser();

    @Test
    void parsesNameLabelsValueAndTimestampInSeconds() throws Exception {
        MetricSample sample = parser.parse(
                "container_cpu_usage_seconds_total{namespace=\"shop\",pod=\"web-1\",container=\"app\"} 12.5 1700000000")
                .orElseThrow();

        assertThat(sample.metric()).isEqualTo("container_cpu_usage_seconds_total");
        assertThat(sample.labels()).isEqualTo(Map.of("namespace", "shop", "pod", "web-1", "container", "app"));
        assertThat(sample.value()).isEqualTo(12.5);
        assertThat(sample.timestampMillis()).isEqualTo(1_700_000_000_000L);
    }

    @Test
    void readsPrometheusTextMillisecondTimestampsAndFractionalSeconds() throws Exception {
        assertThat(parser.parse("up 1 1700000000123").orElseThrow().timestampMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(parser.parse("up 1 1700000000.25").orElseThrow().timestampMillis()).isEqualTo(1_700_000_000_250L);
    }

    @Test
    void unescapesLabelValuesAndKeepsCommasInsideThem() throws Exception {
        MetricSample sample = parser.parse("m{a=\"x,y\",b=\"say \\\"hi\\\"\",c=\"back\\\\slash\\nnext\"} 1 1").orElseThrow();

        assertThat(sample.labels()).containsEntry("a", "x,y").containsEntry("b", "say \"hi\"")
                .containsEntry("c", "back\\slash\nnext");
    }

    @Test
    void skipsCommentsMetadataAndBlankLines() throws Exception {
        assertThat(parser.parse("# TYPE up gauge")).isEmpty();
        assertThat(parser.parse("# EOF")).isEmpty();
        assertThat(parser.parse("")).isEmpty();
    }

    @Test
    void acceptsSpecialFloatValuesAndIgnoresExemplars() throws Exception {
        assertThat(parser.parse("m NaN 1").orElseThrow().value()).isNaN();
        assertThat(parser.parse("m +Inf 1").orElseThrow().value()).isInfinite();
        assertThat(parser.parse("m 3 1 # {trace_id=\"abc\"} 1.0").orElseThrow().value()).isEqualTo(3);
    }

    @Test
    void rejectsBrokenLinesWithAPreciseReason() {
        assertThatThrownBy(() -> parser.parse("m{a=\"x\" 1 1")).hasMessage("expected , or } after label a at column 8");
        assertThatThrownBy(() -> parser.parse("m{a=\"x} 1 1")).hasMessage("unterminated value of label a");
        assertThatThrownBy(() -> parser.parse("m 12abc 1")).hasMessage("value is not a number: '12abc'");
        assertThatThrownBy(() -> parser.parse("m 1")).hasMessage("sample has no timestamp");
        assertThatThrownBy(() -> parser.parse("m 1 noon")).hasMessage("timestamp is not a number: 'noon'");
        assertThatThrownBy(() -> parser.parse("9m 1 1")).hasMessage("invalid metric name at column 1");
        assertThatThrownBy(() -> parser.parse("m{a=\"1\",a=\"2\"} 1 1")).hasMessage("duplicate label a");
    }

    @Test
    void readsAPlainValueAndTimestampFromBytesAsTheTextParserDoes() throws Exception {
        // Each line's value and timestamp after the series "m": the same doubles as Double.parseDouble's.
        for (String line : new String[] {"m 1 1767312000", "m 0.1 1767312000123", "m 1.5e3 1767312000.5",
                "m -0.000123456789012345678 1700000000", "m 123456789012345678901 1", "m 4.9e-324 1",
                "m NaN 1", "m +Inf 1", "m -Inf 1", "m 1.5d 1", "m  3   4  ", "m 3 1 # {trace_id=\"abc\"} 1.0"}) {
            OpenMetricsLineParser.SampleValue text = parser.parseValue(line, 1);

            OpenMetricsLineParser.SampleValue plain = plainValue(line);

            assertThat(plain).as(line).isNotNull();
            assertThat(Double.doubleToRawLongBits(plain.value())).as(line)
                    .isEqualTo(Double.doubleToRawLongBits(text.value()));
            assertThat(plain.timestampMillis()).as(line).isEqualTo(text.timestampMillis());
        }
    }

    @Test
    void leavesEveryLineThatIsNotPlainToTheTextParser() {
        // Null is no verdict: the reader then parses the line as text, which accepts it or says what is wrong.
        for (String line : new String[] {"m 1", "m 1 ", "m x 1", "m 12abc 1", "m 1 noon", "m 1 NaN", "m 1 2 3",
                "m 1 # 2", "m", "m1 2"}) {
            assertThat(plainValue(line)).as(line).isNull();
        }
        assertThatThrownBy(() -> parser.parseValue("m 1 2 3", 1))
                .hasMessage("unexpected text after the timestamp at column 7");
    }

    /** The fast path on a line's bytes, after its one-byte series. */
    private static OpenMetricsLineParser.SampleValue plainValue(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return OpenMetricsLineParser.plainValue(bytes, 1, bytes.length);
    }
}
