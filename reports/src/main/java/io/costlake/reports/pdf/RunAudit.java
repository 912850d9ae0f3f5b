package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The conservation audit of the latest run of a (cluster, day): namespace costs must equal node plus
 * volume costs (DESIGN §4). Totals are empty for runs that failed before the audit.
 */
record RunAudit(String cluster, LocalDate day, String status, Optional<BigDecimal> nodeCost,
        Optional<BigDecimal> volumeCost, Optional<BigDecimal> namespaceCost, OptionalDouble delta,
        OptionalDouble relativeDelta) {
    /** DESIGN §4: the books balance to a relative 1e-9 before rounding. */
    static final double TOLERANCE = 1e-9;

    RunAudit {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(day, "day is null");
        requireNonNull(status, "status is null");
        requireNonNull(nodeCost, "nodeCost is null");
        requireNonNull(volumeCost, "volumeCost is null");
        requireNonNull(namespaceCost, "namespaceCost is null");
        requireNonNull(delta, "delta is null");
        requireNonNull(relativeDelta, "relativeDelta is null");
    }

    boolean balanced() {
        return "succeeded".equals(status) && relativeDelta.isPresent()
                && Math.abs(relativeDelta.getAsDouble()) <= TOLERANCE;
    }
}
