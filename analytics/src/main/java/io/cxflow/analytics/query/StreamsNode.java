package io.cxflow.analytics.query;

import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance as the query API sees it: the Kafka Streams client and the address it advertises in
 * {@code application.server}. Both are known only after the HTTP server has bound its port, so they are
 * {@linkplain #bind bound} once, before Streams starts; until then every read is unavailable.
 */
final class StreamsNode {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsNode.class);
    private static final Serializer<String> KEYS = Serdes.String().serializer();

    private record Bound(KafkaStreams streams, HostInfo self, String address) {}

    private volatile Bound bound;

    /** Binds the Streams client and this instance's advertised address; once. */
    void bind(KafkaStreams streams, HostInfo self) {
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(self, "self");
        synchronized (this) {
            if (bound != null) {
                throw new IllegalStateException("the query API is already bound to " + bound.address());
            }
            bound = new Bound(streams, self, QueryAddress.of(self));
        }
    }

    /** {@code host:port} as advertised; the value of the served-by header. */
    String address() {
        return bound().address();
    }

    /** Where a key of a store can be read now. */
    KeyPlacement locate(String store, String key) {
        Bound b = bound();
        KeyQueryMetadata metadata;
        try {
            metadata = b.streams().queryMetadataForKey(store, key, KEYS);
        } catch (RuntimeException e) {
            LOG.debug(
                    "no metadata for a key of store {} (streams {})",
                    store,
                    b.streams().state(),
                    e);
            return KeyPlacement.unavailable("the placement of " + store + " is not known now: streams is "
                    + b.streams().state());
        }
        return KeyPlacement.of(store, metadata, b.self());
    }

    /** Where a key can be read, required to be this instance. */
    KeyPlacement requireLocal(String store, String key) {
        KeyPlacement placement = locate(store, key).requireAvailable();
        if (!placement.isLocal()) {
            throw new ProfileQueries.UnavailableException("the " + store + " partition " + placement.partition()
                    + " is hosted by " + QueryAddress.of(placement.host()) + ", not by this instance");
        }
        return placement;
    }

    /** The active store partition of this instance. */
    <V> ReadOnlyKeyValueStore<String, V> store(String name, int partition) {
        Bound b = bound();
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters = StoreQueryParameters.fromNameAndType(
                        name, QueryableStoreTypes.<String, V>keyValueStore())
                .withPartition(partition);
        try {
            return b.streams().store(parameters);
        } catch (InvalidStateStoreException e) {
            throw new ProfileQueries.UnavailableException(
                    "store " + name + " partition " + partition + " is not queryable now: streams is "
                            + b.streams().state(),
                    e);
        }
    }

    private Bound bound() {
        Bound b = bound;
        if (b == null) {
            throw new ProfileQueries.UnavailableException("the analytics instance is starting");
        }
        return b;
    }
}
