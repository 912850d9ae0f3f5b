package io.costlake.ingest.openmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
