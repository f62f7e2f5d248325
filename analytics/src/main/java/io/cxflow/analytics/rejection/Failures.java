package io.cxflow.analytics.rejection;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The one place where analytics decides whether a failure belongs to the record (reject it and go on)
 * or to the infrastructure (the registry or the broker is unreachable: fail, so the stream thread is
 * replaced and the record is read again once the outage is over, instead of rejecting good records).
 */
public final class Failures {

    private static final int MAX_CAUSE_DEPTH = 16;

    private Failures() {}

    /** Whether the failure comes from an unreachable or failing dependency rather than the record. */
    public static boolean isTransient(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++) {
            if (t instanceof IOException
                    || t instanceof UncheckedIOException
                    || t instanceof RetriableException
                    || t instanceof java.util.concurrent.TimeoutException) {
                return true;
            }
            t = t.getCause();
        }
        return false;
    }

    /** A short description of a failure for a rejection reason: its type and message, no stack. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && depth < MAX_CAUSE_DEPTH; depth++) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String text = root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
        return text.length() > 500 ? text.substring(0, 500) : text;
    }
}
