package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * A cost summed over the period under one name (a namespace, a cost pool), or the "other" bucket that
 * stands for {@code members} names below the top N.
 */
record NamedCost(String name, BigDecimal cost, int members) {
    NamedCost {
        requireNonNull(name, "name is null");
        requireNonNull(cost, "cost is null");
        if (members < 1) {
            throw new IllegalArgumentException("a named cost stands for at least one name, got " + members);
        }
    }

    NamedCost(String name, BigDecimal cost) {
        this(name, cost, 1);
    }

    boolean isOther() {
        return members > 1;
    }
}
