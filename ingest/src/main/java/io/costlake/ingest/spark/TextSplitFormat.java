package io.costlake.ingest.spark;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;

/**
 * Hadoop's {@link TextInputFormat} with the same lines in the same splits, whose uncompressed splits find each line's
 * end eight bytes at a time; the ingest reads its text inputs (OpenMetrics, CSV) with it. Hadoop's line reader tests
 * every byte for a line end, one after the other: 15 % of a warm ingest of a 10,000-pod day (71M lines of ~195 bytes)
 * in an async-profiler profile. Compressed files, and a configured record delimiter, are read by Hadoop's own reader.
 *
 * <p>The lines and their splits are exactly Hadoop's ({@code TextSplitFormatTest} compares them for every split
 * size): a line ends at LF, CR or CRLF; a line belongs to the split whose start is before its first byte and whose
 * end is at or after it (the first line to the first split); a UTF-8 byte order mark is dropped from the file's first
 * line. Keys are the lines' byte offsets in the file.
 */
public final class TextSplitFormat extends TextInputFormat {
    @Override
    public RecordReader<LongWritable, Text> createRecordReader(InputSplit split, TaskAttemptContext context) {
        return new SplitReader();
    }

    /** The reader of one split; delegates to {@link LineRecordReader} where it does not read the split itself. */
    static final class SplitReader extends RecordReader<LongWritable, Text> {
        private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class,
                ByteOrder.LITTLE_ENDIAN);
        private static final long ONES = 0x0101010101010101L;
        private static final long HIGH_BITS = 0x8080808080808080L;
        private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
        private static final long CRS = 0x0D0D0D0D0D0D0D0DL;
        private static final byte LF = '\n';
        private static final byte CR = '\r';
        private static final int BUFFER_BYTES = 1 << 20;

        private final int initialBufferBytes;
        private LineRecordReader delegate;
        private FSDataInputStream in;
        private byte[] buffer;
        /** Valid bytes are buffer[0, limit); the next line starts at buffer[next]. */
        private int next;
        private int limit;
        private boolean eof;
        /** File offset of buffer[0]. */
        private long bufferStart;
        private long start;
        private long end;
        private final LongWritable key = new LongWritable();
        private final Text value = new Text();

        SplitReader() {
            this(BUFFER_BYTES);
        }

        /** A smaller buffer lets tests cross its refills with short lines. */
        SplitReader(int initialBufferBytes) {
            if (initialBufferBytes < 1) {
                throw new IllegalArgumentException("buffer must hold a byte, got " + initialBufferBytes);
            }
            this.initialBufferBytes = initialBufferBytes;
        }

        @Override
        public void initialize(InputSplit genericSplit, TaskAttemptContext context) throws IOException {
            FileSplit split = (FileSplit) requireNonNull(genericSplit, "split is null");
            Configuration conf = context.getConfiguration();
            Path file = split.getPath();
            if (new CompressionCodecFactory(conf).getCodec(file) != null
                    || conf.get("textinputformat.record.delimiter") != null) {
                delegate = new LineRecordReader();
                delegate.initialize(split, context);
                return;
            }
            start = split.getStart();
            end = start + split.getLength();
            in = file.getFileSystem(conf).open(file);
            in.seek(start);
            buffer = new byte[initialBufferBytes];
            bufferStart = start;
            if (start != 0) {
                // The line this split starts in, or at, is the previous split's last.
                skipLine();
            }
        }

        @Override
        public boolean nextKeyValue() throws IOException {
            if (delegate != null) {
                return delegate.nextKeyValue();
            }
            long lineStart = bufferStart + next;
            if (lineStart > end) {
                return false;
            }
            int lineEnd = lineEnd();
            if (lineEnd < 0) {
                return false;
            }
            // lineEnd() may have moved the line to the buffer's start.
            int from = next;
            int length = lineEnd - from;
            if (lineStart == 0 && length >= 3 && buffer[from] == (byte) 0xEF && buffer[from + 1] == (byte) 0xBB
                    && buffer[from + 2] == (byte) 0xBF) {
                from += 3;
                length -= 3;
            }
            key.set(lineStart);
            value.set(buffer, from, length);
            next = afterTerminator(lineEnd);
            return true;
        }

        /** Consumes one line and its terminator, if any. */
        private void skipLine() throws IOException {
            int lineEnd = lineEnd();
            if (lineEnd >= 0) {
                next = afterTerminator(lineEnd);
            }
        }

        /**
         * The index of the CR or LF that ends the line starting at {@link #next} (or of the end of the file's data,
         * for a last line without one), reading more of the file as needed; -1 at the end of the file with no line.
         * May move the line to the start of the buffer.
         */
        private int lineEnd() throws IOException {
            int scanned = next;
            while (true) {
                int found = terminator(buffer, scanned, limit);
                if (found >= 0) {
                    return found;
                }
                scanned = limit;
                if (eof) {
                    return limit > next ? limit : -1;
                }
                int moved = next;
                fill();
                scanned -= moved;
            }
        }

        /** The index after the terminator at {@code at}: a CR followed by an LF is one terminator. */
        private int afterTerminator(int at) throws IOException {
            if (at >= limit) {
                return limit;
            }
            if (buffer[at] == CR) {
                if (at + 1 >= limit && !eof) {
                    int moved = next;
                    fill();
                    at -= moved;
                }
                if (at + 1 < limit && buffer[at + 1] == LF) {
                    return at + 2;
                }
            }
            return at + 1;
        }

        /**
         * Moves the bytes from {@link #next} to the buffer's start (growing it when they fill it) and reads more of
         * the file after them. Sets {@link #next} to 0.
         */
        private void fill() throws IOException {
            int kept = limit - next;
            if (kept == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
            System.arraycopy(buffer, next, buffer, 0, kept);
            bufferStart += next;
            next = 0;
            limit = kept;
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                eof = true;
            } else {
                limit += read;
            }
        }

        /** The index of the first CR or LF in bytes[from, to), or -1; eight bytes at a time. */
        static int terminator(byte[] bytes, int from, int to) {
            int i = from;
            for (; i + Long.BYTES <= to; i += Long.BYTES) {
                long word = (long) LONGS.get(bytes, i);
                long lf = word ^ LFS;
                long cr = word ^ CRS;
                // A byte of lf or cr is zero where the word has that byte; the lowest flagged byte is the first match
                // (a borrow can flag bytes above a match, never below one).
                long found = ((lf - ONES) & ~lf | (cr - ONES) & ~cr) & HIGH_BITS;
                if (found != 0) {
                    return i + (Long.numberOfTrailingZeros(found) >>> 3);
                }
            }
            for (; i < to; i++) {
                if (bytes[i] == LF || bytes[i] == CR) {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public LongWritable getCurrentKey() {
            return delegate != null ? delegate.getCurrentKey() : key;
        }

        @Override
        public Text getCurrentValue() {
            return delegate != null ? delegate.getCurrentValue() : value;
        }

        @Override
        public float getProgress() throws IOException {
            if (delegate != null) {
                return delegate.getProgress();
            }
            return end == start ? 1.0f : Math.min(1.0f, (bufferStart + next - start) / (float) (end - start));
        }

        @Override
        public void close() throws IOException {
            if (delegate != null) {
                delegate.close();
            } else if (in != null) {
                in.close();
            }
        }
    }
}
