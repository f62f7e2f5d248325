package io.cxflow.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.kafka.EmbeddedKafka;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.platform.kafka.TopicAdmin;
import io.cxflow.platform.registry.EmbeddedRegistry;
import io.cxflow.platform.serde.RegistrySerdes;
import io.cxflow.schemas.Topics;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stops the broker under load: every request answered 200 must be on the topic once the broker is back, and
 * while it is down requests are answered 503 with Retry-After within a bounded time. This test owns its
 * broker (it stops and restarts it), so it runs in its own JVM.
 */
class BrokerOutageIT {

    private static final String KEY = "wk-outage-" + UUID.randomUUID();
    private static final Duration WAIT = Duration.ofSeconds(90);

    private Path dir;
    private EmbeddedKafka kafka;
    private EmbeddedRegistry registry;
    private RegistrySerdes serdes;
    private Topics topics;
    private CollectorService collector;

    @BeforeEach
    void start() throws IOException {
        dir = Files.createTempDirectory("cx-outage-");
        kafka = EmbeddedKafka.start(new EmbeddedKafka.Settings(dir.resolve("kafka"), "127.0.0.1", 0, 0, Map.of()));
        registry = EmbeddedRegistry.start(EmbeddedRegistry.Settings.ephemeral(dir.resolve("registry.log")));
        serdes = RegistrySerdes.forUrl(registry.url());
        topics = new Topics(serdes, "");
        KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), "outage", registry.url());
        try (Admin admin = Admin.create(settings.admin("setup"))) {
            TopicAdmin.apply(admin, Topics.ALL, "");
        }
        CollectorConfig config = CollectorConfig.from(ConfigSource.of(Map.of(
                "collector.port", "0",
                "collector.publish-timeout", "2s",
                "collector.retry-after", "3s",
                "collector.delivery-timeout", "60s",
                "collector.sources.load.write-key", KEY,
                "collector.sources.load.channel", "server")));
        CommonConfig common = new CommonConfig(
                CommonConfig.Profile.PRODUCTION,
                kafka.bootstrapServers(),
                registry.url(),
                "",
                "admin-" + UUID.randomUUID());
        collector = CollectorService.start(config, new PlatformContext(settings, serdes, topics, common));
    }

    @AfterEach
    void stop() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {collector, serdes, registry, kafka}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void shouldNeverAnswer200ForAnEventThatIsNotOnKafkaWhenTheBrokerStopsUnderLoad() throws Exception {
        Map<String, Integer> statusByMessage = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> retryAfter = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        int senders = 4;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try (TrackingClient client = new TrackingClient(collector.baseUrl())) {
            for (int t = 0; t < senders; t++) {
                int sender = t;
                pool.submit(() -> {
                    int n = 0;
                    while (running.get()) {
                        String messageId = "s" + sender + "-" + n++;
                        String body = "{\"userId\": \"user-" + (n % 7) + "\", \"event\": \"Load\", \"messageId\": \""
                                + messageId + "\", \"properties\": {\"n\": " + n + "}}";
                        int status;
                        try {
                            HttpResponse<String> r = client.post("/v1/track", KEY, body);
                            status = r.statusCode();
                            r.headers().firstValue("Retry-After").ifPresent(retryAfter::add);
                        } catch (RuntimeException e) {
                            status = -1; // no answer: the client must treat it as not delivered
                        }
                        statusByMessage.put(messageId, status);
                    }
                    return null;
                });
            }

            // Given events flowing
            await(() -> count(statusByMessage, 200) >= 50, "50 events accepted before the outage");

            // When the broker stops
            int port = kafka.port();
            int controllerPort = kafka.controllerPort();
            kafka.close();
            long acceptedAtStop = count(statusByMessage, 200);

            // Then requests are refused with 503 and Retry-After
            await(() -> count(statusByMessage, 503) >= 8, "503 answers while the broker is down");
            assertThat(retryAfter).contains("3");

            // When it is back
            kafka = EmbeddedKafka.start(
                    new EmbeddedKafka.Settings(dir.resolve("kafka"), "127.0.0.1", port, controllerPort, Map.of()));
            await(() -> count(statusByMessage, 200) >= acceptedAtStop + 50, "events accepted again after the restart");
        } finally {
            running.set(false);
            pool.shutdown();
            pool.awaitTermination(60, TimeUnit.SECONDS);
        }

        // Then every event answered 200 is on the topic, as sent
        Set<String> accepted = ConcurrentHashMap.newKeySet();
        statusByMessage.forEach((id, status) -> {
            if (status == 200) {
                accepted.add(id);
            }
        });
        Map<String, TouchpointEvent> onTopic = readAll();
        assertThat(onTopic.keySet()).containsAll(accepted);
        for (String id : accepted) {
            TouchpointEvent e = onTopic.get(id);
            assertThat(e.getEvent()).isEqualTo("Load");
            assertThat(e.getSourceId()).isEqualTo("load");
            int n = Integer.parseInt(id.substring(id.indexOf('-') + 1)) + 1;
            assertThat(e.getUserId()).isEqualTo("user-" + (n % 7));
            assertThat(e.getProperties()).isEqualTo("{\"n\":" + n + "}");
        }
        assertThat(statusByMessage.values()).allMatch(s -> s == 200 || s == 503 || s == -1);
    }

    private Map<String, TouchpointEvent> readAll() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "outage-check-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, TouchpointEvent> out = new HashMap<>();
        try (KafkaConsumer<String, TouchpointEvent> consumer = new KafkaConsumer<>(
                props, new StringDeserializer(), topics.events().valueSerde().deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topics.events().name())
                    .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plus(WAIT);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(Instant.now()).as("reading the topic to its end").isBefore(deadline);
                for (ConsumerRecord<String, TouchpointEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    out.put(r.value().getMessageId(), r.value());
                }
            }
        }
        return out;
    }

    private static long count(Map<String, Integer> statuses, int status) {
        return statuses.values().stream().filter(s -> s == status).count();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(50);
        }
    }
}
