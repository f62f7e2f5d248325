package io.cxflow.bench.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@CxIntegrationTest
class CompletionWatchIT {

    private static final int RECORDS = 3_000;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void shouldReturnOnlyOnceTheRecordsBehindTheRepartitionTopicAreProcessed(TestPlatform platform, @TempDir Path state)
            throws Exception {
        // Given an input topic with records and an exactly-once application that re-keys and counts them
        String input = platform.uniqueId("watch-in");
        Map<TopicPartition, Long> inputEnds = produce(platform, input);
        String applicationId = platform.uniqueId("watch");
        KafkaSettings kafka = new KafkaSettings(platform.bootstrapServers(), "it", null);
        KafkaStreams streams =
                new KafkaStreams(regroupAndCount(input), new StreamsConfig(kafka.streams(applicationId, state)));

        // When it runs until the watch says every committed offset reached its end offset
        CompletionWatch.Outcome outcome;
        try (KafkaConsumer<byte[], byte[]> probe = probe(kafka)) {
            long start = System.nanoTime();
            streams.start();
            outcome = new CompletionWatch(platform.admin(), probe, applicationId, inputEnds)
                    .await(start, streams::state, TIMEOUT);

            // Then the repartition topic was watched and every record went through it into the counts
            assertThat(outcome.repartitionTopics()).containsExactly(applicationId + "-regroup-repartition");
            assertThat(countsSum(streams)).isEqualTo(RECORDS);
            assertThat(outcome.timeline().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(RECORDS);
            assertThat(outcome.runningSeconds()).isPositive().isLessThanOrEqualTo(outcome.seconds());
            assertThat(outcome.inputSeconds()).isPositive().isLessThanOrEqualTo(outcome.seconds());
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    @Test
    void shouldFailNamingTheApplicationWhenItStoppedBeforeTheEnd(TestPlatform platform, @TempDir Path state)
            throws Exception {
        // Given an application that was closed without ever processing its input
        String input = platform.uniqueId("stopped-in");
        Map<TopicPartition, Long> inputEnds = produce(platform, input);
        String applicationId = platform.uniqueId("stopped");
        KafkaSettings kafka = new KafkaSettings(platform.bootstrapServers(), "it", null);
        KafkaStreams streams =
                new KafkaStreams(regroupAndCount(input), new StreamsConfig(kafka.streams(applicationId, state)));
        streams.close();

        // Then waiting for it fails at once, naming it
        try (KafkaConsumer<byte[], byte[]> probe = probe(kafka)) {
            assertThatThrownBy(() -> new CompletionWatch(platform.admin(), probe, applicationId, inputEnds)
                            .await(System.nanoTime(), streams::state, TIMEOUT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(applicationId)
                    .hasMessageContaining("NOT_RUNNING");
        }
    }

    private static org.apache.kafka.streams.Topology regroupAndCount(String input) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()).withName("watch-source"))
                .selectKey((key, value) -> value, Named.as("by-value"))
                .groupByKey(Grouped.with("regroup", Serdes.String(), Serdes.String()))
                .count(
                        Named.as("count"),
                        Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.Long()));
        return builder.build();
    }

    private static Map<TopicPartition, Long> produce(TestPlatform platform, String topic) throws Exception {
        platform.admin()
                .createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
                .all()
                .get();
        awaitLeaders(platform, topic);
        KafkaSettings kafka = new KafkaSettings(platform.bootstrapServers(), "it", null);
        List<java.util.concurrent.Future<?>> sends = new java.util.ArrayList<>();
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(kafka.producer("watch-load"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                sends.add(producer.send(new ProducerRecord<>(topic, "k" + (i % 97), "v" + (i % 13))));
            }
            producer.flush();
        }
        for (java.util.concurrent.Future<?> send : sends) {
            send.get(); // a failed send fails the test with its reason
        }
        Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
        for (int p = 0; p < 3; p++) {
            specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new HashMap<>();
        platform.admin().listOffsets(specs).all().get().forEach((tp, info) -> ends.put(tp, info.offset()));
        assertThat(ends.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(RECORDS);
        return ends;
    }

    /** A topic just created may not have its partition leaders yet; producing before that can time out. */
    private static void awaitLeaders(TestPlatform platform, String topic) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            var description = platform.admin()
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic);
            if (description.partitions().stream()
                    .allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no partition leaders for " + topic + " within 30 s");
            }
            Thread.sleep(50);
        }
    }

    private static KafkaConsumer<byte[], byte[]> probe(KafkaSettings kafka) {
        return new KafkaConsumer<>(
                kafka.consumer("watch-probe", null, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    private static long countsSum(KafkaStreams streams) {
        ReadOnlyKeyValueStore<String, Long> store =
                streams.store(StoreQueryParameters.fromNameAndType("counts", QueryableStoreTypes.keyValueStore()));
        long sum = 0;
        try (KeyValueIterator<String, Long> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> kv = all.next();
                sum += kv.value;
            }
        }
        return sum;
    }
}
