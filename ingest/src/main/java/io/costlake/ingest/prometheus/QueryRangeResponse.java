package io.costlake.ingest.prometheus;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * Turns a {@code query_range} JSON response into OpenMetrics text lines ({@code name{labels} value ts}), one
 * per point, as it streams in.
 *
 * <p>A streaming parse: a day of a big cluster is hundreds of MB of JSON per metric, which must never be a
 * tree in memory. At most one series' points are buffered, and only when a server sends {@code values}
 * before {@code metric} (Prometheus does not); Prometheus caps a series at 11,000 points per response, so
 * that buffer is bounded too. Values are copied verbatim ({@code "NaN"}, {@code "+Inf"} included) so that
 * bad values reach the quarantine exactly as the server sent them. Native histograms are not part of the
 * metric contract and are skipped.
 */
final class QueryRangeResponse {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** What one response held: series and points, and the warnings the server attached (e.g. partial data). */
    record Transcoded(long series, long samples, List<String> warnings) {
        Transcoded {
            warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
        }
    }

    /** The server answered, but with an error (bad query, too many samples): retrying will not help. */
    static final class QueryFailedException extends Exception {
        QueryFailedException(String message) {
            super(message);
        }
    }

    private QueryRangeResponse() {}

    /**
     * Writes every point of the response to {@code out}; {@code queriedMetric} names series that come
     * without {@code __name__}.
     *
     * @throws IOException when the body is not a complete JSON document (retry may help)
     * @throws QueryFailedException when the document says {@code "status":"error"}
     */
    static Transcoded transcode(InputStream body, Writer out, String queriedMetric)
            throws IOException, QueryFailedException {
        requireNonNull(body, "body is null");
        requireNonNull(out, "out is null");
        requireNonNull(queriedMetric, "queriedMetric is null");
        try (JsonParser parser = JSON.createParser(body)) {
            expect(parser, parser.nextToken(), JsonToken.START_OBJECT, "response");
            String status = null;
            String errorType = null;
            String error = null;
            List<String> warnings = new ArrayList<>();
            long[] counts = new long[2];
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken token = parser.nextToken();
                switch (field) {
                    case "status" -> status = parser.getValueAsString();
                    case "errorType" -> errorType = parser.getValueAsString();
                    case "error" -> error = parser.getValueAsString();
                    case "warnings" -> readStrings(parser, token, warnings);
                    case "data" -> readData(parser, token, out, queriedMetric, counts);
                    default -> parser.skipChildren();
                }
            }
            expect(parser, parser.currentToken(), JsonToken.END_OBJECT, "end of response");
            if (!"success".equals(status)) {
                throw new QueryFailedException("query failed: " + (errorType == null ? "" : errorType + ": ")
                        + (error == null ? "status " + status : error));
            }
            return new Transcoded(counts[0], counts[1], warnings);
        }
    }

    private static void readData(JsonParser parser, JsonToken token, Writer out, String queriedMetric, long[] counts)
            throws IOException, QueryFailedException {
        if (token == JsonToken.VALUE_NULL) {
            return;
        }
        expect(parser, token, JsonToken.START_OBJECT, "data");
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if ("resultType".equals(field)) {
                String type = parser.getValueAsString();
                if (!"matrix".equals(type)) {
                    throw new QueryFailedException("expected a matrix from query_range, got " + type);
                }
            } else if ("result".equals(field)) {
                expect(parser, value, JsonToken.START_ARRAY, "data.result");
                StringBuilder line = new StringBuilder(256);
                while (parser.nextToken() == JsonToken.START_OBJECT) {
                    counts[1] += readSeries(parser, out, queriedMetric, line);
                    counts[0]++;
                }
                expect(parser, parser.currentToken(), JsonToken.END_ARRAY, "end of data.result");
            } else {
                parser.skipChildren();
            }
        }
    }

    /** Reads one {@code {"metric": {...}, "values": [[ts, "v"], ...]}} and writes its points; returns their number. */
    private static long readSeries(JsonParser parser, Writer out, String queriedMetric, StringBuilder line)
            throws IOException {
        String prefix = null;
        List<String> pending = null;
        long points = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken token = parser.nextToken();
            if ("metric".equals(field)) {
                prefix = seriesPrefix(parser, token, queriedMetric);
                if (pending != null) {
                    for (String point : pending) {
                        out.write(prefix);
                        out.write(point);
                    }
                    pending = null;
                }
            } else if ("values".equals(field)) {
                expect(parser, token, JsonToken.START_ARRAY, "values");
                while (parser.nextToken() == JsonToken.START_ARRAY) {
                    line.setLength(0);
                    readPoint(parser, line);
                    points++;
                    if (prefix != null) {
                        out.write(prefix);
                        out.append(line);
                    } else {
                        if (pending == null) {
                            pending = new ArrayList<>();
                        }
                        pending.add(line.toString());
                    }
                }
            } else {
                parser.skipChildren();
            }
        }
        if (pending != null) {
            // No "metric" object at all: the series is still the queried metric, without labels.
            String bare = queriedMetric;
            for (String point : pending) {
                out.write(bare);
                out.write(point);
            }
        }
        return points;
    }

    /** Appends {@code " value timestamp\n"} of a {@code [ts, "value"]} pair. */
    private static void readPoint(JsonParser parser, StringBuilder line) throws IOException {
        JsonToken ts = parser.nextToken();
        if (ts != JsonToken.VALUE_NUMBER_INT && ts != JsonToken.VALUE_NUMBER_FLOAT && ts != JsonToken.VALUE_STRING) {
            throw new IOException("expected a timestamp in a [ts, value] pair, got " + ts);
        }
        String timestamp = parser.getText();
        JsonToken value = parser.nextToken();
        if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NUMBER_INT
                && value != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new IOException("expected a value in a [ts, value] pair, got " + value);
        }
        line.append(' ').append(parser.getText()).append(' ').append(timestamp).append('\n');
        expect(parser, parser.nextToken(), JsonToken.END_ARRAY, "end of a [ts, value] pair");
    }

    /** {@code name{label="value",...}} with OpenMetrics escaping; {@code __name__} becomes the name. */
    private static String seriesPrefix(JsonParser parser, JsonToken token, String queriedMetric) throws IOException {
        expect(parser, token, JsonToken.START_OBJECT, "metric");
        String name = null;
        StringBuilder labels = new StringBuilder(192);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String label = parser.currentName();
            parser.nextToken();
            String value = parser.getValueAsString();
            if ("__name__".equals(label)) {
                name = value;
                continue;
            }
            labels.append(labels.length() == 0 ? "{" : ",").append(label).append("=\"");
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\' -> labels.append("\\\\");
                    case '"' -> labels.append("\\\"");
                    case '\n' -> labels.append("\\n");
                    default -> labels.append(c);
                }
            }
            labels.append('"');
        }
        if (labels.length() > 0) {
            labels.append('}');
        }
        return (name == null ? queriedMetric : name) + labels;
    }

    private static void readStrings(JsonParser parser, JsonToken token, List<String> into) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            parser.skipChildren();
            return;
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            into.add(parser.getValueAsString());
        }
    }

    private static void expect(JsonParser parser, JsonToken actual, JsonToken expected, String what)
            throws IOException {
        if (actual != expected) {
            throw new IOException("malformed query_range response: expected " + what + " (" + expected + ") but got "
                    + actual + " at " + parser.currentLocation().offsetDescription());
        }
    }
}
