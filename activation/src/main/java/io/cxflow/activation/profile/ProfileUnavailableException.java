package io.cxflow.activation.profile;

/**
 * The latest profile of a customer could not be read from analytics (unreachable, too slow, not ready,
 * or an answer that is not a profile document). Retriable: the decision is not judged or sent on an
 * older snapshot; the trigger that planned it is processed again later. The message names no personal
 * data.
 */
public final class ProfileUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProfileUnavailableException(String message) {
        super(message, null, false, false);
    }
}
