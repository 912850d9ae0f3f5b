package io.costlake.ingest.pricing;

/** A price book that cannot be used; the message names the file, the key and what is wrong. */
public final class PriceBookException extends RuntimeException {
    public PriceBookException(String message) {
        super(message);
    }
}
