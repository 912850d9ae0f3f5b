package io.costlake.reports.pdf;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * How numbers read in the PDF: dollars with thousands separators and cents, shares as percent. Fixed to
 * English symbols so a report looks the same wherever it is rendered (CSV, not PDF, is for machines).
 */
final class FigureFormat {
    private static final DecimalFormatSymbols SYMBOLS = DecimalFormatSymbols.getInstance(Locale.ROOT);

    private FigureFormat() {
    }

    static String money(BigDecimal amount) {
        BigDecimal cents = amount.setScale(2, RoundingMode.HALF_EVEN);
        String digits = new DecimalFormat("#,##0.00", SYMBOLS).format(cents.abs());
        return (cents.signum() < 0 ? "-$" : "$") + digits;
    }

    static String percent(double share) {
        return new DecimalFormat("0.0", SYMBOLS).format(share * 100) + "%";
    }

    static String percent(OptionalDouble share) {
        return share.isPresent() ? percent(share.getAsDouble()) : "–";
    }

    static String count(long count) {
        return new DecimalFormat("#,##0", SYMBOLS).format(count);
    }

    static String hours(double hours) {
        return new DecimalFormat("#,##0.0", SYMBOLS).format(hours);
    }

    /** Relative conservation delta, e.g. 3.2e-12; exact zero reads as 0. */
    static String scientific(double value) {
        return value == 0 ? "0" : String.format(Locale.ROOT, "%.1e", value);
    }
}
