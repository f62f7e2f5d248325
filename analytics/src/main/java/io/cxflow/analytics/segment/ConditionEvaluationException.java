package io.cxflow.analytics.segment;

/** A compiled condition that could not be evaluated for one profile. */
public final class ConditionEvaluationException extends RuntimeException {

    public ConditionEvaluationException(String message, Throwable cause) {
        super(message, cause);
    }
}
