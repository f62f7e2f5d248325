package io.cxflow.analytics.query;

import java.util.Optional;

/**
 * The questions of the profile query API, answered with the documents of the instance that hosts each
 * key. An absorbed customer id answers with the document of the customer it now belongs to (the
 * document's {@link Document#customerId()} tells which).
 */
public interface ProfileQueries {

    /** The profile document of a customer (or of the customer it was merged into). */
    Optional<Document> profile(String customerId);

    /** The profile document of the customer an identifier belongs to. */
    Optional<Document> lookup(IdentifierKey identifier);

    /**
     * The segment memberships document of a customer (or of the customer it was merged into); empty when
     * there is no such profile.
     */
    Optional<Document> memberships(String customerId);

    /**
     * Thrown when a store cannot be read right now: the instance is starting, rebalancing or restoring,
     * the instance hosting the key did not answer, or the running topology has no such store. The caller
     * answers 503 with {@code Retry-After} and the client retries.
     */
    final class UnavailableException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public UnavailableException(String message) {
            super(message);
        }

        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Thrown when the instance hosting a key gave an answer this instance cannot use (502). */
    final class ForwardingException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public ForwardingException(String message) {
            super(message);
        }
    }

    /** Thrown when a customer id's redirects loop or go on for more than the allowed hops (500). */
    final class RedirectChainException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        public RedirectChainException(String message) {
            super(message);
        }
    }
}
