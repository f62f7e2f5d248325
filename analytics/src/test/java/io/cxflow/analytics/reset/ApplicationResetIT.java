package io.cxflow.analytics.reset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resets a real exactly-once Streams application (a word count with a repartition topic and a changelog) on the
 * embedded broker, and checks that its next run starts over instead of resuming or double counting.
 */
@CxIntegrationTest
class ApplicationResetIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    @Test
    void shouldRefuseWhileTheApplicationRunsAndChangeNothing(TestPlatform platform, @TempDir Path state)
            throws Exception {
        // Given a running word count
        WordCount app = new WordCount(platform, state);
        app.produce("a", "b");
        try (Running running = app.start()) {
            app.awaitDrained();

            // When it is reset while running
            // Then it is refused with the reason, and the internal topics and the state are still there
            assertThatThrownBy(() -> new ApplicationReset(platform.admin()).reset(app.applicationId, state))
                    .isInstanceOf(ApplicationReset.ApplicationRunningException.class)
                    .hasMessageContaining("stop the analytics service first")
                    .hasMessageContaining(app.applicationId);
            assertThat(topicNames(platform.admin())).contains(app.changelog(), app.repartition());
            assertThat(groupIds(platform.admin())).contains(app.applicationId);
            assertThat(state.resolve(app.applicationId)).exists();
        }
    }

    @Test
    void shouldDeleteTheGroupInternalTopicsAndStateSoTheNextRunStartsOver(TestPlatform platform, @TempDir Path state)
            throws Exception {
        // Given a word count that processed five words and was stopped
        WordCount app = new WordCount(platform, state);
        app.produce("a", "b", "a", "c", "a");
        ApplicationProgress.Progress first;
        try (Running running = app.start()) {
            first = app.awaitDrained();
        }
        assertThat(first.processed()).isEqualTo(5);
        assertThat(first.total()).isEqualTo(5);
        assertThat(app.lastCounts(Map.of())).isEqualTo(Map.of("a", 3L, "b", 1L, "c", 1L));
        assertThat(new ApplicationProgress(platform.admin(), app.applicationId, app.input).consumedInternalTopics())
                .containsExactly(app.repartition());
        // and another application whose id extends this one, with its own group and changelog
        String longer = app.applicationId + "-v2";
        String longerChangelog = longer + "-word-counts-changelog";
        platform.admin()
                .createTopics(List.of(new NewTopic(longerChangelog, 1, (short) 1)))
                .all()
                .get(30, TimeUnit.SECONDS);
        commitSomething(platform, longer, app.input);
        Map<TopicPartition, Long> outputEnd = app.outputEnd();

        // When it is reset
        ApplicationReset.Summary summary = new ApplicationReset(platform.admin()).reset(app.applicationId, state);

        // Then the group, the internal topics and the state folder are gone, the other application's are not
        assertThat(summary.groupDeleted()).isTrue();
        assertThat(summary.deletedTopics()).containsExactly(app.repartition(), app.changelog());
        assertThat(summary.keptTopics()).containsExactly(longerChangelog);
        assertThat(summary.stateDirRemoved()).isTrue();
        assertThat(summary.render()).contains(app.changelog()).contains("deleted");
        assertThat(topicNames(platform.admin()))
                .doesNotContain(app.changelog(), app.repartition())
                .contains(longerChangelog, app.input, app.output);
        assertThat(groupIds(platform.admin())).doesNotContain(app.applicationId).contains(longer);
        assertThat(state.resolve(app.applicationId)).doesNotExist();

        // and the next run reads the input from the beginning with empty state: the same counts again, not doubled
        try (Running running = app.start()) {
            ApplicationProgress.Progress second = app.awaitDrained();
            assertThat(second.processed()).isEqualTo(5);
        }
        assertThat(app.lastCounts(outputEnd)).isEqualTo(Map.of("a", 3L, "b", 1L, "c", 1L));
    }

    @Test
    void shouldReportNothingToDoForAnApplicationThatNeverRan(TestPlatform platform, @TempDir Path state) {
        ApplicationReset.Summary summary =
                new ApplicationReset(platform.admin()).reset(platform.uniqueId("never-ran"), state);

        assertThat(summary.groupDeleted()).isFalse();
        assertThat(summary.deletedTopics()).isEmpty();
        assertThat(summary.stateDirRemoved()).isFalse();
    }

    private static void commitSomething(TestPlatform platform, String groupId, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(1)));
        }
    }

    private static Set<String> topicNames(Admin admin) throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }

    private static Set<String> groupIds(Admin admin) throws Exception {
        return admin.listGroups().all().get(30, TimeUnit.SECONDS).stream()
                .map(GroupListing::groupId)
                .collect(Collectors.toSet());
    }

    /** A started application; closing it leaves the group, as the analytics service does. */
    private record Running(KafkaStreams streams) implements AutoCloseable {
        @Override
        public void close() {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(DEADLINE));
        }
    }

    /** A word count: words keyed by nothing, re-keyed by the word (repartition), counted in a store (changelog). */
    private static final class WordCount {
        final TestPlatform platform;
        final Path state;
        final String applicationId;
        final String input;
        final String output;

        WordCount(TestPlatform platform, Path state) throws Exception {
            this.platform = platform;
            this.state = state;
            this.applicationId = platform.uniqueId("words");
            this.input = platform.topics().prefix() + "words";
            this.output = platform.topics().prefix() + "word-counts";
            platform.admin()
                    .createTopics(List.of(new NewTopic(input, 3, (short) 1), new NewTopic(output, 3, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }

        String changelog() {
            return applicationId + "-word-counts-changelog";
        }

        String repartition() {
            return applicationId + "-by-word-repartition";
        }

        void produce(String... words) throws InterruptedException, ExecutionException, TimeoutException {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < words.length; i++) {
                    producer.send(new ProducerRecord<>(input, "line-" + i, words[i]))
                            .get(30, TimeUnit.SECONDS);
                }
            }
        }

        Running start() throws InterruptedException {
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream(
                            input,
                            Consumed.with(Serdes.String(), Serdes.String()).withName("words-source"))
                    .selectKey((line, word) -> word, Named.as("key-by-word"))
                    .groupByKey(Grouped.with("by-word", Serdes.String(), Serdes.String()))
                    .count(
                            Named.as("count-words"),
                            Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("word-counts")
                                    .withKeySerde(Serdes.String())
                                    .withValueSerde(Serdes.Long()))
                    .toStream(Named.as("counts-stream"))
                    .to(output, Produced.with(Serdes.String(), Serdes.Long()).withName("counts-sink"));
            Map<String, Object> config =
                    new HashMap<>(platform.context().kafka().streams(applicationId, state));
            config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
            KafkaStreams streams = new KafkaStreams(builder.build(), new StreamsConfig(config));
            streams.start();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (streams.state() != KafkaStreams.State.RUNNING) {
                if (System.nanoTime() > deadline) {
                    streams.close();
                    throw new AssertionError("word count not RUNNING within " + DEADLINE + ": " + streams.state());
                }
                Thread.sleep(POLL.toMillis());
            }
            return new Running(streams);
        }

        ApplicationProgress.Progress awaitDrained() {
            ApplicationProgress progress = new ApplicationProgress(platform.admin(), applicationId, input);
            return progress.awaitDrained(progress.captureTarget(), DEADLINE, POLL, p -> {});
        }

        Map<TopicPartition, Long> outputEnd() {
            try (KafkaConsumer<String, Long> consumer = outputConsumer()) {
                return consumer.endOffsets(partitions(consumer));
            }
        }

        /** The last count per word written at or after {@code from} (all of it when empty). */
        Map<String, Long> lastCounts(Map<TopicPartition, Long> from) {
            Map<String, Long> counts = new HashMap<>();
            try (KafkaConsumer<String, Long> consumer = outputConsumer()) {
                List<TopicPartition> partitions = partitions(consumer);
                consumer.assign(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                for (TopicPartition tp : partitions) {
                    consumer.seek(tp, from.getOrDefault(tp, 0L));
                }
                long deadline = System.nanoTime() + DEADLINE.toNanos();
                while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("could not read " + output + " to its end");
                    }
                    for (ConsumerRecord<String, Long> r : consumer.poll(POLL)) {
                        counts.put(r.key(), r.value());
                    }
                }
            }
            return counts;
        }

        private List<TopicPartition> partitions(KafkaConsumer<String, Long> consumer) {
            return consumer.partitionsFor(output).stream()
                    .map(p -> new TopicPartition(output, p.partition()))
                    .toList();
        }

        private KafkaConsumer<String, Long> outputConsumer() {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
            p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            return new KafkaConsumer<>(p, new StringDeserializer(), new LongDeserializer());
        }
    }
}
