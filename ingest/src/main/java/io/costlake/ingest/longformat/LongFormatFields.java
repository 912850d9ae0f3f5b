package io.costlake.ingest.longformat;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.costlake.ingest.openmetrics.MalformedLineException;
import io.costlake.ingest.openmetrics.OpenMetricsLineParser;

/**
 * The four fields of a long-format sample ({@code metric, labels, timestamp, value}) given as text, as CSV
 * cells (and Parquet string columns) carry them. The rules are the exposition format's wherever it has one,
 * so a sample means the same whichever file it came from; what is wrong is said in the quarantine reason.
 */
final class LongFormatFields {
    static final String METRIC = "metric";
    static final String LABELS = "labels";
    static final String TIMESTAMP = "timestamp";
    static final String VALUE = "value";
    static final List<String> COLUMNS = List.of(METRIC, LABELS, TIMESTAMP, VALUE);

    /** Strict as the label-set text is: a duplicate label or text after the object is an error. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern ISO_DATE_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]");

    private LongFormatFields() {}

    static String metric(String text) throws MalformedLineException {
        if (text.isEmpty()) {
            throw new MalformedLineException("metric is empty");
        }
        if (!OpenMetricsLineParser.isMetricName(text)) {
            throw new MalformedLineException("invalid metric name: '" + abbreviate(text) + "'");
        }
        return text;
    }

    /**
     * Labels as the exposition format's label set ({@code namespace="a",pod="b"}, braces optional, its
     * escapes) or as a JSON object of strings ({@code {"namespace":"a"}}); a label name never starts with a
     * quote, so the two cannot be confused. Blank is no labels.
     */
    static Map<String, String> labels(String text) throws MalformedLineException {
        if (isJsonObject(text)) {
            return jsonLabels(text);
        }
        return OpenMetricsLineParser.parseLabelSet(text);
    }

    /**
     * Epoch seconds (fraction allowed) or, above 1e11, epoch milliseconds, exactly as the OpenMetrics reader
     * takes them; or an ISO-8601 instant with a zone offset ({@code 2026-03-01T00:00:00Z}, {@code
     * 2026-03-01 01:00:00.5+01:00}). A local time without offset is rejected: it names no instant.
     */
    static long timestampMillis(String text) throws MalformedLineException {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new MalformedLineException("timestamp is empty");
        }
        if (ISO_DATE_TIME.matcher(trimmed).lookingAt()) {
            String iso = trimmed.charAt(10) == ' ' ? trimmed.substring(0, 10) + 'T' + trimmed.substring(11) : trimmed;
            try {
                return OffsetDateTime.parse(iso, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new MalformedLineException("timestamp is not an ISO-8601 instant with a zone offset (such as "
                        + "2026-03-01T00:00:00Z): '" + abbreviate(trimmed) + "'");
            }
        }
        try {
            return OpenMetricsLineParser.parseTimestamp(trimmed);
        } catch (MalformedLineException e) {
            if (e.getMessage().startsWith("timestamp is not a number")) {
                throw new MalformedLineException("timestamp is neither epoch seconds, epoch milliseconds nor an "
                        + "ISO-8601 instant: '" + abbreviate(trimmed) + "'");
            }
            throw e;
        }
    }

    static double value(String text) throws MalformedLineException {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            throw new MalformedLineException("value is empty");
        }
        return OpenMetricsLineParser.parseValue(trimmed);
    }

    private static boolean isJsonObject(String text) {
        int pos = 0;
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        if (pos == text.length() || text.charAt(pos) != '{') {
            return false;
        }
        pos++;
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return pos < text.length() && text.charAt(pos) == '"';
    }

    private static Map<String, String> jsonLabels(String text) throws MalformedLineException {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new MalformedLineException("labels are not valid JSON: " + e.getOriginalMessage()
                    + " at column " + e.getLocation().getColumnNr());
        }
        Map<String, String> labels = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!OpenMetricsLineParser.isLabelName(field.getKey())) {
                throw new MalformedLineException("invalid label name: '" + abbreviate(field.getKey()) + "'");
            }
            if (!field.getValue().isTextual()) {
                throw new MalformedLineException("value of label " + field.getKey() + " is not a JSON string");
            }
            labels.put(field.getKey(), field.getValue().textValue());
        }
        return labels;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
