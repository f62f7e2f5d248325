package io.cxflow.analytics.util;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A thread-safe memo of a pure function, bounded to the most recently used {@code capacity} entries.
 * For functions that are costly next to a map lookup and see the same arguments again and again, such
 * as phone-number parsing or the SHA-256 behind a customer id, called for every event.
 *
 * @param <K> the argument
 * @param <V> the result (never {@code null})
 */
public final class BoundedMemo<K, V> {

    private final Function<K, V> function;
    private final Map<K, V> entries;

    /**
     * @param capacity the number of results kept (at least 1)
     * @param function the pure function memoised; it must not return {@code null}
     */
    public BoundedMemo(int capacity, Function<K, V> function) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.function = Objects.requireNonNull(function, "function");
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    /** {@code function(key)}, computed at most once while the result stays among the most recent. */
    public V get(K key) {
        synchronized (entries) {
            V known = entries.get(key);
            if (known != null) {
                return known;
            }
        }
        // computed outside the lock: two threads may compute the same pure result, which is harmless
        V value = Objects.requireNonNull(function.apply(key), "the memoised function returned null");
        synchronized (entries) {
            entries.put(key, value);
        }
        return value;
    }
}
