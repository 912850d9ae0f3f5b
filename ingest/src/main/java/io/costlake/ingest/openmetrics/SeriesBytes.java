package io.costlake.ingest.openmetrics;

import java.util.Arrays;

import org.apache.spark.unsafe.Platform;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;

/**
 * A series as a line writes it ({@code name{labels}}), as bytes: the key a split caches its resolved series
 * by, so a sample of a known series is looked up without decoding its line into a {@code String} (a String key
 * needed the whole line decoded, the series cut out and hashed for every sample). Hashed once with Murmur3 over
 * the bytes, compared byte for byte.
 */
final class SeriesBytes {
    private static final int SEED = 42;

    private final byte[] bytes;
    private final int offset;
    private final int length;
    private final int hash;

    private SeriesBytes(byte[] bytes, int offset, int length) {
        this.bytes = bytes;
        this.offset = offset;
        this.length = length;
        this.hash = Murmur3_x86_32.hashUnsafeBytes2(bytes, Platform.BYTE_ARRAY_OFFSET + offset, length, SEED);
    }

    /**
     * A key over part of a buffer. Over a line's buffer it is for lookups only, as the reader reuses the buffer for
     * the next line; a stored key views bytes nobody overwrites ({@link SeriesCache}'s chunks).
     */
    static SeriesBytes view(byte[] line, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > line.length) {
            throw new IllegalArgumentException("series bytes [" + offset + ", " + (offset + length)
                    + ") outside a line buffer of " + line.length);
        }
        return new SeriesBytes(line, offset, length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SeriesBytes that && hash == that.hash
                && Arrays.equals(bytes, offset, offset + length, that.bytes, that.offset, that.offset + that.length);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
