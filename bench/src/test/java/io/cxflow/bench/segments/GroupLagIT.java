package io.cxflow.bench.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
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
class GroupLagIT {

    private static final int RECORDS = 3_000;

    @Test
    void shouldCountTheBacklogAndReturnOnlyOnceItWentThroughTheRepartitionTopic(
            TestPlatform platform, @TempDir Path state) throws Exception {
        // Given records on an input topic and an exactly-once application that re-keys (repartitions) and counts
        String input = platform.uniqueId("lag-in");
        platform.admin()
                .createTopics(List.of(new NewTopic(input, 3, (short) 1)))
                .all()
                .get();
        KafkaSettings kafka = new KafkaSettings(platform.bootstrapServers(), "it", null);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(kafka.producer("lag-load"), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(input, "k" + (i % 97), "v" + (i % 13)));
            }
            producer.flush();
        }
        String applicationId = platform.uniqueId("lag");
        KafkaStreams streams =
                new KafkaStreams(regroupAndCount(input), new StreamsConfig(kafka.streams(applicationId, state)));
        try (KafkaConsumer<byte[], byte[]> markers = new KafkaConsumer<>(
                kafka.consumer("lag-markers", null, Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            GroupLag lag = new GroupLag(platform.admin(), markers, applicationId, input);

            // Then before it starts the whole input is lag
            assertThat(lag.lag().input()).isEqualTo(RECORDS);

            // When it runs until drained
            long start = System.nanoTime();
            streams.start();
            GroupLag.Drained drained = lag.awaitDrained(start, streams::state, Duration.ofSeconds(60));

            // Then every record went through the repartition topic into the counts, and no input is left
            assertThat(lag.repartitionTopics()).containsExactly(applicationId + "-regroup-repartition");
            assertThat(countsSum(streams)).isEqualTo(RECORDS);
            assertThat(lag.lag().input()).isZero();
            assertThat(drained.timeline().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(RECORDS);
            assertThat(drained.inputSeconds()).isPositive().isLessThanOrEqualTo(drained.seconds());
        } finally {
            streams.close(Duration.ofSeconds(30));
        }
    }

    private static Topology regroupAndCount(String input) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(input, Consumed.with(Serdes.String(), Serdes.String()).withName("lag-source"))
                .selectKey((key, value) -> value, Named.as("by-value"))
                .groupByKey(Grouped.with("regroup", Serdes.String(), Serdes.String()))
                .count(
                        Named.as("count"),
                        Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("counts")
                                .withKeySerde(Serdes.String())
                                .withValueSerde(Serdes.Long()));
        return builder.build();
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
