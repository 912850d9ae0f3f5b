package io.costlake.jobs.cli;

import org.springframework.boot.context.properties.bind.BindException;

import io.costlake.costmodel.audit.ConservationViolation;
import io.costlake.ingest.openmetrics.MetricsInputException;
import io.costlake.ingest.pricing.PriceBookException;
import io.costlake.jobs.config.ConfigurationException;
import io.costlake.jobs.config.EffectiveSettings;
import io.costlake.jobs.nightly.RunInProgressException;

/** Process exit codes: scripts and CronJobs tell failures apart by them. */
public enum ExitCode {
    OK(0),
    INTERNAL_ERROR(1),
    USAGE(2),
    BAD_CONFIGURATION(3),
    UNUSABLE_INPUT(4),
    CONSERVATION_FAILED(5),
    /** Another run holds the nightly run lock of the same cost schema; nothing was done. */
    RUN_IN_PROGRESS(6);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The exit code for a failure, judged by the first cause costlake knows. */
    public static ExitCode of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MetricsInputException) {
                return UNUSABLE_INPUT;
            }
            if (cause instanceof ConservationViolation) {
                return CONSERVATION_FAILED;
            }
            if (cause instanceof RunInProgressException) {
                return RUN_IN_PROGRESS;
            }
            if (cause instanceof ConfigurationException || cause instanceof PriceBookException
                    || cause instanceof BindException) {
                return BAD_CONFIGURATION;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return INTERNAL_ERROR;
    }

    /** The message a user needs: the known cause's own message, not the wrapper's. */
    public static String messageOf(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof MetricsInputException || cause instanceof ConservationViolation
                    || cause instanceof ConfigurationException || cause instanceof PriceBookException
                    || cause instanceof RunInProgressException) {
                return cause.getMessage();
            }
            if (cause instanceof BindException bind) {
                return bindingMessage(bind);
            }
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == failure ? String.valueOf(failure.getMessage())
                : failure.getMessage() + " (caused by " + root + ")";
    }

    /** A setting that does not convert: which one, the value, where it came from and why. */
    private static String bindingMessage(BindException failure) {
        Throwable reason = failure;
        while (reason.getCause() != null && reason.getCause() != reason) {
            reason = reason.getCause();
        }
        String type = failure.getTarget().getType().resolve(Object.class).getSimpleName();
        if (failure.getProperty() == null) {
            return failure.getName() + ": cannot bind as " + type + ": " + reason.getMessage();
        }
        return "%s: '%s' is not a valid %s (from %s; %s)".formatted(failure.getName(),
                failure.getProperty().getValue(), type, EffectiveSettings.describe(failure.getProperty()),
                reason.getMessage());
    }
}
