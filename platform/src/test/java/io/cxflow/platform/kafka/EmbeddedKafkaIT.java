package io.cxflow.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process broker: a real KRaft node whose data survives a restart, and clear start failures. */
class EmbeddedKafkaIT {

    private static final String TOPIC = "it.restart.v1";

    @TempDir
    Path dir;

    @Test
    void shouldKeepTopicsRecordsAndClusterIdWhenRestartedOnTheSameDataDir() throws Exception {
        EmbeddedKafka.Settings settings =
                EmbeddedKafka.Settings.defaults(dir.resolve("kafka")).withPorts(0, 0);

        // Given a topic with records written with acks=all before a restart
        String clusterId;
        int firstPort;
        List<String> written = List.of("one", "two", "three");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(settings)) {
            clusterId = kafka.clusterId();
            firstPort = kafka.port();
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + kafka.port());
            assertThat(kafka.controllerPort()).isPositive().isNotEqualTo(kafka.port());
            KafkaSettings client = new KafkaSettings(kafka.bootstrapServers(), "it", null);
            try (Admin admin = Admin.create(client.admin("admin"))) {
                admin.createTopics(List.of(new NewTopic(TOPIC, Optional.of(2), Optional.empty())))
                        .all()
                        .get();
            }
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(client.producer("writer"), new StringSerializer(), new StringSerializer())) {
                for (String value : written) {
                    RecordMetadata md = producer.send(new ProducerRecord<>(TOPIC, "k", value))
                            .get();
                    assertThat(md.hasOffset()).isTrue();
                }
            }
        }
        assertThat(Files.isRegularFile(dir.resolve("kafka/server.properties"))).isTrue();
        assertThat(Files.isRegularFile(dir.resolve("kafka/kafka-logs/meta.properties")))
                .isTrue();

        // When it starts again on the same folder (same client port, a new controller port)
        try (EmbeddedKafka kafka = EmbeddedKafka.start(settings.withPorts(firstPort, 0))) {
            // Then the cluster is the same and every record is still there
            assertThat(kafka.clusterId()).isEqualTo(clusterId);
            KafkaSettings client = new KafkaSettings(kafka.bootstrapServers(), "it", null);
            assertThat(readAll(client, written.size())).containsExactlyElementsOf(written);
        }
    }

    @Test
    void shouldCloseIdempotently() {
        EmbeddedKafka kafka = EmbeddedKafka.start(
                EmbeddedKafka.Settings.defaults(dir.resolve("idem")).withPorts(0, 0));
        assertThat(kafka.isRunning()).isTrue();
        kafka.close();
        assertThat(kafka.isRunning()).isFalse();
        kafka.close();
        assertThat(kafka.isRunning()).isFalse();
    }

    @Test
    void shouldFailClearlyWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            EmbeddedKafka.Settings settings =
                    EmbeddedKafka.Settings.defaults(dir.resolve("taken")).withPorts(port, 0);

            assertThatThrownBy(() -> EmbeddedKafka.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + port)
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void shouldRefuseANonLoopbackHost() {
        EmbeddedKafka.Settings settings = new EmbeddedKafka.Settings(dir.resolve("wide"), "0.0.0.0", 0, 0, Map.of());

        assertThatThrownBy(() -> EmbeddedKafka.start(settings))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }

    private static List<String> readAll(KafkaSettings client, int expected) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                client.consumer("reader", "it-reader"), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    values.add(r.value());
                }
            }
        }
        return values;
    }
}
