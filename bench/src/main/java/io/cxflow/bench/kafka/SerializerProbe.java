package io.cxflow.bench.kafka;

import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/** How fast one thread serializes (or deserializes) the workload's events, without Kafka. */
public final class SerializerProbe {

    private SerializerProbe() {}

    /**
     * Serializes the values in a loop for {@code warmup}, then counts for {@code duration}.
     *
     * @return records serialized per second on one thread
     */
    public static <V> double recordsPerSecond(
            Serializer<V> serializer, String topic, List<V> values, Duration warmup, Duration duration) {
        long sink = 0;
        long end = System.nanoTime() + warmup.toNanos();
        int i = 0;
        while (System.nanoTime() < end) {
            sink += serializer.serialize(topic, values.get(i)).length;
            i = i + 1 == values.size() ? 0 : i + 1;
        }
        long count = 0;
        long start = System.nanoTime();
        end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            for (int k = 0; k < 64; k++) {
                sink += serializer.serialize(topic, values.get(i)).length;
                i = i + 1 == values.size() ? 0 : i + 1;
            }
            count += 64;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink == 42) {
            // keeps the JIT from dropping the loop; practically never true
            count++;
        }
        return count / seconds;
    }

    /**
     * Deserializes the values in a loop for {@code warmup}, then counts for {@code duration}.
     *
     * @return records deserialized per second on one thread
     */
    public static <V> double deserializedPerSecond(
            Deserializer<V> deserializer, String topic, List<byte[]> values, Duration warmup, Duration duration) {
        long sink = 0;
        long end = System.nanoTime() + warmup.toNanos();
        int i = 0;
        while (System.nanoTime() < end) {
            sink += deserializer.deserialize(topic, values.get(i)).hashCode();
            i = i + 1 == values.size() ? 0 : i + 1;
        }
        long count = 0;
        long start = System.nanoTime();
        end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            for (int k = 0; k < 64; k++) {
                sink += deserializer.deserialize(topic, values.get(i)).hashCode();
                i = i + 1 == values.size() ? 0 : i + 1;
            }
            count += 64;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink == 42) {
            count++;
        }
        return count / seconds;
    }
}
