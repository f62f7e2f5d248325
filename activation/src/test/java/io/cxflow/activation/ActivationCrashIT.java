package io.cxflow.activation;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.activation.ledger.CustomerHistory;
import io.cxflow.activation.ledger.LedgerCodec;
import io.cxflow.activation.ledger.LedgerEntry;
import io.cxflow.activation.testing.Fixtures;
import io.cxflow.activation.testing.IdempotentProvider;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TriggerKind;
import io.cxflow.avro.WorkflowDefinition;
import io.cxflow.platform.json.Json;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.ServiceProcess;
import io.cxflow.testkit.TestPlatform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 4 under crashes: activation runs as its own process ({@link ActivationMain}) and is killed with {@code
 * kill -9} at random points of a run of thousands of decisions, then started again, while a loopback provider that
 * honours {@code Idempotency-Key} counts effects. At the end every expected decision had exactly one effect, none is
 * missing and no unexpected key reached the provider. The provider refuses some first attempts ({@code 503}/{@code
 * 429} with {@code Retry-After}), so retries are in play, and holds each request a few milliseconds, so kills land
 * while requests are in flight.
 *
 * <p>Defaults: 2,000 decisions, 3 kills, a new seed per run (printed). Longer: {@code -Dcx.crash.decisions=20000
 * -Dcx.crash.kills=10}; the same failures and kill points again: {@code -Dcx.crash.seed=<printed seed>}.
 */
@CxIntegrationTest
class ActivationCrashIT {

    private static final int DECISIONS = Integer.getInteger("cx.crash.decisions", 2_000);
    private static final int KILLS = Integer.getInteger("cx.crash.kills", 3);
    private static final long SEED = Long.getLong("cx.crash.seed", System.currentTimeMillis());
    /** Decisions per customer: 3 on entering seg-a (two workflows), 1 on entering seg-b. */
    private static final int DECISIONS_PER_CUSTOMER = 4;

    private static final Duration PROGRESS_DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);

    @Test
    void shouldHaveExactlyOneEffectPerDecisionWhenKilledAndRestartedAtRandomPoints(
            TestPlatform platform, @TempDir Path work) throws Exception {
        Random random = new Random(SEED);
        System.out.printf(
                "activation crash: seed %d (-Dcx.crash.seed=%d), %d decisions, %d kills%n",
                SEED, SEED, DECISIONS, KILLS);
        long t0 = System.nanoTime();

        // Given three workflows of webhook steps on two segments, and a provider that refuses some first attempts
        platform.createTopics();
        try (IdempotentProvider provider = new IdempotentProvider(SEED, 0.1, 2, 4)) {
            platform.produce(
                    platform.topics().workflows(),
                    workflow(Fixtures.webhookWorkflow(
                            "welcome", "seg-a", TriggerKind.ENTERED, 1, provider.url("/a"), provider.url("/b"))),
                    workflow(Fixtures.webhookWorkflow("crm", "seg-a", TriggerKind.ENTERED, 1, provider.url("/crm"))),
                    workflow(Fixtures.webhookWorkflow("vip", "seg-b", TriggerKind.ENTERED, 1, provider.url("/vip"))));
            Plan plan = plan(random);
            System.out.printf(
                    "activation crash: %d membership changes of %d customers, %d expected decisions%n",
                    plan.changes.size(), plan.customers, plan.expectedKeys.size());
            String group = platform.uniqueId("activation");
            List<Long> killAt = killPoints(random, plan.expectedKeys.size());

            // When activation runs while the changes arrive, and is killed at random points and restarted
            List<String> kills = new ArrayList<>();
            CompletableFuture<Void> producing;
            ServiceProcess process = startActivation(work, "run-0", platform, group);
            try {
                producing =
                        CompletableFuture.runAsync(() -> produceInChunks(platform, plan.changes, random.nextLong()));
                for (int i = 0; i < killAt.size(); i++) {
                    awaitEffects(provider, killAt.get(i), process);
                    Thread.sleep(random.nextInt(400));
                    long effects = provider.effects();
                    long requests = provider.requests();
                    process.kill();
                    kills.add("kill " + (i + 1) + " at " + effects + " effects / " + requests + " requests, "
                            + String.format("%.1f s", (System.nanoTime() - t0) / 1e9));
                    System.out.println("activation crash: " + kills.getLast());
                    removeMembers(platform, group);
                    process = startActivation(work, "run-" + (i + 1), platform, group);
                }
                producing.get(PROGRESS_DEADLINE.toSeconds(), TimeUnit.SECONDS);
                awaitEffects(provider, plan.expectedKeys.size(), process);
                awaitLedgerDone(platform, group, plan.expectedKeys, process);
                // the last instance stops cleanly: nothing is left to send
                process.stop("activation stopped");
            } finally {
                process.close();
            }
            long t1 = System.nanoTime();

            // Then every expected decision had exactly one effect, none is missing, nothing unexpected arrived
            Map<String, Integer> effects = provider.effectsByKey();
            Map<String, Integer> byDecision = provider.effectsByDecision();
            Set<String> missing = new TreeSet<>(plan.expectedKeys);
            missing.removeAll(effects.keySet());
            Set<String> unexpected = new TreeSet<>(provider.keysSeen());
            unexpected.removeAll(plan.expectedKeys);
            Map<String, Integer> duplicates = new TreeMap<>();
            byDecision.forEach((decision, n) -> {
                if (n != 1) {
                    duplicates.put(decision, n);
                }
            });
            Map<Integer, Integer> sentResults = sentResults(platform, plan.expectedKeys);
            System.out.printf(
                    "activation crash: %d decisions, %d effects, %d duplicate effects, %d missing, %d unexpected keys;"
                            + " %d requests, %d refused (503/429), %d redeliveries of a key that already had its effect"
                            + " (a provider without idempotency keys would have had %d duplicate effects);"
                            + " decisions by their number of SENT results: %s; %.1f s%n",
                    plan.expectedKeys.size(),
                    provider.effects(),
                    duplicates.size(),
                    missing.size(),
                    unexpected.size(),
                    provider.requests(),
                    provider.refused(),
                    provider.redeliveries(),
                    provider.redeliveries(),
                    sentResults,
                    (t1 - t0) / 1e9);
            assertThat(kills).hasSize(KILLS);
            assertThat(missing).as("decisions without an effect").isEmpty();
            assertThat(unexpected).as("keys nobody expected").isEmpty();
            assertThat(duplicates).as("decisions with more than one effect").isEmpty();
            assertThat(effects.values()).allMatch(n -> n == 1);
            assertThat(byDecision).hasSize(plan.expectedKeys.size());
            assertThat(sentResults)
                    .as("decisions by their number of SENT results")
                    .doesNotContainKey(0);
            assertThat(provider.keysWithDifferentBodies())
                    .as("keys sent with different bodies")
                    .isEmpty();
        }
    }

    // ------------------------------------------------------------------------------------------- the run

    /** The membership changes to produce, in order per customer, and the decisions they must cause. */
    private record Plan(List<SegmentMembershipChanged> changes, Set<String> expectedKeys, int customers) {}

    /**
     * Customers enter seg-a (3 decisions) and seg-b (1 decision); every fifth then leaves seg-a (no workflow) and
     * enters it again (3 more decisions, under a new membership version).
     */
    private static Plan plan(Random random) {
        int customers = Math.max(1, DECISIONS / DECISIONS_PER_CUSTOMER);
        List<SegmentMembershipChanged> first = new ArrayList<>();
        List<SegmentMembershipChanged> again = new ArrayList<>();
        Set<String> keys = new TreeSet<>();
        for (int c = 0; c < customers; c++) {
            String customer = "c-" + c;
            first.add(Fixtures.change(customer, "seg-a", MembershipChange.ENTERED, 1));
            first.add(Fixtures.change(customer, "seg-b", MembershipChange.ENTERED, 1));
            addKeys(keys, customer, "seg-a", 1);
            addKeys(keys, customer, "seg-b", 1);
            if (c % 5 == 4) {
                again.add(Fixtures.change(customer, "seg-a", MembershipChange.EXITED, 2));
                again.add(Fixtures.change(customer, "seg-a", MembershipChange.ENTERED, 3));
                addKeys(keys, customer, "seg-a", 3);
            }
        }
        Collections.shuffle(first, random);
        List<SegmentMembershipChanged> changes = new ArrayList<>(first);
        changes.addAll(again); // after every first change, so each customer's changes stay in order
        return new Plan(changes, keys, customers);
    }

    private static void addKeys(Set<String> keys, String customer, String segment, long version) {
        if (segment.equals("seg-a")) {
            keys.add("welcome:step-1:" + customer + ":" + version);
            keys.add("welcome:step-2:" + customer + ":" + version);
            keys.add("crm:step-1:" + customer + ":" + version);
        } else {
            keys.add("vip:step-1:" + customer + ":" + version);
        }
    }

    /** Effects counts at which to kill: spread over the run, sorted. */
    private static List<Long> killPoints(Random random, int decisions) {
        List<Long> points = new ArrayList<>();
        for (int i = 0; i < KILLS; i++) {
            points.add((long) (decisions * (0.05 + 0.8 * random.nextDouble())));
        }
        Collections.sort(points);
        return points;
    }

    private static TestPlatform.KeyValue<WorkflowDefinition> workflow(WorkflowDefinition definition) {
        return TestPlatform.KeyValue.of(definition.getId(), definition);
    }

    /** Produces the changes in about 20 chunks with short pauses, so kills also land while changes arrive. */
    private static void produceInChunks(TestPlatform platform, List<SegmentMembershipChanged> changes, long seed) {
        Random random = new Random(seed);
        int chunk = Math.max(1, changes.size() / 20);
        String topic = platform.topics().segmentMembership().name();
        try (KafkaProducer<String, SegmentMembershipChanged> producer =
                platform.producer(platform.topics().segmentMembership())) {
            for (int from = 0; from < changes.size(); from += chunk) {
                List<Future<?>> sent = new ArrayList<>();
                for (SegmentMembershipChanged change : changes.subList(from, Math.min(changes.size(), from + chunk))) {
                    sent.add(producer.send(new ProducerRecord<>(topic, change.getCustomerId(), change)));
                }
                for (Future<?> f : sent) {
                    f.get(30, TimeUnit.SECONDS);
                }
                Thread.sleep(50 + random.nextInt(200));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producing", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("producing to " + topic + " failed", e);
        }
    }

    // ------------------------------------------------------------------------------------------- waiting

    /** Waits until the provider has had {@code target} effects; fails when no effect happens for a minute. */
    private static void awaitEffects(IdempotentProvider provider, long target, ServiceProcess process)
            throws InterruptedException {
        long last = provider.effects();
        long lastChange = System.nanoTime();
        long lastReport = System.nanoTime();
        while (provider.effects() < target) {
            process.assertAlive();
            long now = provider.effects();
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(5)) {
                lastReport = System.nanoTime();
                System.out.printf(
                        "activation crash: %s up %.1f s, %d effects, %d requests%n",
                        process.name(), (System.nanoTime() - process.startedNanos()) / 1e9, now, provider.requests());
            }
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > PROGRESS_DEADLINE.toNanos()) {
                throw new AssertionError("no new effect for " + PROGRESS_DEADLINE + " at " + now + " of " + target
                        + " effects" + process.logTail());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** Waits until the ledger holds DONE for every expected key. */
    private static void awaitLedgerDone(TestPlatform platform, String group, Set<String> keys, ServiceProcess process)
            throws Exception {
        long deadline = System.nanoTime() + PROGRESS_DEADLINE.toNanos();
        Set<String> notDone = keys;
        while (true) {
            process.assertAlive();
            Map<String, LedgerEntry.State> states = ledgerStates(platform, group + "-ledger");
            notDone = new TreeSet<>();
            for (String key : keys) {
                if (states.get(key) != LedgerEntry.State.DONE) {
                    notDone.add(key);
                }
            }
            if (notDone.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                List<String> sample = new ArrayList<>();
                for (String key : notDone) {
                    if (sample.size() == 10) {
                        break;
                    }
                    sample.add(key + "=" + states.get(key));
                }
                throw new AssertionError(notDone.size() + " decisions are not DONE on the ledger within "
                        + PROGRESS_DEADLINE + ", e.g. " + sample + process.logTail());
            }
            Thread.sleep(500);
        }
    }

    /** The latest ledger state of every key: the history with the highest sequence per customer. */
    private static Map<String, LedgerEntry.State> ledgerStates(TestPlatform platform, String topic) {
        LedgerCodec codec = new LedgerCodec(Json.mapper());
        Map<String, CustomerHistory> histories = new HashMap<>();
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value() != null) {
                        CustomerHistory h = codec.read(r.value());
                        histories.merge(r.key(), h, (a, b) -> b.seq() > a.seq() ? b : a);
                    }
                }
            }
        }
        Map<String, LedgerEntry.State> states = new HashMap<>();
        histories.values().forEach(h -> h.entries().forEach(e -> states.put(e.key(), e.state())));
        return states;
    }

    /**
     * The decisions by how many {@code SENT} results {@code cx.activations.v1} has for them: 1 normally, 2 after a
     * crash between the result and the ledger's DONE (the call and the result are repeated), 0 would be an outcome
     * missing from the results.
     */
    private static Map<Integer, Integer> sentResults(TestPlatform platform, Set<String> keys) {
        Map<String, Integer> sent = new HashMap<>();
        for (ConsumerRecord<String, ActivationResult> r :
                platform.readAll(platform.topics().activations(), Duration.ofSeconds(60))) {
            if (r.value().getStatus() == ActivationStatus.SENT) {
                sent.merge(r.value().getIdempotencyKey(), 1, Integer::sum);
            }
        }
        Map<Integer, Integer> counts = new TreeMap<>();
        for (String key : keys) {
            counts.merge(sent.getOrDefault(key, 0), 1, Integer::sum);
        }
        return counts;
    }

    /** A killed member stays in the group until its session times out (45 s); remove it as an operator would. */
    private static void removeMembers(TestPlatform platform, String group) throws InterruptedException {
        try {
            platform.admin()
                    .removeMembersFromConsumerGroup(group, new RemoveMembersFromConsumerGroupOptions())
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            // no member to remove (killed before it joined) or no group yet
            System.out.println(
                    "activation crash: no member removed (" + e.getCause().getMessage() + ")");
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("removing the members of " + group + " timed out", e);
        }
    }

    // ------------------------------------------------------------------------------------------- the process

    /** {@link ActivationMain} in a child JVM on this test's class path. */
    private static ServiceProcess startActivation(Path work, String name, TestPlatform platform, String group)
            throws IOException {
        Properties p = ServiceProcess.platformConfig(platform);
        p.setProperty("activation.port", "0");
        p.setProperty("activation.group.id", group);
        p.setProperty("activation.webhook.request-timeout", "5s");
        p.setProperty("activation.retry.max-attempts", "6");
        p.setProperty("activation.retry.initial-backoff", "20ms");
        p.setProperty("activation.retry.max-backoff", "100ms");
        p.setProperty("activation.history.lookback", "0");
        return ServiceProcess.start(work, name, ActivationMain.class, p);
    }
}
