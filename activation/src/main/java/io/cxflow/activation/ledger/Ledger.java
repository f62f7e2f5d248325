package io.cxflow.activation.ledger;

import java.util.Collection;

/**
 * The durable memory of activation, per customer: which decisions were intended, done, failed or
 * deferred, and when — for idempotency across crashes and rebalances, and for frequency caps.
 * Implementations are thread-safe; writes of one customer come from one thread at a time (the owner
 * of the customer's partition, or the deferred-decision scheduler under {@link #lock}).
 */
public interface Ledger extends AutoCloseable {

    /** The customer's current history (empty when unknown). */
    CustomerHistory history(String customerId);

    /**
     * Writes {@code entry} for the customer and returns once it is durable.
     *
     * @throws LedgerException when the write could not be made durable
     */
    CustomerHistory append(String customerId, LedgerEntry entry) throws InterruptedException;

    /** A lock that serialises the work on one customer between the dispatcher and the scheduler. */
    Object lock(String customerId);

    /** The customer ids with pending entries ({@link LedgerEntry#isPending}). */
    Collection<String> customersWithPending();

    @Override
    default void close() {}

    /** A ledger write failed; the record being processed is not committed and runs again. */
    final class LedgerException extends RuntimeException {
        public LedgerException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
