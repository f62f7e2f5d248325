package io.cxflow.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

    private final KafkaSettings settings = new KafkaSettings("127.0.0.1:9092", "collector", "http://127.0.0.1:8085");

    @Test
    void shouldBuildAnIdempotentAcksAllProducerThatKafkaAccepts() {
        ProducerConfig config = new ProducerConfig(withSerializers(settings.producer("events")));

        assertThat(config.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
        assertThat(config.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(config.getString(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isEqualTo("lz4");
        assertThat(config.getLong(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(5L);
        assertThat(config.getInt(ProducerConfig.BATCH_SIZE_CONFIG)).isEqualTo(128 * 1024);
        assertThat(config.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isEqualTo(30_000);
        assertThat(config.getString(ProducerConfig.CLIENT_ID_CONFIG)).isEqualTo("collector-events");
    }

    @Test
    void shouldBoundEveryWaitOfAProducerByTheDeliveryTimeout() {
        Map<String, Object> c = settings.producer("events", Duration.ofSeconds(10), Map.of());
        ProducerConfig config = new ProducerConfig(withSerializers(c));

        assertThat(config.getInt(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).isEqualTo(10_000);
        assertThat(config.getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG)).isEqualTo(10_000L);
        assertThat(config.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).isEqualTo(9_995);
        assertThatThrownBy(() -> settings.producer("events", Duration.ofMillis(500), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldLetOverridesWinAndReturnUnmodifiableMaps() {
        Map<String, Object> c = settings.producer("events", Duration.ofSeconds(30), Map.of("linger.ms", 20));

        assertThat(c).containsEntry("linger.ms", 20);
        assertThatThrownBy(() -> c.put("acks", "1")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldBuildAReadCommittedConsumerThatCommitsExplicitly() {
        Map<String, Object> c = new java.util.HashMap<>(settings.consumer("reader", "cx-reader"));
        c.put("key.deserializer", ByteArrayDeserializer.class);
        c.put("value.deserializer", ByteArrayDeserializer.class);
        ConsumerConfig config = new ConsumerConfig(c);

        assertThat(config.getString(ConsumerConfig.ISOLATION_LEVEL_CONFIG)).isEqualTo("read_committed");
        assertThat(config.getBoolean(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG)).isFalse();
        assertThat(config.getString(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG)).isEqualTo("earliest");
        assertThat(config.getString(ConsumerConfig.GROUP_ID_CONFIG)).isEqualTo("cx-reader");
        assertThat(settings.consumer("assigned", null)).doesNotContainKey(ConsumerConfig.GROUP_ID_CONFIG);
    }

    @Test
    void shouldBuildAnAdminConfig() {
        AdminClientConfig config = new AdminClientConfig(settings.admin("topics"));

        assertThat(config.getList(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG)).containsExactly("127.0.0.1:9092");
        assertThat(config.getString(AdminClientConfig.CLIENT_ID_CONFIG)).isEqualTo("collector-topics");
    }

    @Test
    void shouldBuildAnExactlyOnceStreamsConfigThatRequiresExplicitNames() {
        StreamsConfig config = new StreamsConfig(settings.streams("cx-analytics", Path.of("/tmp/cx-state")));

        assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(config.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo(100L);
        assertThat(config.getBoolean(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG))
                .isTrue();
        assertThat(config.getString(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/tmp/cx-state");
        assertThat(config.getString(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("cx-analytics");
        assertThat(config.getProducerConfigs("client").get(ProducerConfig.COMPRESSION_TYPE_CONFIG))
                .isEqualTo("lz4");
    }

    private static Map<String, Object> withSerializers(Map<String, Object> c) {
        Map<String, Object> all = new java.util.HashMap<>(c);
        all.put("key.serializer", ByteArraySerializer.class);
        all.put("value.serializer", ByteArraySerializer.class);
        return all;
    }
}
