package io.cxflow.analytics.query;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The query API's answers over {@link StoreReads}: a customer id is read from its profile owner first
 * (one hop in the common case), and only when it has no profile are the redirects asked whether it was
 * absorbed, in which case the survivor answers. An absorbed customer keeps no profile of its own (its
 * events belong to the survivor), so a profile found under an id is always the current one. Lookups ask
 * the identity index, then read the customer's profile.
 */
final class ResolvingProfileQueries implements ProfileQueries {

    private final StoreReads reads;

    ResolvingProfileQueries(StoreReads reads) {
        this.reads = Objects.requireNonNull(reads, "reads");
    }

    @Override
    public Optional<Document> profile(String customerId) {
        return followingRedirects(customerId, reads::profile);
    }

    @Override
    public Optional<Document> lookup(IdentifierKey identifier) {
        return reads.customerOf(identifier).flatMap(reads::profile);
    }

    @Override
    public Optional<Document> memberships(String customerId) {
        return followingRedirects(customerId, reads::memberships);
    }

    private Optional<Document> followingRedirects(String customerId, Function<String, Optional<Document>> read) {
        Optional<Document> direct = read.apply(customerId);
        if (direct.isPresent()) {
            return direct;
        }
        String survivor = reads.survivorOf(customerId);
        return survivor.equals(customerId) ? Optional.empty() : read.apply(survivor);
    }
}
