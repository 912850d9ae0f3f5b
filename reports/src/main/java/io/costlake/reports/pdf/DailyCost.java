package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Total and idle cost of one day of the period (all clusters in scope). */
record DailyCost(LocalDate day, BigDecimal total, BigDecimal idle) {
    DailyCost {
        requireNonNull(day, "day is null");
        requireNonNull(total, "total is null");
        requireNonNull(idle, "idle is null");
    }
}
