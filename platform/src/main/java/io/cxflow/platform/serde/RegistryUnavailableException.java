package io.cxflow.platform.serde;

import org.apache.kafka.common.errors.RetriableException;

/**
 * The schema registry could not be reached, did not answer in time, or answered with a server error: the
 * record is not at fault, and the same call may succeed later. A {@link RetriableException}, so a Kafka
 * Streams application's failure policy fails the task (the record is read again after a restart) instead
 * of rejecting the record. It is the cause (somewhere in the chain) of the {@code SerializationException}
 * a serde throws.
 */
public final class RegistryUnavailableException extends RetriableException {

    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
