package io.cxflow.analytics.profile.internal;

import io.cxflow.avro.CustomerProfile;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The decoded form of the partial profiles encoded or read most recently in this process, by routing
 * key and content, so that neither the routing task's next event of a routing id nor the customer task
 * receiving the partials it was sent decodes them again. An entry is used only while its bytes equal the
 * bytes at hand (the store or the record stays the truth), so the entries may be shared by every task
 * and thread of the process, whichever customer a partial belongs to. Every version of a routing key is
 * an entry of its own: the routing task may fold several events of a busy routing id before the customer
 * task reads the partials it was sent (with the two newest versions per key kept, a third of the customer
 * task's partials were decoded again in the analytics benchmark). Thread-safe; bounded to the {@link
 * #CAPACITY} most recently used versions. The profiles handed out must not be modified.
 */
final class DecodedPartials {

    /** Versions kept for the process (a few hundred MB of decoded partials at most). */
    static final int CAPACITY = 65_536;

    /** One version of a routing key's partial: the key and the hash of its encoded bytes. */
    private record Version(String routingKey, int hash) {}

    private record Decoded(byte[] bytes, CustomerProfile partial) {}

    private static final Map<Version, Decoded> SHARED = lastUsed(CAPACITY);

    private final PartialCodec codec;
    private final Map<Version, Decoded> entries;

    private DecodedPartials(PartialCodec codec, Map<Version, Decoded> entries) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.entries = entries;
    }

    private static Map<Version, Decoded> lastUsed(int capacity) {
        return new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Version, Decoded> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The process-wide entries, decoding misses with {@code codec}. */
    static DecodedPartials shared(PartialCodec codec) {
        return new DecodedPartials(codec, SHARED);
    }

    /** Entries of its own holding at most {@code capacity} versions (tests). */
    static DecodedPartials local(PartialCodec codec, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        return new DecodedPartials(codec, lastUsed(capacity));
    }

    /**
     * The partial {@code bytes} encode ({@code null} for {@code null}).
     *
     * @param where the store or topic the bytes come from, named when they cannot be decoded
     * @param routingKey the routing key the partial belongs to
     */
    CustomerProfile get(String where, String routingKey, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        Version version = new Version(routingKey, Arrays.hashCode(bytes));
        synchronized (entries) {
            Decoded known = entries.get(version);
            if (known != null && (known.bytes() == bytes || Arrays.equals(known.bytes(), bytes))) {
                return known.partial();
            }
        }
        CustomerProfile partial = codec.decode(where, bytes);
        put(version, bytes, partial);
        return partial;
    }

    /** Remembers that {@code bytes}, the partial of {@code routingKey}, encode {@code partial}. */
    void put(String routingKey, byte[] bytes, CustomerProfile partial) {
        put(new Version(routingKey, Arrays.hashCode(bytes)), bytes, partial);
    }

    private void put(Version version, byte[] bytes, CustomerProfile partial) {
        Decoded decoded = new Decoded(bytes, partial);
        synchronized (entries) {
            entries.put(version, decoded);
        }
    }

    /** The number of versions kept (tests). */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
