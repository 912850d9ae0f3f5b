package io.costlake.jobs.config;

/** Configuration that cannot be used; the message says which setting and what is wrong. */
public final class ConfigurationException extends RuntimeException {
    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
