package io.cxflow.analytics.testing;

import io.cxflow.analytics.AnalyticsTopology;
import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.profile.ProfileTopology;
import io.cxflow.analytics.segment.MembershipState;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.analytics.segment.SegmentTopology;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.SegmentDefinition;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.serde.RegistrySerdes;
import io.cxflow.schemas.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/** The analytics topology in a {@link TopologyTestDriver}, with an in-memory registry. */
public final class AnalyticsDriver implements AutoCloseable {

    public final Topics topics;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, TouchpointEvent> events;
    private final TestInputTopic<String, byte[]> rawEvents;
    private final TestInputTopic<String, SegmentDefinition> definitions;
    private final TestOutputTopic<String, CustomerProfile> profiles;
    private final TestOutputTopic<String, SegmentMembershipChanged> memberships;
    private final TestOutputTopic<String, RejectedEvent> rejected;
    private final Path stateDir;

    public AnalyticsDriver(SegmentSettings segments) {
        this(new ProfileSettings("EUR"), segments);
    }

    public AnalyticsDriver(ProfileSettings profileSettings, SegmentSettings segments) {
        this(profileSettings, segments, java.time.Instant.now());
    }

    /** A driver whose wall clock starts at {@code wallClock}. */
    public AnalyticsDriver(ProfileSettings profileSettings, SegmentSettings segments, java.time.Instant wallClock) {
        this.topics = new Topics(RegistrySerdes.inMemory(), "");
        try {
            this.stateDir = Files.createTempDirectory("cx-analytics-ttd");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "cx-analytics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // at-least-once here: the driver's mock producer drops a record sent outside processing (the
        // deserialization handler's) under a transaction; the service runs exactly_once_v2.
        props.putAll(AnalyticsTopology.requiredStreamsConfig(topics));
        this.driver =
                new TopologyTestDriver(AnalyticsTopology.build(topics, profileSettings, segments), props, wallClock);
        this.events = driver.createInputTopic(
                topics.events().name(),
                new StringSerializer(),
                topics.events().valueSerde().serializer());
        this.definitions = driver.createInputTopic(
                topics.segmentDefinitions().name(),
                new StringSerializer(),
                topics.segmentDefinitions().valueSerde().serializer());
        this.rawEvents =
                driver.createInputTopic(topics.events().name(), new StringSerializer(), new ByteArraySerializer());
        this.profiles = driver.createOutputTopic(
                topics.profiles().name(),
                topics.profiles().keySerde().deserializer(),
                topics.profiles().valueSerde().deserializer());
        this.memberships = driver.createOutputTopic(
                topics.segmentMembership().name(),
                topics.segmentMembership().keySerde().deserializer(),
                topics.segmentMembership().valueSerde().deserializer());
        this.rejected = driver.createOutputTopic(
                topics.rejected().name(),
                topics.rejected().keySerde().deserializer(),
                topics.rejected().valueSerde().deserializer());
    }

    /** Sends an event keyed by its routing id (userId, else anonymousId), as the collector does. */
    public void send(TouchpointEvent event) {
        String key = event.getUserId() != null ? event.getUserId() : event.getAnonymousId();
        events.pipeInput(key, event, event.getTimestamp());
    }

    public void send(TouchpointEvent.Builder event) {
        send(event.build());
    }

    /** Sends an event under an explicit key (possibly {@code null}). */
    public void sendKeyed(String key, TouchpointEvent event) {
        events.pipeInput(key, event, event.getTimestamp());
    }

    public void sendRaw(String key, byte[] value) {
        rawEvents.pipeInput(key, value);
    }

    public CustomerProfile storedProfile(String customerId) {
        KeyValueStore<String, CustomerProfile> store = driver.getKeyValueStore(ProfileTopology.PROFILES_STORE);
        return store.get(customerId);
    }

    /** The customer an identifier ({@code type:value}) belongs to, as the lookup API resolves it; null when unknown. */
    public String indexedCustomer(String indexKey) {
        KeyValueStore<String, String> store = driver.getKeyValueStore(ProfileTopology.IDENTITY_INDEX_STORE);
        String customer = store.get(indexKey);
        if (customer == null && (indexKey.startsWith("userId:") || indexKey.startsWith("anonymousId:"))) {
            String own = CustomerIds.derive(indexKey);
            return storedProfile(own) == null ? null : own;
        }
        return customer;
    }

    /** The stored profile of the customer an identifier ({@code type:value}) belongs to. */
    public CustomerProfile profileOf(String indexKey) {
        String customer = indexedCustomer(indexKey);
        return customer == null ? null : storedProfile(customer);
    }

    /** The stored profile of the customer of a userId. */
    public CustomerProfile profileOfUser(String userId) {
        return profileOf("userId:" + userId);
    }

    /** Puts a segment definition on cx.segment-definitions.v1 (as the segments API does). */
    public void define(String id, String condition, boolean topic, long version) {
        definitions.pipeInput(
                id,
                SegmentDefinition.newBuilder()
                        .setId(id)
                        .setName(id)
                        .setCondition(condition)
                        .setTopic(topic)
                        .setVersion(version)
                        .setUpdatedAt(java.time.Instant.parse("2026-11-20T00:00:00Z"))
                        .build());
    }

    /** Removes a segment definition (tombstone). */
    public void undefine(String id) {
        definitions.pipeInput(id, null);
    }

    /** Advances the wall clock (punctuators: time-based re-evaluation, backfill). */
    public void advanceWallClock(java.time.Duration by) {
        driver.advanceWallClockTime(by);
    }

    /** Records on cx.segment.<id>.v1. */
    public List<SegmentMembershipChanged> segmentTopic(String id) {
        return driver.createOutputTopic(
                        topics.segment(id).name(),
                        topics.segment(id).keySerde().deserializer(),
                        topics.segment(id).valueSerde().deserializer())
                .readValuesToList();
    }

    /** Members of a segment in the (single) task. */
    public long size(String segmentId) {
        Long size = this.<Long>store(SegmentTopology.SIZES_STORE).get(segmentId);
        return size == null ? 0 : size;
    }

    /** A key-value store of the topology, by name. */
    public <V> KeyValueStore<String, V> store(String name) {
        return driver.getKeyValueStore(name);
    }

    /** Where an absorbed customer id redirects, or null. */
    public String redirect(String customerId) {
        KeyValueStore<String, String> store = driver.getKeyValueStore(ProfileTopology.IDENTITY_REDIRECTS_STORE);
        return store.get(customerId);
    }

    public MembershipState membership(String segmentId, String customerId) {
        KeyValueStore<String, MembershipState> store = driver.getKeyValueStore(SegmentTopology.MEMBERSHIP_STORE);
        return store.get(MembershipState.key(segmentId, customerId));
    }

    public List<CustomerProfile> publishedProfiles() {
        return profiles.readValuesToList();
    }

    public List<SegmentMembershipChanged> membershipChanges() {
        return memberships.readValuesToList();
    }

    public List<RejectedEvent> rejections() {
        return rejected.readValuesToList();
    }

    /** The total of a segment sensor ({@code <operation>-total} of the segment entity), 0 when never recorded. */
    public double segmentTotal(String operation) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(operation + "-total")
                        && e.getKey().tags().containsValue(io.cxflow.analytics.AnalyticsMetrics.SEGMENT_ENTITY))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    public Topics topics() {
        return topics;
    }

    @Override
    public void close() {
        driver.close();
        try (var paths = Files.walk(stateDir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
