package io.costlake.costmodel.audit;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What attributing a day produced: one conservation audit per cluster. */
public record AttributionResult(List<ClusterDayAudit> audits) {
    public AttributionResult {
        audits = List.copyOf(requireNonNull(audits, "audits is null"));
    }

    public double totalCost() {
        return audits.stream().mapToDouble(ClusterDayAudit::namespaceCost).sum();
    }
}
