package io.costlake.reports.pdf;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Top N + "other": a chart or table of 5,000 namespaces is unreadable, so the N largest are shown by
 * name and the rest are summed into one "other (k namespaces)" entry, which keeps the total intact.
 */
final class RankedCosts {
    private final int limit;
    private final String noun;

    RankedCosts(int limit, String noun) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive, got " + limit);
        }
        this.limit = limit;
        this.noun = requireNonNull(noun, "noun is null");
    }

    List<NamedCost> top(List<NamedCost> costs) {
        List<NamedCost> sorted = new ArrayList<>(requireNonNull(costs, "costs is null"));
        sorted.sort(Comparator.comparing(NamedCost::cost).reversed().thenComparing(NamedCost::name));
        // One "other" entry for a single leftover name would hide it for nothing: show it instead.
        if (sorted.size() <= limit + 1) {
            return List.copyOf(sorted);
        }
        List<NamedCost> top = new ArrayList<>(sorted.subList(0, limit));
        BigDecimal rest = BigDecimal.ZERO;
        int members = 0;
        for (NamedCost cost : sorted.subList(limit, sorted.size())) {
            rest = rest.add(cost.cost());
            members += cost.members();
        }
        top.add(new NamedCost("other (" + FigureFormat.count(members) + " " + noun + ")", rest, members));
        return List.copyOf(top);
    }
}
