package io.cxflow.analytics.profile.internal;

import io.cxflow.avro.CustomerProfile;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The decoded form of the partial profiles encoded or read most recently in this process, by routing
 * key, so that neither the routing task's next event of a routing id nor the customer task receiving
 * the partial it was just sent decodes it again. An entry is used only while its bytes equal the bytes
 * at hand (the store or the record stays the truth), so the entries may be shared by every task and
 * thread of the process, whichever customer a partial belongs to. The last {@link #VERSIONS} versions of
 * a routing key are kept: the routing task may have folded the next events of a busy routing id before
 * the customer task reads the partial it was sent first. Thread-safe; bounded to the {@link #CAPACITY}
 * most recently used routing keys. The profiles handed out must not be modified.
 */
final class DecodedPartials {

    /** Routing keys kept for the process (a few hundred MB of decoded partials at most). */
    static final int CAPACITY = 32_768;

    /** Versions kept per routing key. */
    static final int VERSIONS = 2;

    private record Decoded(byte[] bytes, CustomerProfile partial) {}

    /** The most recent versions of one routing key, newest first. */
    private static final class Versions {
        final Decoded[] recent = new Decoded[VERSIONS];

        CustomerProfile find(byte[] bytes) {
            for (Decoded decoded : recent) {
                if (decoded != null && (decoded.bytes() == bytes || Arrays.equals(decoded.bytes(), bytes))) {
                    return decoded.partial();
                }
            }
            return null;
        }

        void add(Decoded decoded) {
            System.arraycopy(recent, 0, recent, 1, VERSIONS - 1);
            recent[0] = decoded;
        }
    }

    private static final Map<String, Versions> SHARED = new LinkedHashMap<>(1 << 16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Versions> eldest) {
            return size() > CAPACITY;
        }
    };

    private final PartialCodec codec;
    private final Map<String, Versions> entries;

    private DecodedPartials(PartialCodec codec, Map<String, Versions> entries) {
        this.codec = Objects.requireNonNull(codec, "codec");
        this.entries = entries;
    }

    /** The process-wide entries, decoding misses with {@code codec}. */
    static DecodedPartials shared(PartialCodec codec) {
        return new DecodedPartials(codec, SHARED);
    }

    /** Entries of its own holding at most {@code capacity} routing keys (tests). */
    static DecodedPartials local(PartialCodec codec, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        return new DecodedPartials(codec, new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Versions> eldest) {
                return size() > capacity;
            }
        });
    }

    /**
     * The partial {@code bytes} encode ({@code null} for {@code null}).
     *
     * @param routingKey the routing key the partial belongs to
     */
    CustomerProfile get(String where, String routingKey, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        synchronized (entries) {
            Versions known = entries.get(routingKey);
            CustomerProfile partial = known == null ? null : known.find(bytes);
            if (partial != null) {
                return partial;
            }
        }
        CustomerProfile partial = codec.decode(where, bytes);
        put(routingKey, bytes, partial);
        return partial;
    }

    /** Remembers that {@code bytes}, the partial of {@code routingKey}, encode {@code partial}. */
    void put(String routingKey, byte[] bytes, CustomerProfile partial) {
        Decoded decoded = new Decoded(bytes, partial);
        synchronized (entries) {
            entries.computeIfAbsent(routingKey, k -> new Versions()).add(decoded);
        }
    }

    /** The number of routing keys kept (tests). */
    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
