package io.cxflow.analytics.query;

import java.util.Objects;
import java.util.Optional;

/**
 * Answers {@link StoreReads} on any instance: each read goes to the instance whose active task hosts the
 * key (Kafka Streams metadata, {@code application.server}): this instance's stores when that is this
 * instance, else one call to the owner's internal route, which answers from its own stores only. So a
 * question is forwarded at most once per read, and never in a loop.
 */
final class RoutingStoreReads implements StoreReads {

    private final StreamsNode node;
    private final LocalStoreReads local;
    private final PeerClient peers;

    RoutingStoreReads(StreamsNode node, LocalStoreReads local, PeerClient peers) {
        this.node = Objects.requireNonNull(node, "node");
        this.local = Objects.requireNonNull(local, "local");
        this.peers = Objects.requireNonNull(peers, "peers");
    }

    @Override
    public Optional<Document> profile(String customerId) {
        KeyPlacement placement = locate(QueryStores.PROFILES, customerId);
        return placement.isLocal() ? local.profile(customerId) : peers.profile(placement.host(), customerId);
    }

    @Override
    public Optional<Document> memberships(String customerId) {
        KeyPlacement placement = locate(QueryStores.PROFILES, customerId);
        return placement.isLocal() ? local.memberships(customerId) : peers.memberships(placement.host(), customerId);
    }

    @Override
    public Optional<String> customerOf(IdentifierKey identifier) {
        KeyPlacement placement = locate(QueryStores.IDENTITY_INDEX, identifier.key());
        return placement.isLocal() ? local.customerOf(identifier) : peers.customerOf(placement.host(), identifier);
    }

    @Override
    public String survivorOf(String customerId) {
        KeyPlacement placement = locate(QueryStores.IDENTITY_REDIRECTS, customerId);
        return placement.isLocal() ? local.survivorOf(customerId) : peers.survivorOf(placement.host(), customerId);
    }

    private KeyPlacement locate(String store, String key) {
        return node.locate(store, key).requireAvailable();
    }
}
