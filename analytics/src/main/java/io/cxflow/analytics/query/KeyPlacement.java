package io.cxflow.analytics.query;

import java.util.Objects;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Where one key of one store can be read now: on this instance ({@link Kind#LOCAL}), on another
 * ({@link Kind#REMOTE}), or nowhere until the group settles ({@link Kind#UNAVAILABLE}, with the reason).
 *
 * @param kind where
 * @param host the instance hosting the key's active task (null when unavailable)
 * @param partition the key's partition of the store (-1 when unavailable)
 * @param reason why it is unavailable (null otherwise)
 */
record KeyPlacement(Kind kind, HostInfo host, int partition, String reason) {

    /** Where a key can be read. */
    enum Kind {
        LOCAL,
        REMOTE,
        UNAVAILABLE
    }

    KeyPlacement {
        Objects.requireNonNull(kind, "kind");
    }

    static KeyPlacement unavailable(String reason) {
        return new KeyPlacement(Kind.UNAVAILABLE, null, -1, Objects.requireNonNull(reason, "reason"));
    }

    /**
     * The routing decision for a key from Kafka Streams' metadata.
     *
     * @param store the store asked about, for the reason
     * @param metadata {@code KafkaStreams.queryMetadataForKey}'s answer: null when the running topology
     *     has no such store, {@link KeyQueryMetadata#NOT_AVAILABLE} while Streams (re)initializes
     * @param self this instance as advertised in {@code application.server}
     */
    static KeyPlacement of(String store, KeyQueryMetadata metadata, HostInfo self) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(self, "self");
        if (metadata == null) {
            return unavailable("store " + store + " is not part of the running topology");
        }
        if (metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)
                || metadata.partition() < 0
                || metadata.activeHost() == null
                || metadata.activeHost().equals(HostInfo.unavailable())) {
            return unavailable("no instance hosts the " + store + " partition of this key now (rebalancing)");
        }
        Kind kind = metadata.activeHost().equals(self) ? Kind.LOCAL : Kind.REMOTE;
        return new KeyPlacement(kind, metadata.activeHost(), metadata.partition(), null);
    }

    boolean isLocal() {
        return kind == Kind.LOCAL;
    }

    boolean isRemote() {
        return kind == Kind.REMOTE;
    }

    /** Throws {@link ProfileQueries.UnavailableException} with the reason when nobody hosts the key. */
    KeyPlacement requireAvailable() {
        if (kind == Kind.UNAVAILABLE) {
            throw new ProfileQueries.UnavailableException(reason);
        }
        return this;
    }
}
