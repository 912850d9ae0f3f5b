package io.costlake.ingest.openmetrics;

/** A line of exposition text that is not a valid sample; the message is the quarantine reason. */
public final class MalformedLineException extends Exception {
    public MalformedLineException(String reason) {
        super(reason, null, false, false);
    }
}
