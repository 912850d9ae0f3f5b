package io.costlake.costmodel.audit;

/** A cluster-day whose namespace costs do not add up to its node and volume costs: the run fails. */
public final class ConservationViolation extends RuntimeException {
    public ConservationViolation(String message) {
        super(message);
    }
}
