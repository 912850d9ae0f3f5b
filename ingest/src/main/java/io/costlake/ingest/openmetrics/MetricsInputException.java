package io.costlake.ingest.openmetrics;

/** Input that cannot be used at all (missing file, unreachable server): the run fails with this message. */
public final class MetricsInputException extends RuntimeException {
    public MetricsInputException(String message) {
        super(message);
    }

    public MetricsInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
