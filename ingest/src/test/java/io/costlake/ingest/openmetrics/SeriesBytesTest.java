package io.costlake.ingest.openmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * A cached series recognises a line that starts with it and says where its series ends without the scan of
 * {@link OpenMetricsLineParser#seriesEnd}, and only where that scan would end at the same byte.
 */
class SeriesBytesTest {
    @Test
    void aLabelledSeriesEndsAtItsClosingBraceWhateverFollows() {
        SeriesBytes series = seriesOf("m{pod=\"a\"} 1 2");

        // "m{pod=\"a\"}" is 10 bytes; a line with more after the brace ends there too (its value then fails).
        assertEndsAsTheScanDoes(series, "m{pod=\"a\"} 3 4", 10);
        assertEndsAsTheScanDoes(series, "m{pod=\"a\"}x 3 4", 10);
    }

    @Test
    void aBraceInsideAQuotedValueIsPartOfTheSeries() {
        SeriesBytes series = seriesOf("m{path=\"/a}\\\"b\"} 1");

        // m{path="/a}\"b"} is 16 bytes: the first '}' and the escaped quote are inside the value.
        assertEndsAsTheScanDoes(series, "m{path=\"/a}\\\"b\"} 7", 16);
    }

    @Test
    void aSeriesWithoutLabelsEndsOnlyWhereASpaceOrTheLineFollowsItsName() {
        SeriesBytes series = seriesOf("up 1 2");

        assertEndsAsTheScanDoes(series, "up 0 3", 2);
        assertEndsAsTheScanDoes(series, "up", 2);
        // Same first bytes, other series: the scan reads on, so the cached one must not match.
        assertThat(series.startsLine(bytes("up{job=\"a\"} 1"), 0, 13)).isFalse();
        assertThat(series.startsLine(bytes("upper 1"), 0, 7)).isFalse();
    }

    @Test
    void aLineThatDoesNotStartWithTheSeriesIsNotItsSample() {
        SeriesBytes series = seriesOf("m{pod=\"a\"} 1");

        assertThat(series.startsLine(bytes("m{pod=\"b\"} 1"), 0, 12)).isFalse();
        assertThat(series.startsLine(bytes("m{pod="), 0, 6)).isFalse();
        // The series found after leading spaces, as sampleStart skips them.
        assertEndsAsTheScanDoes(series, "  m{pod=\"a\"} 1", 12, 2);
    }

    private static void assertEndsAsTheScanDoes(SeriesBytes series, String line, int end) {
        assertEndsAsTheScanDoes(series, line, end, 0);
    }

    private static void assertEndsAsTheScanDoes(SeriesBytes series, String line, int end, int start) {
        byte[] bytes = bytes(line);
        assertThat(series.startsLine(bytes, start, bytes.length)).isTrue();
        assertThat(start + series.length()).isEqualTo(end)
                .isEqualTo(OpenMetricsLineParser.seriesEnd(bytes, start, bytes.length));
    }

    /** The series of a line as the reader caches it: cut where the scan ends it. */
    private static SeriesBytes seriesOf(String line) {
        byte[] bytes = bytes(line);
        return SeriesBytes.view(bytes, 0, OpenMetricsLineParser.seriesEnd(bytes, 0, bytes.length)).copy();
    }

    private static byte[] bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8);
    }
}
