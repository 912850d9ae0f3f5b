package io.costlake.reports;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;
import java.util.Optional;

/** The days (inclusive) a report covers, optionally narrowed to one cluster and one cost pool. */
public record ReportPeriod(LocalDate from, LocalDate to, Optional<String> cluster, Optional<String> costPool) {
    public ReportPeriod {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        requireNonNull(cluster, "cluster is null");
        requireNonNull(costPool, "costPool is null");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("report period ends (" + to + ") before it starts (" + from + ")");
        }
    }

    public static ReportPeriod of(LocalDate from, LocalDate to) {
        return new ReportPeriod(from, to, Optional.empty(), Optional.empty());
    }

    /** File-name suffix: {@code 2026-11-01} for one day, {@code 2026-11-01_2026-11-30} for a range. */
    public String label() {
        return from.equals(to) ? from.toString() : from + "_" + to;
    }
}
