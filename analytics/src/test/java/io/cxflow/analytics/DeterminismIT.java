package io.cxflow.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.reset.ApplicationProgress;
import io.cxflow.analytics.reset.ApplicationReset;
import io.cxflow.avro.Context;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.EventType;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.ServiceProcess;
import io.cxflow.testkit.TestEvents;
import io.cxflow.testkit.TestPlatform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 3: profiles are a deterministic function of {@code cx.events.v1}. The same events (the same bytes, in the
 * same partitions and order) are processed three ways by analytics running as its own process ({@link
 * AnalyticsMain}): live while they arrive, with a {@code kill -9} in the middle and a restart, and rebuilt from offset
 * 0 after {@link ApplicationReset}. The final profile of every customer must be byte-identical in all three.
 */
@CxIntegrationTest
class DeterminismIT {

    private static final int CUSTOMERS = 320;
    private static final long SEED = 20261120L;
    private static final Instant BASE = Instant.parse("2026-11-01T08:00:00Z");
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int CHUNKS = 10;

    @Test
    void shouldBuildByteIdenticalProfilesLiveAfterACrashAndWhenRebuilt(
            TestPlatform live, TestPlatform crash, @TempDir Path work) throws Exception {
        long t0 = System.nanoTime();
        // Given a few thousand events of several hundred customers, serialized once
        live.createTopics();
        crash.createTopics();
        List<Event> events = serialize(live, generate());
        long customers = events.stream().map(Event::key).distinct().count();
        System.out.printf("determinism: %d events, %d routing ids%n", events.size(), customers);

        // (a) live: analytics runs while the events arrive
        String liveApp = live.uniqueId("analytics");
        Path liveState = work.resolve("live-state");
        Map<String, byte[]> liveProfiles;
        Map<TopicPartition, Long> liveOutputEnd;
        try (ServiceProcess analytics = startAnalytics(work, "live", live, liveApp, liveState)) {
            produce(live, events.subList(0, events.size() / CHUNKS));
            awaitSomeCommitted(live, liveApp, analytics);
            produceInChunks(live, events.subList(events.size() / CHUNKS, events.size()), Duration.ofMillis(150));
            awaitDrained(live, liveApp, analytics, events.size());
            analytics.stop("analytics stopped");
        }
        liveOutputEnd = outputEnd(live);
        liveProfiles = readProfiles(live, Map.of());
        long ta = System.nanoTime();

        // (b) crash: the same events on another namespace, analytics killed (SIGKILL) mid-stream and restarted
        String crashApp = crash.uniqueId("analytics");
        Path crashState = work.resolve("crash-state");
        long processedAtKill;
        try (ServiceProcess analytics = startAnalytics(work, "crash-1", crash, crashApp, crashState)) {
            produce(crash, events.subList(0, events.size() / CHUNKS));
            awaitSomeCommitted(crash, crashApp, analytics);
            CompletableFuture<Void> rest = CompletableFuture.runAsync(() -> produceInChunks(
                    crash, events.subList(events.size() / CHUNKS, events.size()), Duration.ofMillis(150)));
            processedAtKill = killWhenProcessed(crash, crashApp, analytics, events.size() * 3L / 10);
            rest.get(60, TimeUnit.SECONDS);
        }
        assertThat(processedAtKill).isPositive().isLessThan(events.size());
        // a killed member stays in the group until its session times out (45 s); remove it as an operator would
        crash.admin()
                .removeMembersFromConsumerGroup(crashApp, new RemoveMembersFromConsumerGroupOptions())
                .all()
                .get(30, TimeUnit.SECONDS);
        try (ServiceProcess analytics = startAnalytics(work, "crash-2", crash, crashApp, crashState)) {
            awaitDrained(crash, crashApp, analytics, events.size());
            analytics.stop("analytics stopped");
        }
        Map<String, byte[]> crashProfiles = readProfiles(crash, Map.of());
        List<String> written = new ArrayList<>(new ApplicationProgress(
                        crash.admin(), crashApp, crash.topics().events().name())
                .changelogTopics());
        written.add(crash.topics().profiles().name());
        long aborted =
                countRecords(crash, written, "read_uncommitted") - countRecords(crash, written, "read_committed");
        long tb = System.nanoTime();

        // (c) rebuild: the live application reset, then run again from offset 0
        ApplicationReset.Summary reset = new ApplicationReset(live.admin()).reset(liveApp, liveState);
        assertThat(reset.groupDeleted()).isTrue();
        assertThat(reset.stateDirRemoved()).isTrue();
        try (ServiceProcess analytics = startAnalytics(work, "rebuild", live, liveApp, liveState)) {
            awaitDrained(live, liveApp, analytics, events.size());
            analytics.stop("analytics stopped");
        }
        Map<String, byte[]> rebuiltProfiles = readProfiles(live, liveOutputEnd);
        long tc = System.nanoTime();
        System.out.printf(
                "determinism: setup+live %.1f s, crash (killed after %d of %d events; %d records of aborted"
                        + " transactions in its changelogs and profiles) %.1f s, rebuild %.1f s; %d profiles%n",
                (ta - t0) / 1e9,
                processedAtKill,
                events.size(),
                aborted,
                (tb - ta) / 1e9,
                (tc - tb) / 1e9,
                liveProfiles.size());

        // Then every customer's profile is the same, byte for byte
        assertThat(liveProfiles.size()).as("profiles of the live run").isBetween(CUSTOMERS / 2, events.size());
        assertSameProfiles("live", liveProfiles, "crash-and-restart", crashProfiles, live);
        assertSameProfiles("live", liveProfiles, "rebuild", rebuiltProfiles, live);
    }

    // ------------------------------------------------------------------------------------------- the events

    /** One event as produced: its routing key, its serialized value and its record timestamp. */
    private record Event(String key, byte[] value, long timestamp) {}

    /**
     * A seeded omnichannel history: anonymous web and app visits that later identify with a userId and an email,
     * POS orders carrying only an email, re-delivered duplicates of the same messageId, late events with old
     * timestamps, legacy user ids aliased to the new one, households sharing an email, consent changes.
     */
    private static List<TouchpointEvent> generate() {
        Random random = new Random(SEED);
        List<TouchpointEvent> events = new ArrayList<>();
        int receipts = 0;
        for (int c = 0; c < CUSTOMERS; c++) {
            Instant t = BASE.plusSeconds(random.nextInt(7 * 24 * 3600));
            String user = "user-" + c;
            String web = "anon-web-" + c;
            // two of every sixteen customers share a household email
            String email = c % 16 < 2 ? "household-" + (c / 16) + "@example.com" : "customer." + c + "@example.com";
            String shownEmail = random.nextBoolean() ? " " + email.toUpperCase() + " " : email;
            boolean legacy = random.nextInt(10) == 0;
            if (legacy) {
                for (int i = 0; i < 2; i++) {
                    t = t.plusSeconds(60 + random.nextInt(3600));
                    events.add(event(random, TestEvents.track("legacy-" + c, null, "Product Viewed", t), "web"));
                }
            }
            for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                t = t.plusSeconds(5 + random.nextInt(600));
                events.add(event(random, TestEvents.page(null, web, "Page " + random.nextInt(5), t), "web"));
            }
            t = t.plusSeconds(5 + random.nextInt(600));
            events.add(event(
                    random,
                    TestEvents.track(null, web, "Product Viewed", t)
                            .setProperties("{\"sku\":\"sku-" + random.nextInt(50) + "\"}"),
                    "web"));
            t = t.plusSeconds(5 + random.nextInt(600));
            String traits = random.nextInt(4) == 0
                    ? "{\"email\":\"" + shownEmail + "\",\"firstName\":\"Name" + c + "\",\"phone\":\"+39 333 "
                            + (1000000 + c) + "\"}"
                    : "{\"email\":\"" + shownEmail + "\",\"firstName\":\"Name" + c + "\"}";
            events.add(event(random, TestEvents.identify(user, web, traits, t), "web"));
            if (random.nextBoolean()) {
                String app = "anon-app-" + c;
                for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                    t = t.plusSeconds(30 + random.nextInt(3600));
                    events.add(event(random, screen(app, t), "mobile"));
                }
                t = t.plusSeconds(5 + random.nextInt(60));
                events.add(event(random, TestEvents.identify(user, app, null, t), "mobile"));
            }
            for (int i = 0, n = random.nextInt(4); i < n; i++) {
                t = t.plusSeconds(30 + random.nextInt(3600));
                events.add(event(random, TestEvents.track(user, null, "Product Added", t), "web"));
            }
            if (random.nextBoolean()) {
                t = t.plusSeconds(30 + random.nextInt(3600));
                events.add(event(
                        random,
                        TestEvents.track(user, null, "Order Completed", t)
                                .setProperties("{\"currency\":\"EUR\",\"revenue\":" + (10 + random.nextInt(200)) + "."
                                        + random.nextInt(100) + "}"),
                        "web"));
            }
            if (random.nextInt(3) == 0) {
                t = t.plusSeconds(3600 + random.nextInt(24 * 3600));
                events.add(event(
                        random,
                        TestEvents.track(null, "pos-receipt-" + receipts++, "Order Completed", t)
                                .setProperties(
                                        "{\"currency\":\"EUR\",\"total\":\"" + (5 + random.nextInt(90)) + ".50\"}")
                                .setContext(Context.newBuilder()
                                        .setTraits("{\"email\":\"" + email + "\"}")
                                        .build()),
                        "pos"));
            }
            if (random.nextInt(4) == 0) {
                t = t.plusSeconds(60 + random.nextInt(3600));
                events.add(event(
                        random,
                        TestEvents.track(user, null, "Consent Updated", t)
                                .setProperties("{\"channel\":\"email\",\"granted\":" + random.nextBoolean() + "}"),
                        "email"));
            }
            if (legacy) {
                t = t.plusSeconds(60 + random.nextInt(3600));
                events.add(event(random, TestEvents.alias(user, "legacy-" + c, t), "web"));
            }
        }
        events.sort(Comparator.comparing(TouchpointEvent::getReceivedAt).thenComparing(TouchpointEvent::getMessageId));
        List<TouchpointEvent> out = new ArrayList<>();
        for (TouchpointEvent e : events) {
            if (random.nextInt(25) == 0) {
                // late: happened offline three days before it was received
                e = TouchpointEvent.newBuilder(e)
                        .setTimestamp(e.getReceivedAt().minus(Duration.ofDays(3)))
                        .build();
            }
            out.add(e);
            if (random.nextInt(25) == 0) {
                // re-delivered: the same message received again a few seconds later
                out.add(TouchpointEvent.newBuilder(e)
                        .setReceivedAt(e.getReceivedAt().plusSeconds(1 + random.nextInt(30)))
                        .build());
            }
        }
        out.sort(Comparator.comparing(TouchpointEvent::getReceivedAt));
        return out;
    }

    private static TouchpointEvent.Builder screen(String anonymousId, Instant at) {
        return TestEvents.page(null, anonymousId, "Cart", at).setType(EventType.SCREEN);
    }

    private static TouchpointEvent event(Random random, TouchpointEvent.Builder builder, String channel) {
        return builder.setMessageId(new UUID(random.nextLong(), random.nextLong()).toString())
                .setSourceId("dev-" + channel)
                .setChannel(channel)
                .build();
    }

    private static List<Event> serialize(TestPlatform platform, List<TouchpointEvent> events) {
        var serializer = platform.topics().events().valueSerde().serializer();
        String topic = platform.topics().events().name();
        return events.stream()
                .map(e -> new Event(
                        TestEvents.routingKey(e),
                        serializer.serialize(topic, e),
                        e.getReceivedAt().toEpochMilli()))
                .toList();
    }

    private static void produce(TestPlatform platform, List<Event> events) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        String topic = platform.topics().events().name();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (Event e : events) {
                sent.add(producer.send(new ProducerRecord<>(
                        topic, null, e.timestamp(), e.key().getBytes(StandardCharsets.UTF_8), e.value())));
            }
            for (java.util.concurrent.Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("producing to " + topic + " failed", e);
        }
    }

    private static void produceInChunks(TestPlatform platform, List<Event> events, Duration pause) {
        int size = Math.max(1, events.size() / (CHUNKS - 1));
        for (int from = 0; from < events.size(); from += size) {
            produce(platform, events.subList(from, Math.min(events.size(), from + size)));
            sleep(pause);
        }
    }

    // ------------------------------------------------------------------------------------------- waiting

    private static void awaitSomeCommitted(TestPlatform platform, String app, ServiceProcess analytics) {
        ApplicationProgress progress = progress(platform, app);
        ApplicationProgress.Target target = progress.captureTarget();
        long started = System.nanoTime();
        long deadline = started + DEADLINE.toNanos();
        while (target.processed(progress.committed()) == 0) {
            analytics.assertAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError("analytics committed nothing within " + DEADLINE + analytics.logTail());
            }
            sleep(Duration.ofMillis(50));
        }
        System.out.printf(
                "determinism: %s committed its first events %.1f s after start%n",
                analytics.name(), (System.nanoTime() - analytics.startedNanos()) / 1e9);
    }

    private static long killWhenProcessed(TestPlatform platform, String app, ServiceProcess analytics, long atLeast) {
        ApplicationProgress progress = progress(platform, app);
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (true) {
            long processed = progress.committed().entrySet().stream()
                    .filter(e ->
                            e.getKey().topic().equals(platform.topics().events().name()))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
            if (processed >= atLeast) {
                analytics.kill();
                return processed;
            }
            analytics.assertAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "analytics did not process " + atLeast + " events within " + DEADLINE + analytics.logTail());
            }
            sleep(Duration.ofMillis(20));
        }
    }

    private static void awaitDrained(TestPlatform platform, String app, ServiceProcess analytics, long expected) {
        ApplicationProgress progress = progress(platform, app);
        ApplicationProgress.Target target = progress.captureTarget();
        assertThat(target.total()).isEqualTo(expected);
        long started = System.nanoTime();
        ApplicationProgress.Progress done;
        try {
            done = progress.awaitDrained(target, DEADLINE, POLL, p -> analytics.assertAlive());
        } catch (RuntimeException e) {
            throw new AssertionError(e.getMessage() + analytics.logTail(), e);
        }
        assertThat(done.processed()).isEqualTo(expected);
        System.out.printf(
                "determinism: %s drained %.1f s after the last event was produced%n",
                analytics.name(), (System.nanoTime() - started) / 1e9);
        // and it stays there
        sleep(Duration.ofMillis(500));
        assertThat(progress.look(target).drained()).isTrue();
    }

    private static ApplicationProgress progress(TestPlatform platform, String app) {
        return new ApplicationProgress(
                platform.admin(), app, platform.topics().events().name());
    }

    // ------------------------------------------------------------------------------------------- profiles

    private static Map<TopicPartition, Long> outputEnd(TestPlatform platform) {
        try (KafkaConsumer<String, byte[]> consumer = profileConsumer(platform)) {
            return consumer.endOffsets(profilePartitions(platform, consumer));
        }
    }

    /** customerId → serialized profile, the last value per key written at or after {@code from}; null = deleted. */
    private static Map<String, byte[]> readProfiles(TestPlatform platform, Map<TopicPartition, Long> from) {
        Map<String, byte[]> profiles = new TreeMap<>();
        try (KafkaConsumer<String, byte[]> consumer = profileConsumer(platform)) {
            List<TopicPartition> partitions = profilePartitions(platform, consumer);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            partitions.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp, 0L)));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(
                            "could not read " + platform.topics().profiles().name() + " to its end");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    if (r.value() == null) {
                        profiles.remove(r.key());
                    } else {
                        profiles.put(r.key(), r.value());
                    }
                }
            }
        }
        return profiles;
    }

    /** How many records of these topics a consumer with this isolation level reads (aborted ones only uncommitted). */
    private static long countRecords(TestPlatform platform, List<String> topics, String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("could not count the records of " + topics);
                }
                count += consumer.poll(POLL).count();
            }
        }
        return count;
    }

    private static List<TopicPartition> profilePartitions(TestPlatform platform, KafkaConsumer<?, ?> consumer) {
        String topic = platform.topics().profiles().name();
        return consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
    }

    private static KafkaConsumer<String, byte[]> profileConsumer(TestPlatform platform) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void assertSameProfiles(
            String expectedName,
            Map<String, byte[]> expected,
            String actualName,
            Map<String, byte[]> actual,
            TestPlatform platform) {
        Set<String> keys = new TreeSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        List<String> differences = new ArrayList<>();
        var deserializer = platform.topics().profiles().valueSerde().deserializer();
        String topic = platform.topics().profiles().name();
        for (String key : keys) {
            byte[] e = expected.get(key);
            byte[] a = actual.get(key);
            if (e != null && a != null && Arrays.equals(e, a)) {
                continue;
            }
            differences.add("customer " + key + ": "
                    + difference(
                            expectedName, decode(deserializer, topic, e), actualName, decode(deserializer, topic, a))
                    + (e != null && a != null ? byteDifference(e, a) : ""));
        }
        if (!differences.isEmpty()) {
            throw new AssertionError(differences.size() + " of " + keys.size() + " customers differ between "
                    + expectedName + " and " + actualName + " (first 10):\n  "
                    + String.join("\n  ", differences.subList(0, Math.min(10, differences.size()))));
        }
    }

    /** The decoded profile; null when absent; a {@link String} describing the bytes when they do not decode. */
    private static Object decode(
            org.apache.kafka.common.serialization.Deserializer<CustomerProfile> deserializer, String topic, byte[] b) {
        if (b == null) {
            return null;
        }
        try {
            return deserializer.deserialize(topic, b);
        } catch (RuntimeException e) {
            return b.length + " undecodable bytes (" + e.getMessage() + ")";
        }
    }

    /** The fields that differ, or both values whole when one is missing or not a profile. */
    /** Where two encodings first differ, and their schema ids (the 4 bytes after the magic byte). */
    private static String byteDifference(byte[] e, byte[] a) {
        int i = java.util.Arrays.mismatch(e, a);
        return " (" + e.length + " vs " + a.length + " bytes, first difference at byte " + i + ", schema ids "
                + (e.length >= 5 ? java.nio.ByteBuffer.wrap(e, 1, 4).getInt() : -1) + " vs "
                + (a.length >= 5 ? java.nio.ByteBuffer.wrap(a, 1, 4).getInt() : -1) + "; around it: '"
                + excerpt(e, i) + "' vs '" + excerpt(a, i) + "')";
    }

    /** The bytes around {@code at} as text, non-printable ones as '.'. */
    private static String excerpt(byte[] b, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = Math.max(0, at - 24); i < Math.min(b.length, at + 48); i++) {
            sb.append(b[i] >= 32 && b[i] < 127 ? (char) b[i] : '.');
        }
        return sb.toString();
    }

    private static String difference(String expectedName, Object expected, String actualName, Object actual) {
        if (expected instanceof CustomerProfile e && actual instanceof CustomerProfile a) {
            List<String> fields = new ArrayList<>();
            for (var field : e.getSchema().getFields()) {
                Object x = e.get(field.pos());
                Object y = a.get(field.pos());
                // text, not equals: Avro writes a map in its iteration order, which Map.equals ignores
                if (!String.valueOf(x).equals(String.valueOf(y))) {
                    fields.add(field.name() + " " + expectedName + "=" + x + " " + actualName + "=" + y);
                }
            }
            return fields.isEmpty() ? "same fields, different bytes" : String.join("; ", fields);
        }
        return "\n    " + expectedName + ": " + (expected == null ? "(no profile)" : expected) + "\n    " + actualName
                + ": " + (actual == null ? "(no profile)" : actual);
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ------------------------------------------------------------------------------------------- the process

    /** {@link AnalyticsMain} in a child JVM on this test's classpath, its output in a log file. */
    private static ServiceProcess startAnalytics(Path work, String name, TestPlatform platform, String app, Path state)
            throws IOException {
        Properties p = ServiceProcess.platformConfig(platform);
        p.setProperty("analytics.application-id", app);
        p.setProperty("analytics.state-dir", state.toString());
        p.setProperty("analytics.port", "0");
        return ServiceProcess.start(work, name, AnalyticsMain.class, p);
    }
}
