package io.costlake.jobs.nightly;

/** Another process is running the nightly job on the same cost schema; this one started nothing. */
public final class RunInProgressException extends RuntimeException {
    public RunInProgressException(String message) {
        super(message);
    }
}
