package io.cxflow.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.avro.TouchpointEvent;
import io.cxflow.testkit.TestPlatform.KeyValue;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

@CxIntegrationTest
class AvroRoundTripIT {

    @Test
    void shouldRoundTripAvroRecordsThroughTheRealBrokerAndRegistry(TestPlatform platform) {
        // Given the catalog topics in this test's namespace
        platform.createTopics();
        Instant at = Instant.parse("2026-11-20T10:00:00.123Z").truncatedTo(ChronoUnit.MILLIS);
        TouchpointEvent sent = TestEvents.track("u-1", "a-1", "Product Viewed", at)
                .setProperties("{\"price\":129.90,\"tags\":[\"rain\",null],\"name\":\"Jacke für Regen ☔\"}")
                .build();

        // When it is produced and read back
        platform.produce(platform.topics().events(), KeyValue.of("u-1", sent));
        List<ConsumerRecord<String, TouchpointEvent>> read =
                platform.readAtLeast(platform.topics().events(), 1, Duration.ofSeconds(30));

        // Then the record is equal, field for field
        assertThat(read).hasSize(1);
        assertThat(read.get(0).key()).isEqualTo("u-1");
        assertThat(read.get(0).value()).isEqualTo(sent);
    }

    @Test
    void shouldWriteTheConfluentWireFormatOnTopics(TestPlatform platform) {
        platform.createTopics();
        TouchpointEvent sent = TestEvents.page(
                        null, "a-2", "Home", Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
        platform.produce(platform.topics().events(), KeyValue.of("a-2", sent));

        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, platform.uniqueId("raw"));
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> raw =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            raw.subscribe(List.of(platform.topics().events().name()));
            ConsumerRecord<byte[], byte[]> record = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (record == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : raw.poll(Duration.ofMillis(200))) {
                    record = r;
                }
            }
            assertThat(record).as("a record on the topic").isNotNull();
            ByteBuffer bytes = ByteBuffer.wrap(record.value());
            assertThat(bytes.get()).as("magic byte").isZero();
            assertThat(bytes.getInt()).as("4-byte schema id").isPositive();
            assertThat(record.headers().toArray()).as("no serde headers").isEmpty();
        }
    }
}
