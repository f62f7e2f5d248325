package io.cxflow.bench.activation;

import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.schemas.Topic;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The raw baseline: what a plain Kafka consumer does with the same records — one consumer per partition in a group,
 * each POSTing every ENTERED change to the provider (same key format, a small JSON body) one after the other and
 * committing after each poll; no ledger, no guardrails, no results topic.
 */
final class RawPoster implements AutoCloseable {

    private final List<KafkaConsumer<String, SegmentMembershipChanged>> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final String url;
    private final AtomicLong posted = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;

    RawPoster(
            KafkaSettings kafka,
            Topic<String, SegmentMembershipChanged> topic,
            String group,
            int consumerCount,
            String url) {
        this.url = url;
        for (int i = 0; i < consumerCount; i++) {
            KafkaConsumer<String, SegmentMembershipChanged> consumer = new KafkaConsumer<>(
                    kafka.consumer("bench-raw-" + i, group, Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 100)),
                    topic.keySerde().deserializer(),
                    topic.valueSerde().deserializer());
            consumer.subscribe(List.of(topic.name()));
            consumers.add(consumer);
            threads.add(Thread.ofPlatform().name("bench-raw-" + i).start(() -> loop(consumer)));
        }
    }

    private void loop(KafkaConsumer<String, SegmentMembershipChanged> consumer) {
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, SegmentMembershipChanged> r : records) {
                    post(r.value());
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException | IOException e) {
            failure.compareAndSet(null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }

    private void post(SegmentMembershipChanged change) throws IOException, InterruptedException {
        String key = "bench:notify:" + change.getCustomerId() + ":" + change.getMembershipVersion();
        String body = "{\"idempotencyKey\":\"" + key + "\",\"customerId\":\"" + change.getCustomerId()
                + "\",\"segmentId\":\"" + change.getSegmentId() + "\",\"change\":\"" + change.getChange() + "\"}";
        HttpResponse<Void> response = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                        .build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() / 100 != 2) {
            throw new IOException("provider answered " + response.statusCode());
        }
        posted.incrementAndGet();
    }

    long posted() {
        return posted.get();
    }

    /** The first error of a consumer thread, or null. */
    Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumers.forEach(KafkaConsumer::wakeup);
        for (Thread t : threads) {
            t.join(10_000);
        }
        http.close();
    }
}
