package io.cxflow.activation.channel.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.support.Decisions;
import io.cxflow.activation.decision.Decision;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Agent tasks produced to a real topic on the test broker, read back by a consumer. */
@CxIntegrationTest
class AgentTaskTopicIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static KafkaProducer<String, byte[]> producer(TestPlatform platform, int maxBlockMs) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMs);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, platform.uniqueId("agent-tasks"));
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static AgentTaskConnector connector(String topic, KafkaProducer<String, byte[]> producer) {
        return new AgentTaskConnector(
                new AgentTaskConfig(Optional.empty(), Optional.of(topic), Duration.ofSeconds(10), 10),
                Optional.of(producer),
                MAPPER,
                Clock.systemUTC());
    }

    @Test
    void shouldProduceTheTaskKeyedByCustomerWithIdempotencyHeaders(TestPlatform platform) throws Exception {
        String topic = platform.id() + ".agent-tasks";
        platform.admin()
                .createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
                .all()
                .get();
        Decision decision =
                Decisions.decision("agent_task", "store", Map.of("queue", "store-milano", "title", "Greet Ann"));

        Delivery delivery;
        try (KafkaProducer<String, byte[]> producer = producer(platform, 10_000);
                AgentTaskConnector connector = connector(topic, producer)) {
            delivery = connector.deliver(decision, new SendContext(null, AgentTaskConnectorTest.profile()), 1);
        }

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.SENT);
        assertThat(delivery.providerResponse()).startsWith(topic + "-");
        List<ConsumerRecord<String, byte[]>> records = readAll(platform, topic, 1);
        assertThat(records).hasSize(1);
        ConsumerRecord<String, byte[]> record = records.getFirst();
        assertThat(record.key()).isEqualTo("cus_42");
        assertThat(header(record, "Idempotency-Key")).isEqualTo("welcome:store:cus_42:3");
        assertThat(header(record, "cx-task-id")).isEqualTo(AgentTaskDocument.taskId(decision));
        assertThat(header(record, "content-type")).isEqualTo("application/json");
        JsonNode task = MAPPER.readTree(record.value());
        assertThat(task.path("queue").asText()).isEqualTo("store-milano");
        assertThat(task.path("title").asText()).isEqualTo("Greet Ann");
        assertThat(task.path("customer").path("traits").path("firstName").asText())
                .isEqualTo("Ann");
        assertThat(task.path("recentProducts")).hasSize(3);
    }

    @Test
    void shouldReportRetriableWhenTheTopicDoesNotExist(TestPlatform platform) throws Exception {
        Decision decision = Decisions.decision("agent_task", "store", Map.of());
        Delivery delivery;
        try (KafkaProducer<String, byte[]> producer = producer(platform, 1_500);
                AgentTaskConnector connector = connector(platform.id() + ".no-such-topic", producer)) {
            delivery = connector.deliver(decision, 1);
        }

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(delivery.reason()).contains("cannot produce the task");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(TestPlatform platform, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }
}
