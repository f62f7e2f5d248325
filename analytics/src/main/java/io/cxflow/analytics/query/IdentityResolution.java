package io.cxflow.analytics.query;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The rules that turn an identifier or a customer id into the customer that answers for it, over the
 * identity index and the redirects (each a lookup that gives {@code null} when the key is absent).
 */
final class IdentityResolution {

    private IdentityResolution() {}

    /**
     * The customer an identifier belongs to, redirects followed: the indexed customer; else, for a routing
     * id, the customer derived from it; else none.
     */
    static Optional<String> customerOf(
            IdentifierKey key, UnaryOperator<String> index, UnaryOperator<String> redirects) {
        String indexed = index.apply(key.key());
        if (indexed == null && !key.isRoutingId()) {
            return Optional.empty();
        }
        return Optional.of(survivorOf(indexed == null ? key.derivedCustomerId() : indexed, redirects));
    }

    /**
     * The customer an id now belongs to: the id itself when it was not absorbed, else the end of its chain
     * of redirects.
     *
     * @throws ProfileQueries.RedirectChainException when the chain is longer than {@value
     *     QueryStores#MAX_REDIRECT_HOPS} hops or loops
     */
    static String survivorOf(String customerId, UnaryOperator<String> redirects) {
        String current = customerId;
        for (int hop = 0; hop <= QueryStores.MAX_REDIRECT_HOPS; hop++) {
            String next = redirects.apply(current);
            if (next == null || next.equals(current)) {
                return current;
            }
            if (hop == QueryStores.MAX_REDIRECT_HOPS) {
                break;
            }
            current = next;
        }
        throw new ProfileQueries.RedirectChainException("customer id " + customerId + " is redirected more than "
                + QueryStores.MAX_REDIRECT_HOPS + " times (reached " + current + ")");
    }
}
