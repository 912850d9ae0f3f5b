package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The fonts embedded in a report (subsets only, so the PDF stays small): DejaVu Sans for Latin text and
 * Droid Sans Fallback for CJK. Droid has no Latin glyphs and DejaVu no CJK ones, so every string is set
 * in runs, each character in the first face that has it; a character neither has becomes '?', because
 * PDFBox would otherwise throw on it and one odd namespace name must not cost the whole report.
 */
final class ReportFonts {
    private static final String DIRECTORY = "/io/costlake/reports/fonts/";
    private static final byte[] REGULAR = resource("DejaVuSans.ttf");
    private static final byte[] BOLD = resource("DejaVuSans-Bold.ttf");
    private static final byte[] CJK = resource("DroidSansFallbackFull.ttf");

    private final Face regular;
    private final Face bold;
    private final Face cjk;

    ReportFonts(PDDocument document) {
        requireNonNull(document, "document is null");
        this.regular = Face.load(document, REGULAR);
        this.bold = Face.load(document, BOLD);
        this.cjk = Face.load(document, CJK);
    }

    /** Draws {@code text} with its baseline starting at (x, y). */
    void show(PDPageContentStream stream, String text, float x, float y, float size, boolean strong)
            throws IOException {
        stream.beginText();
        stream.newLineAtOffset(x, y);
        for (Run run : runs(text, strong)) {
            stream.setFont(run.font(), size);
            stream.showText(run.text());
        }
        stream.endText();
    }

    float width(String text, float size, boolean strong) {
        float width = 0;
        try {
            for (Run run : runs(text, strong)) {
                width += run.font().getStringWidth(run.text()) / 1000f * size;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure text", e);
        }
        return width;
    }

    /** {@code text} cut to {@code width} points, ending in an ellipsis when it had to be cut. */
    String fit(String text, float width, float size, boolean strong) {
        if (width(text, size, strong) <= width) {
            return text;
        }
        int[] codePoints = text.codePoints().toArray();
        int low = 0;
        int high = codePoints.length;
        while (low < high) {
            int middle = (low + high + 1) / 2;
            if (width(new String(codePoints, 0, middle) + "…", size, strong) <= width) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return new String(codePoints, 0, low).stripTrailing() + "…";
    }

    /** Splits {@code text} into lines no wider than {@code width}, breaking at spaces where possible. */
    List<String> wrap(String text, float width, float size, boolean strong) {
        List<String> lines = new ArrayList<>();
        for (String paragraph : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            for (String word : paragraph.split(" ")) {
                String candidate = line.isEmpty() ? word : line + " " + word;
                if (width(candidate, size, strong) <= width || line.isEmpty() && word.isEmpty()) {
                    line.setLength(0);
                    line.append(candidate);
                    continue;
                }
                if (!line.isEmpty()) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                // A word wider than the line (a long pod name, CJK text without spaces) is broken anywhere.
                String rest = word;
                while (width(rest, size, strong) > width) {
                    int cut = fitCount(rest, width, size, strong);
                    lines.add(rest.substring(0, cut));
                    rest = rest.substring(cut);
                }
                line.append(rest);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private int fitCount(String text, float width, float size, boolean strong) {
        int end = text.offsetByCodePoints(0, 1);
        while (end < text.length()) {
            int next = text.offsetByCodePoints(end, 1);
            if (width(text.substring(0, next), size, strong) > width) {
                break;
            }
            end = next;
        }
        return end;
    }

    private List<Run> runs(String text, boolean strong) {
        Face primary = strong ? bold : regular;
        List<Run> runs = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        Face currentFace = null;
        for (int codePoint : text.codePoints().toArray()) {
            if (Character.isISOControl(codePoint) || Character.isWhitespace(codePoint)) {
                codePoint = ' ';
            }
            Face face = primary.has(codePoint) ? primary : cjk.has(codePoint) ? cjk : primary;
            if (!face.has(codePoint)) {
                codePoint = '?';
            }
            if (face != currentFace && !current.isEmpty()) {
                runs.add(new Run(currentFace.font(), current.toString()));
                current.setLength(0);
            }
            currentFace = face;
            current.appendCodePoint(codePoint);
        }
        if (!current.isEmpty()) {
            runs.add(new Run(currentFace.font(), current.toString()));
        }
        return runs;
    }

    private record Run(PDFont font, String text) {
    }

    /** A loaded font and its Unicode cmap, to ask which characters it can draw. */
    private record Face(PDType0Font font, TrueTypeFont trueType, org.apache.fontbox.ttf.CmapLookup cmap) {
        static Face load(PDDocument document, byte[] bytes) {
            try {
                // The TrueTypeFont stays open until the document is saved: the subset is built then.
                TrueTypeFont trueType = new TTFParser().parse(new RandomAccessReadBuffer(bytes));
                PDType0Font font = PDType0Font.load(document, trueType, true);
                return new Face(font, trueType, trueType.getUnicodeCmapLookup());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load a report font", e);
            }
        }

        boolean has(int codePoint) {
            return cmap.getGlyphId(codePoint) > 0;
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = ReportFonts.class.getResourceAsStream(DIRECTORY + name)) {
            if (in == null) {
                throw new IllegalStateException("font " + name + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read font " + name, e);
        }
    }
}
