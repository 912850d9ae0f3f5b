package io.costlake.ingest.longformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LongFormatFieldsTest {
    private static final long MARCH_1_2026 = 1_772_323_200_000L; // 2026-03-01T00:00:00Z in epoch ms

    @Test
    void labelsAreTheExpositionLabelSetWithOrWithoutBracesOrAJsonObject() throws Exception {
        Map<String, String> expected = Map.of("namespace", "shop", "pod", "web-1");

        assertThat(LongFormatFields.labels("namespace=\"shop\",pod=\"web-1\"")).isEqualTo(expected);
        assertThat(LongFormatFields.labels("{namespace=\"shop\",pod=\"web-1\"}")).isEqualTo(expected);
        assertThat(LongFormatFields.labels(" {namespace=\"shop\",pod=\"web-1\",} ")).isEqualTo(expected);
        assertThat(LongFormatFields.labels("{\"namespace\": \"shop\", \"pod\": \"web-1\"}")).isEqualTo(expected);
        assertThat(LongFormatFields.labels("")).isEmpty();
        assertThat(LongFormatFields.labels("{}")).isEmpty();
    }

    @Test
    void labelValuesUseTheExpositionEscapes() throws Exception {
        assertThat(LongFormatFields.labels("a=\"x,y\",b=\"say \\\"hi\\\"\",c=\"back\\\\slash\\nnext\""))
                .isEqualTo(Map.of("a", "x,y", "b", "say \"hi\"", "c", "back\\slash\nnext"));
    }

    @Test
    void brokenLabelsSayWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> LongFormatFields.labels("namespace=\"shop\" pod=\"web\""))
                .hasMessage("expected , or } after label namespace at column 17");
        assertThatThrownBy(() -> LongFormatFields.labels("namespace=shop"))
                .hasMessage("expected =\" after label namespace at column 10");
        assertThatThrownBy(() -> LongFormatFields.labels("a=\"x\"}")).hasMessage("unexpected } at column 6");
        assertThatThrownBy(() -> LongFormatFields.labels("{a=\"x\"} b")).hasMessage(
                "unexpected text after the label set at column 9");
        assertThatThrownBy(() -> LongFormatFields.labels("{a=\"x\",")).hasMessage("unterminated label set");
        assertThatThrownBy(() -> LongFormatFields.labels("a=\"x\",a=\"y\"")).hasMessage("duplicate label a");
        assertThatThrownBy(() -> LongFormatFields.labels("{\"a\": 1}")).hasMessage(
                "value of label a is not a JSON string");
        assertThatThrownBy(() -> LongFormatFields.labels("{\"a-b\": \"x\"}")).hasMessage(
                "invalid label name: 'a-b'");
        assertThatThrownBy(() -> LongFormatFields.labels("{\"a\": \"x\", \"a\": \"y\"}"))
                .hasMessageStartingWith("labels are not valid JSON: Duplicate field 'a'");
        assertThatThrownBy(() -> LongFormatFields.labels("{\"a\": \"x\"")).hasMessageStartingWith(
                "labels are not valid JSON: ");
    }

    @Test
    void timestampsAreEpochSecondsMillisecondsOrIsoInstants() throws Exception {
        assertThat(LongFormatFields.timestampMillis("1772323200")).isEqualTo(MARCH_1_2026);
        assertThat(LongFormatFields.timestampMillis("1772323200.25")).isEqualTo(MARCH_1_2026 + 250);
        // Above 1e11 a number is milliseconds, as in the OpenMetrics reader.
        assertThat(LongFormatFields.timestampMillis("1772323200250")).isEqualTo(MARCH_1_2026 + 250);
        assertThat(LongFormatFields.timestampMillis("2026-03-01T00:00:00Z")).isEqualTo(MARCH_1_2026);
        assertThat(LongFormatFields.timestampMillis("2026-03-01T00:00:00.250Z")).isEqualTo(MARCH_1_2026 + 250);
        assertThat(LongFormatFields.timestampMillis("2026-03-01 01:00:00+01:00")).isEqualTo(MARCH_1_2026);
    }

    @Test
    void timestampsThatNameNoInstantAreRejected() {
        assertThatThrownBy(() -> LongFormatFields.timestampMillis("2026-03-01T00:00:00")).hasMessage(
                "timestamp is not an ISO-8601 instant with a zone offset (such as 2026-03-01T00:00:00Z): "
                        + "'2026-03-01T00:00:00'");
        assertThatThrownBy(() -> LongFormatFields.timestampMillis("noon")).hasMessage(
                "timestamp is neither epoch seconds, epoch milliseconds nor an ISO-8601 instant: 'noon'");
        assertThatThrownBy(() -> LongFormatFields.timestampMillis("Infinity")).hasMessage(
                "timestamp is not finite: 'Infinity'");
        assertThatThrownBy(() -> LongFormatFields.timestampMillis(" ")).hasMessage("timestamp is empty");
    }

    @Test
    void metricAndValueFollowTheExpositionFormat() throws Exception {
        assertThat(LongFormatFields.metric("node_total_hourly_cost")).isEqualTo("node_total_hourly_cost");
        assertThat(LongFormatFields.value("NaN")).isNaN();
        assertThat(LongFormatFields.value(" 2.5e3 ")).isEqualTo(2500.0);
        assertThatThrownBy(() -> LongFormatFields.metric("")).hasMessage("metric is empty");
        assertThatThrownBy(() -> LongFormatFields.metric("cpu usage")).hasMessage("invalid metric name: 'cpu usage'");
        assertThatThrownBy(() -> LongFormatFields.value("")).hasMessage("value is empty");
        assertThatThrownBy(() -> LongFormatFields.value("12 cores")).hasMessage("value is not a number: '12 cores'");
    }
}
