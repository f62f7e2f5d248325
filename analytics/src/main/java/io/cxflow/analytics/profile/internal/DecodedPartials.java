package io.cxflow.analytics.profile.internal;

import io.cxflow.avro.CustomerProfile;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The decoded form of the partial profiles a task read or wrote most recently, so that a customer's
 * next event does not decode the partial again: an entry is used only while its bytes equal the stored
 * bytes, so the store stays the truth. One per processor instance (a stream thread's task), cleared when
 * the processor is initialised or closed; the profiles handed out must not be modified.
 */
final class DecodedPartials {

    /** Entries per processor instance: a few MB of decoded partials per task. */
    static final int CAPACITY = 4_096;

    private record Decoded(byte[] bytes, CustomerProfile partial) {}

    private final PartialCodec codec;
    private final LinkedHashMap<String, Decoded> entries;

    DecodedPartials(PartialCodec codec, int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must not be negative: " + capacity);
        }
        this.codec = Objects.requireNonNull(codec, "codec");
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Decoded> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The partial {@code bytes} encode ({@code null} for {@code null}). */
    CustomerProfile get(String where, String key, byte[] bytes) {
        if (bytes == null) {
            entries.remove(key);
            return null;
        }
        Decoded known = entries.get(key);
        if (known != null && (known.bytes() == bytes || Arrays.equals(known.bytes(), bytes))) {
            return known.partial();
        }
        CustomerProfile partial = codec.decode(where, bytes);
        entries.put(key, new Decoded(bytes, partial));
        return partial;
    }

    /** Remembers that {@code bytes}, now stored under {@code key}, encode {@code partial}. */
    void put(String key, byte[] bytes, CustomerProfile partial) {
        entries.put(key, new Decoded(bytes, partial));
    }

    void remove(String key) {
        entries.remove(key);
    }

    void clear() {
        entries.clear();
    }
}
