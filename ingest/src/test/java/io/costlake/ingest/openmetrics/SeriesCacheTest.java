package io.costlake.ingest.openmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * A cached series recognises a line that starts with it and says where its series ends without the scan of
 * {@link OpenMetricsLineParser#seriesEnd}, and only where that scan would end at the same byte; the series
 * predicted for a line is the one that followed the previous line's series last time.
 */
class SeriesCacheTest {
    @Test
    void aLabelledSeriesEndsAtItsClosingBraceWhateverFollows() {
        SeriesCache<String> cache = cacheOf("m{pod=\"a\"} 1 2");

        // "m{pod=\"a\"}" is 10 bytes; a line with more after the brace ends there too (its value then fails).
        assertEndsAsTheScanDoes(cache, "m{pod=\"a\"} 3 4", 10);
        assertEndsAsTheScanDoes(cache, "m{pod=\"a\"}x 3 4", 10);
    }

    @Test
    void aBraceInsideAQuotedValueIsPartOfTheSeries() {
        SeriesCache<String> cache = cacheOf("m{path=\"/a}\\\"b\"} 1");

        // m{path="/a}\"b"} is 16 bytes: the first '}' and the escaped quote are inside the value.
        assertEndsAsTheScanDoes(cache, "m{path=\"/a}\\\"b\"} 7", 16);
    }

    @Test
    void aSeriesWithoutLabelsEndsOnlyWhereASpaceOrTheLineFollowsItsName() {
        SeriesCache<String> cache = cacheOf("up 1 2");

        assertEndsAsTheScanDoes(cache, "up 0 3", 2);
        assertEndsAsTheScanDoes(cache, "up", 2);
        // Same first bytes, other series: the scan reads on, so the cached one must not match.
        assertThat(cache.predicted(bytes("up{job=\"a\"} 1"), 0, 13)).isEqualTo(-1);
        assertThat(cache.predicted(bytes("upper 1"), 0, 7)).isEqualTo(-1);
    }

    @Test
    void aLineThatDoesNotStartWithTheSeriesIsNotItsSample() {
        SeriesCache<String> cache = cacheOf("m{pod=\"a\"} 1");

        assertThat(cache.predicted(bytes("m{pod=\"b\"} 1"), 0, 12)).isEqualTo(-1);
        assertThat(cache.predicted(bytes("m{pod="), 0, 6)).isEqualTo(-1);
        // The series found after leading spaces, as sampleStart skips them.
        assertEndsAsTheScanDoes(cache, "  m{pod=\"a\"} 1", 12, 2);
    }

    @Test
    void predictsTheSeriesThatFollowedThePreviousLinesSeriesLastTime() {
        // A scrape of a, b, c, and the next scrape's first line, a again.
        SeriesCache<String> cache = new SeriesCache<>();
        int a = add(cache, "a{i=\"1\"} 1 1");
        int b = add(cache, "b{i=\"2\"} 1 1");
        int c = add(cache, "c{i=\"3\"} 1 1");
        cache.follow(a);
        cache.follow(b);
        cache.follow(c);
        cache.follow(a);

        assertThat(cache.predicted(bytes("b{i=\"2\"} 2 2"), 0, 13)).isEqualTo(b);
        cache.follow(b);
        assertThat(cache.predicted(bytes("c{i=\"3\"} 2 2"), 0, 13)).isEqualTo(c);
        // Not predicted (c followed b, not a): found by its bytes instead, as the reader does.
        assertThat(cache.predicted(bytes("a{i=\"1\"} 2 2"), 0, 13)).isEqualTo(-1);
        assertThat(cache.find(bytes("a{i=\"1\"} 2 2"), 0, 8)).isEqualTo(a);
        assertThat(cache.resolved(a)).isEqualTo("a{i=\"1\"}");
        assertThat(cache.find(bytes("d{i=\"4\"} 2 2"), 0, 8)).isEqualTo(-1);
    }

    @Test
    void keepsSeriesAcrossChunksAndForgetsThemWhenCleared() {
        // More series bytes than one chunk holds, and one series longer than a chunk.
        SeriesCache<String> cache = new SeriesCache<>();
        int count = SeriesCache.CHUNK_BYTES / 100 + 10;
        for (int i = 0; i < count; i++) {
            add(cache, "metric_with_a_long_name{pod=\"" + "p".repeat(60) + i + "\"} 1 1");
        }
        String huge = "m{v=\"" + "x".repeat(SeriesCache.CHUNK_BYTES) + "\"}";
        int hugeId = add(cache, huge + " 1 1");

        assertThat(cache.size()).isEqualTo(count + 1);
        for (int i = 0; i < count; i += 997) {
            String series = "metric_with_a_long_name{pod=\"" + "p".repeat(60) + i + "\"}";
            assertThat(cache.find(bytes(series + " 2 2"), 0, series.length())).isEqualTo(i);
        }
        assertThat(cache.find(bytes(huge + " 2 2"), 0, huge.length())).isEqualTo(hugeId);
        assertThat(cache.length(hugeId)).isEqualTo(huge.length());

        cache.clear();
        assertThat(cache.size()).isZero();
        assertThat(cache.find(bytes(huge), 0, huge.length())).isEqualTo(-1);
        assertThat(cache.predicted(bytes(huge), 0, huge.length())).isEqualTo(-1);
    }

    private static void assertEndsAsTheScanDoes(SeriesCache<String> cache, String line, int end) {
        assertEndsAsTheScanDoes(cache, line, end, 0);
    }

    private static void assertEndsAsTheScanDoes(SeriesCache<String> cache, String line, int end, int start) {
        byte[] bytes = bytes(line);
        int id = cache.predicted(bytes, start, bytes.length);
        assertThat(id).isZero();
        assertThat(start + cache.length(id)).isEqualTo(end)
                .isEqualTo(OpenMetricsLineParser.seriesEnd(bytes, start, bytes.length));
    }

    /** A cache holding the series of a line, as the reader caches it (cut where the scan ends it), just read. */
    private static SeriesCache<String> cacheOf(String line) {
        SeriesCache<String> cache = new SeriesCache<>();
        cache.follow(add(cache, line));
        return cache;
    }

    private static int add(SeriesCache<String> cache, String line) {
        byte[] bytes = bytes(line);
        int end = OpenMetricsLineParser.seriesEnd(bytes, 0, bytes.length);
        return cache.add(bytes, 0, end, line.substring(0, end));
    }

    private static byte[] bytes(String line) {
        return line.getBytes(StandardCharsets.UTF_8);
    }
}
