package io.cxflow.bench.kafka;

import io.cxflow.bench.load.Latencies;
import io.cxflow.bench.load.ScenarioResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The baseline: a plain Kafka producer (the caller builds it with the collector's producer settings) sending
 * prepared values as fast as it can. Throughput is the records acknowledged per second in the measured window.
 */
public final class RawProducerRun {

    /** Every n-th record's send-to-acknowledgement time is recorded. */
    private static final int LATENCY_SAMPLE = 16;

    /**
     * @param name the scenario name in the report
     * @param warmup sending before the measured window
     * @param duration the measured window
     * @param threads threads calling {@code send} on the one producer
     */
    public record Settings(String name, Duration warmup, Duration duration, int threads) {}

    /**
     * @param result the scenario's numbers
     * @param acknowledged records acknowledged over the whole run, warm-up included
     * @param failed records whose send failed
     */
    public record Outcome(ScenarioResult result, long acknowledged, long failed) {}

    private RawProducerRun() {}

    /**
     * Sends {@code values[i]} with key {@code keys[i]}, cycling, then flushes; the producer stays open.
     *
     * @param note what the reader needs to know about this baseline
     */
    public static <V> Outcome run(
            Settings s, Producer<String, V> producer, String topic, List<String> keys, List<V> values, String note) {
        if (keys.size() != values.size() || keys.isEmpty()) {
            throw new IllegalArgumentException("need as many keys as values, at least one");
        }
        LongAdder acked = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicBoolean measuring = new AtomicBoolean();
        // callbacks run on the producer's single I/O thread, so one recorder suffices
        Latencies latencies = new Latencies(1 << 18);
        int size = values.size();

        Thread[] senders = new Thread[s.threads()];
        for (int i = 0; i < senders.length; i++) {
            int offset = i * size / senders.length;
            senders[i] = Thread.ofPlatform()
                    .name("raw-producer-" + i)
                    .daemon(true)
                    .start(() -> {
                        long n = 0;
                        int index = offset;
                        while (!stop.get()) {
                            V value = values.get(index);
                            String key = keys.get(index);
                            index = index + 1 == size ? 0 : index + 1;
                            boolean sample = ++n % LATENCY_SAMPLE == 0;
                            long t0 = sample ? System.nanoTime() : 0;
                            producer.send(new ProducerRecord<>(topic, key, value), (metadata, exception) -> {
                                if (exception != null) {
                                    failed.increment();
                                    return;
                                }
                                acked.increment();
                                if (sample && measuring.get()) {
                                    latencies.record(System.nanoTime() - t0);
                                }
                            });
                        }
                    });
        }
        long start = System.nanoTime();
        parkUntil(start + s.warmup().toNanos());
        long firstAcked = acked.sum();
        measuring.set(true);
        parkUntil(start + s.warmup().toNanos() + s.duration().toNanos());
        long lastAcked = acked.sum();
        measuring.set(false);
        stop.set(true);
        try {
            for (Thread t : senders) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        producer.flush();
        double seconds = s.duration().toNanos() / 1e9;
        double rate = (lastAcked - firstAcked) / seconds;
        ScenarioResult result = new ScenarioResult(
                s.name(),
                rate,
                rate,
                Latencies.merge(List.of(latencies)),
                failed.sum(),
                s.threads() + " sending thread(s), saturated; " + note + "; latency = send() to ack of 1 in "
                        + LATENCY_SAMPLE + " records, mostly queueing in the producer's buffer",
                "");
        return new Outcome(result, acked.sum(), failed.sum());
    }

    private static void parkUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
