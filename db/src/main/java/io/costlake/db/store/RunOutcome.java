package io.costlake.db.store;

import static java.util.Objects.requireNonNull;

import java.time.LocalDate;

/** Input counts and audited totals of a successful (cluster, day) run, as stored in cost_run. */
public record RunOutcome(
        String cluster,
        LocalDate day,
        long samplesRead,
        long samplesLoaded,
        long samplesQuarantined,
        long samplesIgnored,
        long samplesOtherDay,
        long containerSamples,
        long unpricedSamples,
        double nodeCost,
        double volumeCost,
        double namespaceCost,
        double conservationDelta,
        double conservationRelativeDelta) {
    public RunOutcome {
        requireNonNull(cluster, "cluster is null");
        requireNonNull(day, "day is null");
        if (samplesRead != samplesLoaded + samplesQuarantined + samplesIgnored + samplesOtherDay) {
            throw new IllegalArgumentException("sample counts do not add up for " + cluster + " " + day);
        }
    }
}
