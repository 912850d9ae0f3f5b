package io.costlake.ingest.openmetrics;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;

/**
 * Parses one line of OpenMetrics or Prometheus text exposition format with a timestamp:
 * {@code name{label="value",...} value timestamp}.
 *
 * <p>A hand-written scanner rather than a regular expression: it runs once per sample on multi-GB dumps,
 * and it must say precisely what is wrong with a bad line. Timestamps are OpenMetrics seconds (with an
 * optional fraction); integers above 1e11 are taken as Prometheus text-format milliseconds, since 1e11
 * seconds lies in the year 5138 while 1e11 ms is 1973. Exemplars ({@code # {...} v}) are ignored.
 */
public final class OpenMetricsLineParser {
    /** Numeric timestamps above this are Prometheus text-format milliseconds, below it (OpenMetrics) seconds. */
    public static final double MILLIS_THRESHOLD = 1e11;

    /** Returns the sample on the line, empty for comments, metadata and blank lines. */
    public Optional<MetricSample> parse(String line) throws MalformedLineException {
        int start = sampleStart(line);
        if (start < 0) {
            return Optional.empty();
        }
        ParsedSeries series = parseSeries(line, start);
        SampleValue sample = parseValue(line, series.end());
        return Optional.of(new MetricSample(series.metric(), series.labels(), sample.value(), sample.timestampMillis()));
    }

    /** Where the sample on the line starts, or -1 for comments, metadata and blank lines. */
    public static int sampleStart(String line) {
        int length = line.length();
        int pos = 0;
        while (pos < length && line.charAt(pos) == ' ') {
            pos++;
        }
        return pos == length || line.charAt(pos) == '#' ? -1 : pos;
    }

    /** Where the sample on a line of bytes starts, or -1 for comments, metadata and blank lines. */
    public static int sampleStart(byte[] line, int length) {
        int pos = 0;
        while (pos < length && line[pos] == ' ') {
            pos++;
        }
        return pos == length || line[pos] == '#' ? -1 : pos;
    }

    /**
     * Where the series ({@code name{labels}}) that starts at {@code start} ends, found without validating it,
     * on the line's UTF-8 bytes (the delimiters are ASCII, which never occurs inside a multi-byte character).
     * A dump repeats each series once per sample, so readers cache the parsed series by these bytes and parse
     * only the value and timestamp of each line; the cache misses go through {@link #parseSeries}, which
     * checks everything.
     */
    public static int seriesEnd(byte[] line, int start, int length) {
        int pos = start;
        while (pos < length && line[pos] != '{' && line[pos] != ' ') {
            pos++;
        }
        if (pos == length || line[pos] != '{') {
            return pos;
        }
        boolean quoted = false;
        while (++pos < length) {
            byte c = line[pos];
            if (quoted) {
                if (c == '\\') {
                    pos++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '}') {
                return pos + 1;
            }
        }
        return length;
    }

    /** The metric name and labels of the series starting at {@code start}, validated, and where it ends. */
    public ParsedSeries parseSeries(String line, int start) throws MalformedLineException {
        int length = line.length();
        int pos = start;
        int nameStart = pos;
        while (pos < length && isNameChar(line.charAt(pos), pos == nameStart)) {
            pos++;
        }
        if (pos == nameStart) {
            throw new MalformedLineException("invalid metric name at column " + (pos + 1));
        }
        String metric = line.substring(nameStart, pos);
        Map<String, String> labels = Map.of();
        if (pos < length && line.charAt(pos) == '{') {
            labels = new HashMap<>();
            pos = parseLabels(line, pos + 1, labels);
        }
        return new ParsedSeries(metric, labels, pos);
    }

    /** The value and timestamp that follow a series ending at {@code seriesEnd}, validated. */
    public SampleValue parseValue(String line, int seriesEnd) throws MalformedLineException {
        int length = line.length();
        int pos = seriesEnd;
        if (pos >= length || line.charAt(pos) != ' ') {
            throw new MalformedLineException("expected a space before the value at column " + (pos + 1));
        }
        while (pos < length && line.charAt(pos) == ' ') {
            pos++;
        }
        int valueEnd = line.indexOf(' ', pos);
        if (valueEnd < 0) {
            valueEnd = length;
        }
        double value = parseValue(line.substring(pos, valueEnd));
        pos = valueEnd;
        while (pos < length && line.charAt(pos) == ' ') {
            pos++;
        }
        if (pos >= length || line.charAt(pos) == '#') {
            throw new MalformedLineException("sample has no timestamp");
        }
        int tsEnd = line.indexOf(' ', pos);
        if (tsEnd < 0) {
            tsEnd = length;
        }
        long timestampMillis = parseTimestamp(line.substring(pos, tsEnd));
        pos = tsEnd;
        while (pos < length && line.charAt(pos) == ' ') {
            pos++;
        }
        if (pos < length && line.charAt(pos) != '#') {
            throw new MalformedLineException("unexpected text after the timestamp at column " + (pos + 1));
        }
        return new SampleValue(value, timestampMillis);
    }

    /**
     * The value and timestamp that follow a known series on a line's bytes, or null when they are not plain
     * (a space, the value, spaces, the timestamp, then nothing but spaces or a {@code #} exemplar/comment): the
     * reader's path for the samples of series it has met, with no String made per line. Null says nothing is
     * wrong, only that the line is to be read as text by {@link #parseValue(String, int)}, which validates it
     * and says what is. The numbers are the doubles {@link Double#parseDouble} gives, as the text path's are.
     */
    public static SampleValue plainValue(byte[] line, int seriesEnd, int length) {
        if (seriesEnd >= length || line[seriesEnd] != ' ') {
            return null;
        }
        int valueStart = skipSpaces(line, seriesEnd, length);
        int valueEnd = tokenEnd(line, valueStart, length);
        int tsStart = skipSpaces(line, valueEnd, length);
        int tsEnd = tokenEnd(line, tsStart, length);
        int rest = skipSpaces(line, tsEnd, length);
        if (valueStart == valueEnd || tsStart == tsEnd || line[tsStart] == '#'
                || (rest < length && line[rest] != '#')) {
            return null;
        }
        try {
            double value = number(line, valueStart, valueEnd);
            double raw = JavaDoubleParser.parseDouble(line, tsStart, tsEnd - tsStart);
            return Double.isFinite(raw) ? new SampleValue(value, toMillis(raw)) : null;
        } catch (NumberFormatException | MalformedLineException e) {
            return null;
        }
    }

    /** A value's token: a number is parsed from the bytes; NaN, Inf and other spellings ending in a letter as text. */
    private static double number(byte[] line, int start, int end) throws MalformedLineException {
        byte last = line[end - 1];
        if ((last >= '0' && last <= '9') || last == '.') {
            return JavaDoubleParser.parseDouble(line, start, end - start);
        }
        return parseValue(new String(line, start, end - start, StandardCharsets.ISO_8859_1));
    }

    private static int skipSpaces(byte[] line, int pos, int length) {
        while (pos < length && line[pos] == ' ') {
            pos++;
        }
        return pos;
    }

    private static int tokenEnd(byte[] line, int pos, int length) {
        while (pos < length && line[pos] != ' ') {
            pos++;
        }
        return pos;
    }

    /** A series as written on a line: metric name, labels, and the position after it. */
    public record ParsedSeries(String metric, Map<String, String> labels, int end) {}

    /** A sample's value and timestamp (epoch milliseconds). */
    public record SampleValue(double value, long timestampMillis) {}

    /**
     * Parses a label set as it appears in the exposition format, {@code a="x",b="y"}, with or without the
     * braces; blank text is the empty set. Column numbers in errors count from the first character of
     * {@code text}. For sources that carry the labels in a field of their own (CSV, Parquet).
     */
    public static Map<String, String> parseLabelSet(String text) throws MalformedLineException {
        int start = 0;
        int end = text.length();
        while (start < end && text.charAt(start) == ' ') {
            start++;
        }
        while (end > start && text.charAt(end - 1) == ' ') {
            end--;
        }
        if (start == end) {
            return Map.of();
        }
        Map<String, String> labels = new HashMap<>();
        if (text.charAt(start) == '{') {
            int closed = parseLabels(text, start + 1, labels);
            if (closed < end) {
                while (text.charAt(closed) == ' ') {
                    closed++;
                }
                throw new MalformedLineException("unexpected text after the label set at column " + (closed + 1));
            }
            return labels;
        }
        // Without braces the set ends where the text does: parse it as if the closing brace were there.
        int closed = parseLabels(text.substring(0, end) + "}", start, labels);
        if (closed <= end) {
            throw new MalformedLineException("unexpected } at column " + closed);
        }
        return labels;
    }

    /** Whether {@code name} is a valid metric name ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}). */
    public static boolean isMetricName(String name) {
        return isName(name, OpenMetricsLineParser::isNameChar);
    }

    /** Whether {@code name} is a valid label name ({@code [a-zA-Z_][a-zA-Z0-9_]*}). */
    public static boolean isLabelName(String name) {
        return isName(name, OpenMetricsLineParser::isLabelNameChar);
    }

    private interface NameChar {
        boolean allowed(char c, boolean first);
    }

    private static boolean isName(String name, NameChar rule) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (!rule.allowed(name.charAt(i), i == 0)) {
                return false;
            }
        }
        return true;
    }

    private static int parseLabels(String line, int pos, Map<String, String> labels) throws MalformedLineException {
        int length = line.length();
        StringBuilder value = new StringBuilder();
        while (true) {
            if (pos >= length) {
                throw new MalformedLineException("unterminated label set");
            }
            if (line.charAt(pos) == '}') {
                return pos + 1;
            }
            int nameStart = pos;
            while (pos < length && isLabelNameChar(line.charAt(pos), pos == nameStart)) {
                pos++;
            }
            if (pos == nameStart) {
                throw new MalformedLineException("invalid label name at column " + (pos + 1));
            }
            String name = line.substring(nameStart, pos);
            if (pos + 1 >= length || line.charAt(pos) != '=' || line.charAt(pos + 1) != '"') {
                throw new MalformedLineException("expected =\" after label " + name + " at column " + (pos + 1));
            }
            pos += 2;
            value.setLength(0);
            boolean closed = false;
            while (pos < length) {
                char c = line.charAt(pos++);
                if (c == '"') {
                    closed = true;
                    break;
                }
                if (c == '\\') {
                    if (pos >= length) {
                        break;
                    }
                    char escaped = line.charAt(pos++);
                    switch (escaped) {
                        case 'n' -> value.append('\n');
                        case '\\' -> value.append('\\');
                        case '"' -> value.append('"');
                        default -> throw new MalformedLineException(
                                "invalid escape \\" + escaped + " in label " + name);
                    }
                } else {
                    value.append(c);
                }
            }
            if (!closed) {
                throw new MalformedLineException("unterminated value of label " + name);
            }
            if (labels.put(name, value.toString()) != null) {
                throw new MalformedLineException("duplicate label " + name);
            }
            if (pos < length && line.charAt(pos) == ',') {
                pos++;
            } else if (pos >= length || line.charAt(pos) != '}') {
                throw new MalformedLineException("expected , or } after label " + name + " at column " + (pos + 1));
            }
        }
    }

    /** A sample value: a decimal or {@code NaN}, {@code +Inf}, {@code Inf}, {@code -Inf}. */
    public static double parseValue(String text) throws MalformedLineException {
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                break;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new MalformedLineException("value is not a number: '" + abbreviate(text) + "'");
        }
    }

    /** A numeric timestamp in epoch milliseconds: seconds (fraction allowed), or milliseconds above 1e11. */
    public static long parseTimestamp(String text) throws MalformedLineException {
        double raw;
        try {
            raw = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new MalformedLineException("timestamp is not a number: '" + abbreviate(text) + "'");
        }
        if (!Double.isFinite(raw)) {
            throw new MalformedLineException("timestamp is not finite: '" + abbreviate(text) + "'");
        }
        return toMillis(raw);
    }

    /** Seconds (fraction allowed), or milliseconds above {@link #MILLIS_THRESHOLD}, as epoch milliseconds. */
    private static long toMillis(double raw) {
        return raw > MILLIS_THRESHOLD ? Math.round(raw) : Math.round(raw * 1000.0);
    }

    private static boolean isNameChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
                || (!first && c >= '0' && c <= '9');
    }

    private static boolean isLabelNameChar(char c, boolean first) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
