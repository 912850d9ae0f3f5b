package io.costlake.ingest.openmetrics;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The series a split has met and resolved, numbered in the order it first met them, and for each the series
 * that followed it the last time: a dump written scrape by scrape repeats its series in the same order, so the
 * next line's series is almost always known before the line is looked at.
 *
 * <p>Everything a line is checked against is kept in arrays indexed by that number, and the series' bytes are
 * appended to large chunks in the same order: a scrape's ~50,000 lines then walk these arrays front to back,
 * which the processor prefetches. Kept as an object per series (key, bytes, successor), each line followed
 * three references to wherever the collector had moved them, and those cache misses were 30 % of the parse.
 *
 * @param <S> the resolution of a series ({@link SampleRows#series})
 */
final class SeriesCache<S> {
    /** Series bytes are appended to chunks of this size; a longer series gets an array of its own. */
    static final int CHUNK_BYTES = 1 << 20;
    private static final int NONE = -1;

    private final Map<SeriesBytes, Integer> ids = new HashMap<>();
    private Object[] resolved = new Object[1024];
    private byte[][] chunkOf = new byte[1024][];
    private int[] offset = new int[1024];
    private int[] length = new int[1024];
    private boolean[] labelled = new boolean[1024];
    private int[] next = new int[1024];
    private int size;
    private byte[] chunk = new byte[CHUNK_BYTES];
    private int chunkUsed;
    /** The series of the previous line, or {@link #NONE}. */
    private int previous = NONE;

    /**
     * The number of the cached series a line most likely has, checked byte for byte, or -1: the one that followed
     * the previous line's series last time, else the previous line's own (a dump written series by series). A
     * series matches where {@link OpenMetricsLineParser#seriesEnd} would end the line's series at the same byte:
     * a series with labels ends at the '}' its own bytes place, one without only where a space or the line's
     * end follows its name.
     */
    int predicted(byte[] line, int start, int lineLength) {
        if (previous == NONE) {
            return NONE;
        }
        int candidate = next[previous];
        if (candidate != NONE && startsLine(candidate, line, start, lineLength)) {
            return candidate;
        }
        return startsLine(previous, line, start, lineLength) ? previous : NONE;
    }

    /** The number of the series {@code line[start, end)}, or -1 when it has not been cached. */
    int find(byte[] line, int start, int end) {
        Integer id = ids.get(SeriesBytes.view(line, start, end - start));
        return id == null ? NONE : id;
    }

    /** Caches the series {@code line[start, end)} with its resolution and returns its number. */
    int add(byte[] line, int start, int end, S resolution) {
        requireNonNull(resolution, "resolution is null");
        int bytes = end - start;
        byte[] target;
        int at;
        if (bytes > CHUNK_BYTES) {
            target = Arrays.copyOfRange(line, start, end);
            at = 0;
        } else {
            if (chunkUsed + bytes > CHUNK_BYTES) {
                chunk = new byte[CHUNK_BYTES];
                chunkUsed = 0;
            }
            target = chunk;
            at = chunkUsed;
            System.arraycopy(line, start, chunk, at, bytes);
            chunkUsed += bytes;
        }
        // The stored key views the chunk, which is only ever appended to: no second copy of the bytes.
        SeriesBytes key = SeriesBytes.view(target, at, bytes);
        if (size == next.length) {
            grow();
        }
        int id = size++;
        resolved[id] = resolution;
        chunkOf[id] = target;
        offset[id] = at;
        length[id] = bytes;
        labelled[id] = hasLabels(target, at, bytes);
        next[id] = NONE;
        ids.put(key, id);
        return id;
    }

    /** Records that the current line's series is {@code id}, after the previous line's. */
    void follow(int id) {
        if (previous != NONE) {
            next[previous] = id;
        }
        previous = id;
    }

    /** The length in bytes of series {@code id}: where its line's series ends, from where it starts. */
    int length(int id) {
        return length[id];
    }

    @SuppressWarnings("unchecked")
    S resolved(int id) {
        return (S) resolved[id];
    }

    int size() {
        return size;
    }

    /** Forgets every series (a bounded cache starting over); their numbers are given out again. */
    void clear() {
        ids.clear();
        Arrays.fill(resolved, 0, size, null);
        Arrays.fill(chunkOf, 0, size, null);
        size = 0;
        previous = NONE;
        chunk = new byte[CHUNK_BYTES];
        chunkUsed = 0;
    }

    private boolean startsLine(int id, byte[] line, int start, int lineLength) {
        int end = start + length[id];
        return end <= lineLength && Arrays.equals(chunkOf[id], offset[id], offset[id] + length[id], line, start, end)
                && (labelled[id] || end == lineLength || line[end] == ' ');
    }

    /** Whether a series has a '{': then its end does not depend on what follows it on a line. */
    private static boolean hasLabels(byte[] series, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (series[i] == '{') {
                return true;
            }
        }
        return false;
    }

    private void grow() {
        int capacity = next.length * 2;
        resolved = Arrays.copyOf(resolved, capacity);
        chunkOf = Arrays.copyOf(chunkOf, capacity);
        offset = Arrays.copyOf(offset, capacity);
        length = Arrays.copyOf(length, capacity);
        labelled = Arrays.copyOf(labelled, capacity);
        next = Arrays.copyOf(next, capacity);
    }
}
