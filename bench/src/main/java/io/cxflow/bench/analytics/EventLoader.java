package io.cxflow.bench.analytics;

import io.cxflow.avro.TouchpointEvent;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Produces a {@link Population}'s events to the events topic once, as the collector does (its producer settings,
 * the registry serializer, the routing id as key), with each record's timestamp set to the event's receive time.
 */
final class EventLoader {

    /**
     * @param events records acknowledged
     * @param valueBytes serialized value bytes acknowledged
     * @param keys distinct keys (routing ids)
     * @param seconds from the first send to the last acknowledgement
     */
    record Loaded(long events, long valueBytes, int keys, double seconds) {}

    private EventLoader() {}

    /**
     * Sends {@code count} events of the population and waits for every acknowledgement.
     *
     * @throws IllegalStateException when a send failed
     */
    static Loaded load(Producer<String, TouchpointEvent> producer, String topic, Population population, int count) {
        LongAdder acked = new LongAdder();
        LongAdder bytes = new LongAdder();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Set<String> keys = new HashSet<>();
        long start = System.nanoTime();
        for (int i = 0; i < count && failure.get() == null; i++) {
            Population.Keyed e = population.next();
            keys.add(e.key());
            producer.send(new ProducerRecord<>(topic, null, e.timestamp(), e.key(), e.event()), (metadata, ex) -> {
                if (ex != null) {
                    failure.compareAndSet(null, ex);
                    return;
                }
                acked.increment();
                bytes.add(metadata.serializedValueSize());
            });
        }
        producer.flush();
        if (failure.get() != null) {
            throw new IllegalStateException(
                    "producing the benchmark's events to " + topic + " failed: " + failure.get(), failure.get());
        }
        return new Loaded(acked.sum(), bytes.sum(), keys.size(), (System.nanoTime() - start) / 1e9);
    }
}
