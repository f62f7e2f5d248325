package io.cxflow.analytics.profile.internal;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A registry serde that encodes an object written twice in a row only once: the profile store and the
 * {@code cx.profiles.v1} sink serialize the same profile instance one after the other (store, then
 * topic), and the Avro body is the same for both, only the 5-byte prefix (magic byte and the topic's
 * schema id) differs. The serializer remembers, per thread, the last instance it wrote and its bytes;
 * the very next call for that same instance reuses the body under the topic's own prefix (learned
 * from a full serialization on that topic), and any call forgets the remembered instance, so an object
 * changed after it was written is never written from stale bytes by a later call.
 *
 * @param <T> the value type
 */
public final class EncodeOnceSerde<T> implements Serde<T> {

    private static final int PREFIX = 5;
    private static final byte MAGIC = 0;

    private record Last(Object value, byte[] bytes) {}

    private final Serde<T> inner;
    private final Serializer<T> serializer;
    private final ThreadLocal<Last> last = new ThreadLocal<>();
    private final Map<String, byte[]> prefixes = new ConcurrentHashMap<>();

    public EncodeOnceSerde(Serde<T> inner) {
        this.inner = Objects.requireNonNull(inner, "inner");
        Serializer<T> full = inner.serializer();
        this.serializer = (topic, value) -> serialize(full, topic, value);
    }

    private byte[] serialize(Serializer<T> full, String topic, T value) {
        Last previous = last.get();
        last.remove();
        if (value == null) {
            return full.serialize(topic, null);
        }
        if (previous != null && previous.value() == value) {
            byte[] prefix = prefixes.get(topic);
            if (prefix != null) {
                byte[] bytes = previous.bytes().clone();
                System.arraycopy(prefix, 0, bytes, 0, PREFIX);
                return bytes;
            }
        }
        byte[] bytes = full.serialize(topic, value);
        if (bytes != null && bytes.length > PREFIX && bytes[0] == MAGIC) {
            prefixes.computeIfAbsent(topic, t -> java.util.Arrays.copyOf(bytes, PREFIX));
            last.set(new Last(value, bytes));
        }
        return bytes;
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return inner.deserializer();
    }
}
