package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Lays report content out top to bottom over as many pages as it needs: a block that does not fit on
 * the page starts the next one, tables break between rows and repeat their header. Page numbers are
 * written last, when the page count is known.
 */
final class PageFlow {
    static final Color INK = new Color(0x1F2933);
    static final Color MUTED = new Color(0x6B7280);
    static final Color ACCENT = new Color(0x1D4ED8);
    static final Color ALERT = new Color(0xB91C1C);
    static final Color RULE = new Color(0xD1D5DB);
    static final Color BAND = new Color(0xF3F4F6);
    static final Color HEADER = new Color(0xE5E7EB);

    static final float MARGIN = 50;
    static final float BODY = 9.5f;
    static final float TABLE = 8.5f;
    private static final float FOOTER_SPACE = 30;
    private static final float CELL_PAD = 3.5f;

    private final PDDocument document;
    private final PDRectangle size;
    private final ReportFonts fonts;
    private final String footer;
    private PDPageContentStream stream;
    private float y;

    PageFlow(PDDocument document, PDRectangle size, ReportFonts fonts, String footer) {
        this.document = requireNonNull(document, "document is null");
        this.size = requireNonNull(size, "size is null");
        this.fonts = requireNonNull(fonts, "fonts is null");
        this.footer = requireNonNull(footer, "footer is null");
    }

    float width() {
        return size.getWidth() - 2 * MARGIN;
    }

    /** Height left on the current page above the footer. */
    float remaining() {
        return stream == null ? 0 : y - (MARGIN + FOOTER_SPACE);
    }

    void newPage() {
        try {
            if (stream != null) {
                stream.close();
            }
            PDPage page = new PDPage(size);
            document.addPage(page);
            stream = new PDPageContentStream(document, page);
            y = size.getHeight() - MARGIN;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add a page", e);
        }
    }

    /** Starts a new page unless {@code height} points still fit on this one. */
    void keep(float height) {
        if (stream == null || remaining() < height) {
            newPage();
        }
    }

    void gap(float points) {
        y -= points;
    }

    /** A line of text at the current position, with {@code size} points of type; wraps when too long. */
    void text(String text, float fontSize, Color color, boolean strong) {
        for (String line : fonts.wrap(text, width(), fontSize, strong)) {
            keep(fontSize * 1.4f);
            y -= fontSize * 1.1f;
            draw(line, MARGIN, y, fontSize, color, strong);
            y -= fontSize * 0.35f;
        }
    }

    /** A section heading with a rule under it, kept on one page with the first {@code keepWith} points. */
    void heading(String title, float keepWith) {
        boolean atTop = stream != null && y >= size.getHeight() - MARGIN;
        // The heading's own height (space above, title, rule, space below) plus what must follow it, so a
        // heading never ends a page with its chart or table on the next one.
        keep((atTop ? 0 : 14) + 30 + keepWith + 8);
        if (y < size.getHeight() - MARGIN) {
            y -= 14;
        }
        y -= 14;
        draw(title, MARGIN, y, 14, INK, true);
        y -= 6;
        try {
            stream.setStrokingColor(ACCENT);
            stream.setLineWidth(1.2f);
            stream.moveTo(MARGIN, y);
            stream.lineTo(MARGIN + width(), y);
            stream.stroke();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        y -= 10;
    }

    /** Headline figures as cards, {@code perRow} to a row. */
    void cards(List<FigureCard> cards, int perRow) {
        float gutter = 10;
        float cardWidth = (width() - gutter * (perRow - 1)) / perRow;
        float cardHeight = 62;
        for (int i = 0; i < cards.size(); i += perRow) {
            keep(cardHeight + gutter);
            float top = y;
            for (int j = 0; j < perRow && i + j < cards.size(); j++) {
                FigureCard card = cards.get(i + j);
                float x = MARGIN + j * (cardWidth + gutter);
                fill(BAND, x, top - cardHeight, cardWidth, cardHeight);
                fill(card.alert() ? ALERT : ACCENT, x, top - cardHeight, 3, cardHeight);
                float inner = cardWidth - 18;
                draw(fonts.fit(card.label(), inner, 8.5f, false), x + 11, top - 16, 8.5f, MUTED, false);
                draw(fonts.fit(card.value(), inner, 17, true), x + 11, top - 38, 17, card.alert() ? ALERT : INK, true);
                draw(fonts.fit(card.detail(), inner, 7.5f, false), x + 11, top - 53, 7.5f, MUTED, false);
            }
            y = top - cardHeight - gutter;
        }
    }

    /** A chart (or any picture) across the full text width, {@code height} points high. */
    void image(BufferedImage image, float height) {
        keep(height + 6);
        try {
            PDImageXObject picture = LosslessFactory.createFromImage(document, image);
            y -= height;
            stream.drawImage(picture, MARGIN, y, width(), height);
            y -= 6;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot embed a chart", e);
        }
    }

    void table(TextTable table) {
        float[] widths = new float[table.columns().size()];
        float weights = 0;
        for (TextTable.Column column : table.columns()) {
            weights += column.weight();
        }
        for (int i = 0; i < widths.length; i++) {
            widths[i] = width() * table.columns().get(i).weight() / weights;
        }
        float lineHeight = TABLE * 1.3f;
        List<List<String>> headers = headerLines(table, widths);
        int headerLineCount = headers.stream().mapToInt(List::size).max().orElse(1);
        float headerHeight = rowHeight(List.of(headers.get(0)), lineHeight) + (headerLineCount - 1) * lineHeight;
        List<List<List<String>>> laidOut = new ArrayList<>();
        for (TextTable.Row row : table.rows()) {
            laidOut.add(cellLines(table, row, widths));
        }
        keep(headerHeight + (laidOut.isEmpty() ? 0 : rowHeight(laidOut.get(0), lineHeight)));
        header(table, headers, widths, headerHeight);
        for (int r = 0; r < laidOut.size(); r++) {
            List<List<String>> cells = laidOut.get(r);
            float height = rowHeight(cells, lineHeight);
            if (remaining() < height) {
                newPage();
                header(table, headers, widths, headerHeight);
            }
            TextTable.Emphasis emphasis = table.rows().get(r).emphasis();
            if (r % 2 == 1) {
                fill(BAND, MARGIN, y - height, width(), height);
            }
            Color color = switch (emphasis) {
                case MUTED -> MUTED;
                case ALERT -> ALERT;
                default -> INK;
            };
            boolean strong = emphasis == TextTable.Emphasis.TOTAL;
            float x = MARGIN;
            for (int c = 0; c < cells.size(); c++) {
                TextTable.Column column = table.columns().get(c);
                float lineY = y - CELL_PAD - TABLE;
                for (String line : cells.get(c)) {
                    float fontSize = TABLE;
                    if (column.align() == TextTable.Align.RIGHT) {
                        // A cut number is a wrong number: set a figure that is too wide in smaller type instead.
                        float inner = widths[c] - 2 * CELL_PAD;
                        fontSize = Math.min(TABLE, TABLE * inner / Math.max(1, fonts.width(line, TABLE, strong)));
                    }
                    float textX = column.align() == TextTable.Align.RIGHT
                            ? x + widths[c] - CELL_PAD - fonts.width(line, fontSize, strong)
                            : x + CELL_PAD;
                    draw(line, textX, lineY, fontSize, color, strong);
                    lineY -= lineHeight;
                }
                x += widths[c];
            }
            y -= height;
            if (emphasis == TextTable.Emphasis.TOTAL) {
                rule(INK, 0.8f, y + height);
            }
        }
        rule(RULE, 0.6f, y);
        y -= 8;
    }

    /** Writes "Page i of n" and the footer line on every page; call once, after the last page. */
    void finish() {
        try {
            if (stream != null) {
                stream.close();
                stream = null;
            }
            int pages = document.getNumberOfPages();
            for (int i = 0; i < pages; i++) {
                PDPage page = document.getPage(i);
                try (PDPageContentStream footerStream = new PDPageContentStream(document, page,
                        PDPageContentStream.AppendMode.APPEND, true, true)) {
                    float baseline = MARGIN - 18;
                    String number = "Page " + (i + 1) + " of " + pages;
                    footerStream.setStrokingColor(RULE);
                    footerStream.setLineWidth(0.6f);
                    footerStream.moveTo(MARGIN, baseline + 12);
                    footerStream.lineTo(MARGIN + width(), baseline + 12);
                    footerStream.stroke();
                    footerStream.setNonStrokingColor(MUTED);
                    float numberWidth = fonts.width(number, 8, false);
                    fonts.show(footerStream, fonts.fit(footer, width() - numberWidth - 20, 8, false), MARGIN,
                            baseline, 8, false);
                    fonts.show(footerStream, number, MARGIN + width() - numberWidth, baseline, 8, false);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot number the pages", e);
        }
    }

    /** Headers wrap to two lines rather than lose their words ("Used core-h" beats "Used co…"). */
    private List<List<String>> headerLines(TextTable table, float[] widths) {
        List<List<String>> headers = new ArrayList<>();
        for (int c = 0; c < widths.length; c++) {
            float inner = widths[c] - 2 * CELL_PAD;
            List<String> lines = fonts.wrap(table.columns().get(c).header(), inner, TABLE, true);
            if (lines.size() > 2) {
                lines = List.of(lines.get(0), fonts.fit(String.join(" ", lines.subList(1, lines.size())), inner,
                        TABLE, true));
            }
            headers.add(lines);
        }
        return headers;
    }

    private void header(TextTable table, List<List<String>> headers, float[] widths, float height) {
        fill(HEADER, MARGIN, y - height, width(), height);
        float x = MARGIN;
        float lineHeight = TABLE * 1.3f;
        int most = headers.stream().mapToInt(List::size).max().orElse(1);
        for (int c = 0; c < widths.length; c++) {
            TextTable.Column column = table.columns().get(c);
            List<String> lines = headers.get(c);
            // Bottom-aligned, so one-line headers sit on the same baseline as the last line of two-line ones.
            float lineY = y - CELL_PAD - TABLE - (most - lines.size()) * lineHeight;
            for (String text : lines) {
                float textX = column.align() == TextTable.Align.RIGHT
                        ? x + widths[c] - CELL_PAD - fonts.width(text, TABLE, true)
                        : x + CELL_PAD;
                draw(text, textX, lineY, TABLE, INK, true);
                lineY -= lineHeight;
            }
            x += widths[c];
        }
        y -= height;
    }

    private List<List<String>> cellLines(TextTable table, TextTable.Row row, float[] widths) {
        List<List<String>> cells = new ArrayList<>();
        boolean strong = row.emphasis() == TextTable.Emphasis.TOTAL;
        for (int c = 0; c < widths.length; c++) {
            float inner = widths[c] - 2 * CELL_PAD;
            int maxLines = table.columns().get(c).maxLines();
            List<String> lines = fonts.wrap(row.cells().get(c), inner, TABLE, strong);
            if (lines.size() > maxLines) {
                List<String> cut = new ArrayList<>(lines.subList(0, maxLines));
                cut.set(maxLines - 1, fonts.fit(cut.get(maxLines - 1) + "…", inner, TABLE, strong));
                lines = cut;
            }
            if (maxLines == 1) {
                String text = row.cells().get(c).replace('\n', ' ');
                lines = List.of(table.columns().get(c).align() == TextTable.Align.RIGHT ? text
                        : fonts.fit(text, inner, TABLE, strong));
            }
            cells.add(lines);
        }
        return cells;
    }

    private static float rowHeight(List<List<String>> cells, float lineHeight) {
        int lines = 1;
        for (List<String> cell : cells) {
            lines = Math.max(lines, cell.size());
        }
        return lines * lineHeight + 2 * CELL_PAD - (lineHeight - TABLE * 1.15f);
    }

    private void draw(String text, float x, float baseline, float fontSize, Color color, boolean strong) {
        try {
            stream.setNonStrokingColor(color);
            fonts.show(stream, text, x, baseline, fontSize, strong);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw text", e);
        }
    }

    private void fill(Color color, float x, float bottom, float w, float h) {
        try {
            stream.setNonStrokingColor(color);
            stream.addRect(x, bottom, w, h);
            stream.fill();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void rule(Color color, float lineWidth, float at) {
        try {
            stream.setStrokingColor(color);
            stream.setLineWidth(lineWidth);
            stream.moveTo(MARGIN, at);
            stream.lineTo(MARGIN + width(), at);
            stream.stroke();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A headline figure: what it is, its value, and a line that explains it. */
    record FigureCard(String label, String value, String detail, boolean alert) {
        FigureCard {
            requireNonNull(label, "label is null");
            requireNonNull(value, "value is null");
            requireNonNull(detail, "detail is null");
        }
    }
}
