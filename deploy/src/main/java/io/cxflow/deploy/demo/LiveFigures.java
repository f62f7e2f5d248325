package io.cxflow.deploy.demo;

import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.platform.PlatformContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts what the pipeline produced, read from the topics themselves: distinct profiles, segment sizes (ENTERED
 * minus EXITED) and activation outcomes. For the demo's live figures.
 */
public final class LiveFigures implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LiveFigures.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final String profilesTopic;
    private final String membershipTopic;
    private final String activationsTopic;
    private final Deserializer<CustomerProfile> profiles;
    private final Deserializer<SegmentMembershipChanged> memberships;
    private final Deserializer<ActivationResult> activations;
    private final Set<String> customers = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> segmentSizes = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> activationStatus = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public LiveFigures(PlatformContext platform) {
        Map<String, Object> config = platform.kafka().consumer("cx-demo-figures", null);
        this.consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
        this.profilesTopic = platform.topics().profiles().name();
        this.membershipTopic = platform.topics().segmentMembership().name();
        this.activationsTopic = platform.topics().activations().name();
        this.profiles = platform.topics().profiles().valueSerde().deserializer();
        this.memberships = platform.topics().segmentMembership().valueSerde().deserializer();
        this.activations = platform.topics().activations().valueSerde().deserializer();
        var partitions = new java.util.ArrayList<org.apache.kafka.common.TopicPartition>();
        for (String topic : List.of(profilesTopic, membershipTopic, activationsTopic)) {
            consumer.partitionsFor(topic)
                    .forEach(p -> partitions.add(new org.apache.kafka.common.TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        this.thread = Thread.ofPlatform().name("cx-demo-figures").daemon().start(this::run);
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    count(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.warn("live figures stopped: {}", e.toString());
        } finally {
            consumer.close();
        }
    }

    private void count(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            if (r.topic().equals(profilesTopic) && r.key() != null) {
                customers.remove(r.key()); // absorbed by a merge
            }
            return;
        }
        if (r.topic().equals(profilesTopic)) {
            customers.add(profiles.deserialize(r.topic(), r.value()).getCustomerId());
        } else if (r.topic().equals(membershipTopic)) {
            SegmentMembershipChanged change = memberships.deserialize(r.topic(), r.value());
            long delta = change.getChange() == MembershipChange.ENTERED ? 1 : -1;
            segmentSizes
                    .computeIfAbsent(change.getSegmentId(), k -> new AtomicLong())
                    .addAndGet(delta);
        } else if (r.topic().equals(activationsTopic)) {
            ActivationResult result = activations.deserialize(r.topic(), r.value());
            activationStatus
                    .computeIfAbsent(result.getStatus().name(), k -> new AtomicLong())
                    .incrementAndGet();
        }
    }

    public int profiles() {
        return customers.size();
    }

    public Map<String, Long> segmentSizes() {
        Map<String, Long> out = new TreeMap<>();
        segmentSizes.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public Map<String, Long> activations() {
        Map<String, Long> out = new TreeMap<>();
        activationStatus.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
