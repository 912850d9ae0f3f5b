package io.costlake.ingest.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.RecordReader;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.LineRecordReader;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TextSplitFormat} must give every split exactly the lines, offsets and order Hadoop's {@link LineRecordReader}
 * gives it: the ingest numbers lines within their split, and a quarantined line is found again by that number.
 */
class TextSplitFormatTest {
    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();
    private final TaskAttemptContext context = new TaskAttemptContextImpl(conf, new TaskAttemptID());

    @Test
    void readsHadoopsLinesInHadoopsSplitsWhateverTheLineEnds() throws IOException, InterruptedException {
        // LF, CRLF, a lone CR, empty lines, a last line without its end, a byte order mark, bytes above 0x7F.
        String text = "\uFEFFcontainer_cpu_usage_seconds_total{pod=\"a\"} 1.5 1700000000000\n"
                + "crlf 2 1700000000000\r\n\r\nlone cr\rafter cr\n\n"
                + "ünïcode{label=\"é\"} 3\n" + "x".repeat(40) + "\r\r\n\nno end";
        Path file = write("mixed.om", text.getBytes(StandardCharsets.UTF_8));

        for (int splitBytes = 1; splitBytes <= 40; splitBytes++) {
            for (int buffer : new int[] {1, 7, 16, 1 << 20}) {
                assertThat(splits(file, splitBytes, () -> new TextSplitFormat.SplitReader(buffer)))
                        .as("splits of %d bytes, a %d-byte buffer", splitBytes, buffer)
                        .isEqualTo(splits(file, splitBytes, LineRecordReader::new));
            }
        }
    }

    @Test
    void readsHadoopsLinesOfAGeneratedDumpInEverySplit() throws IOException, InterruptedException {
        // Lines of random lengths and endings, so that split starts and buffer refills fall everywhere in them.
        Random random = new Random(7);
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < 400; line++) {
            text.append("m{l=\"").append("v".repeat(random.nextInt(60))).append("\"} ").append(line);
            text.append(switch (random.nextInt(10)) {
                case 0 -> "\r\n";
                case 1 -> "\r";
                case 2 -> "\n\n";
                default -> "\n";
            });
        }
        Path file = write("dump.om", text.toString().getBytes(StandardCharsets.UTF_8));

        for (int splitBytes : new int[] {13, 64, 1000, 4096, 1 << 20}) {
            assertThat(splits(file, splitBytes, () -> new TextSplitFormat.SplitReader(256)))
                    .as("splits of %d bytes", splitBytes)
                    .isEqualTo(splits(file, splitBytes, LineRecordReader::new))
                    .anySatisfy(lines -> assertThat(lines).isNotEmpty());
        }
    }

    @Test
    void leavesCompressedFilesToHadoopsReader() throws IOException, InterruptedException {
        Path file = dir.resolve("day.om.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("a 1\nb 2\r\nc 3".getBytes(StandardCharsets.UTF_8));
        }
        long length = Files.size(file);

        assertThat(splits(file, length, TextSplitFormat.SplitReader::new))
                .isEqualTo(splits(file, length, LineRecordReader::new))
                .containsExactly(List.of("0:a 1", "4:b 2", "9:c 3"));
    }

    @Test
    void findsTheFirstLineEndOfAWord() {
        byte[] bytes = "abcdefgh\rjklmnop\nqrs".getBytes(StandardCharsets.US_ASCII);

        assertThat(TextSplitFormat.SplitReader.terminator(bytes, 0, bytes.length)).isEqualTo(8);
        assertThat(TextSplitFormat.SplitReader.terminator(bytes, 9, bytes.length)).isEqualTo(16);
        assertThat(TextSplitFormat.SplitReader.terminator(bytes, 17, bytes.length)).isEqualTo(-1);
        // Bytes above 0x7F (UTF-8) borrow in the word's arithmetic; none of them is a line end.
        byte[] high = new byte[24];
        java.util.Arrays.fill(high, (byte) 0x8A);
        high[19] = '\n';
        assertThat(TextSplitFormat.SplitReader.terminator(high, 0, high.length)).isEqualTo(19);
    }

    private Path write(String name, byte[] bytes) throws IOException, InterruptedException {
        return Files.write(dir.resolve(name), bytes);
    }

    /** Each split's records as "offset:line", split after split, as FileInputFormat cuts a file into splits. */
    private List<List<String>> splits(Path file, long splitBytes, ReaderFactory readers) throws IOException, InterruptedException {
        long length = Files.size(file);
        List<List<String>> splits = new ArrayList<>();
        for (long start = 0; start < length; start += splitBytes) {
            List<String> lines = new ArrayList<>();
            try (RecordReader<LongWritable, Text> reader = readers.create()) {
                reader.initialize(new FileSplit(new org.apache.hadoop.fs.Path(file.toUri()), start,
                        Math.min(splitBytes, length - start), new String[0]), context);
                while (reader.nextKeyValue()) {
                    lines.add(reader.getCurrentKey().get() + ":" + reader.getCurrentValue());
                }
            }
            splits.add(lines);
        }
        return splits;
    }

    private interface ReaderFactory {
        RecordReader<LongWritable, Text> create();
    }
}
