package io.cxflow.analytics.query;

import java.util.Optional;

/**
 * The reads behind the query API, each about one key of one store and answered by the instance that
 * hosts that key: {@link LocalStoreReads} on this instance, {@link RoutingStoreReads} from any instance.
 * None of them follows a redirect unless it says so.
 */
interface StoreReads {

    /** The profile document stored under exactly this customer id. */
    Optional<Document> profile(String customerId);

    /** The memberships document of exactly this customer id; empty when it has no profile. */
    Optional<Document> memberships(String customerId);

    /** The customer an identifier belongs to, redirects followed ({@link IdentityResolution#customerOf}). */
    Optional<String> customerOf(IdentifierKey identifier);

    /** The customer an id now belongs to: itself unless absorbed ({@link IdentityResolution#survivorOf}). */
    String survivorOf(String customerId);
}
