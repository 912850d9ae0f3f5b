package io.costlake.reports.pdf;

import org.apache.pdfbox.pdmodel.common.PDRectangle;

/** Paper the PDF report is laid out for; A4 is the default, Letter for North American readers. */
public enum PageSize {
    A4(PDRectangle.A4),
    LETTER(PDRectangle.LETTER);

    private final PDRectangle rectangle;

    PageSize(PDRectangle rectangle) {
        this.rectangle = rectangle;
    }

    PDRectangle rectangle() {
        return new PDRectangle(rectangle.getWidth(), rectangle.getHeight());
    }

    /** {@code a4} or {@code letter}, case-insensitive, as a command line passes it. */
    public static PageSize parse(String name) {
        for (PageSize size : values()) {
            if (size.name().equalsIgnoreCase(name.trim())) {
                return size;
            }
        }
        throw new IllegalArgumentException("unknown page size '" + name + "', expected a4 or letter");
    }
}
