package io.cxflow.analytics.profile;

import io.cxflow.analytics.dedupe.DedupeTopology;
import io.cxflow.analytics.identity.IdentitySettings;
import io.cxflow.analytics.identity.internal.AssignmentSerde;
import io.cxflow.analytics.identity.internal.GroupRecord;
import io.cxflow.analytics.identity.internal.IdentityOutput;
import io.cxflow.analytics.identity.internal.IdentityProcessor;
import io.cxflow.analytics.identity.internal.Link;
import io.cxflow.analytics.identity.internal.LinkSerde;
import io.cxflow.analytics.identity.internal.NodeStateSerde;
import io.cxflow.analytics.profile.internal.AssignmentProcessor;
import io.cxflow.analytics.profile.internal.CustomerOp;
import io.cxflow.analytics.profile.internal.CustomerProcessor;
import io.cxflow.analytics.profile.internal.EncodeOnceSerde;
import io.cxflow.analytics.profile.internal.PartialCodec;
import io.cxflow.analytics.profile.internal.ProfileStoreProcessor;
import io.cxflow.analytics.profile.internal.RoutingOutput;
import io.cxflow.analytics.profile.internal.RoutingProcessor;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.IdentityLink;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.schemas.Topic;
import io.cxflow.schemas.Topics;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The profile and identity bounded contexts: {@code cx.events.v1} → deduplicated → one partial
 * profile per routing identifier → the identity graph groups identifiers into customers → one merged
 * {@link CustomerProfile} per customer in the store {@value #PROFILES_STORE} → every change on {@code
 * cx.profiles.v1} (a tombstone for an absorbed customer). Three sub-topologies:
 *
 * <pre>
 * routing (partitioned like cx.events.v1, by routing id)
 *   cx-events-source → dedupe-events → profile-route ─┬─ rejected → profile-rejected-sink
 *     (partials, routing-links, routing-assignments)  ├─ links → identity-links (repartition, 1 partition)
 *                                                     └─ ops ──┐
 *   identity-assignments (repartition) → identity-assign ──────┴→ customer-ops (repartition)
 * identity (one partition: the whole graph)
 *   identity-links → identity-graph ─┬─ assignments → identity-assignments (repartition, N partitions)
 *     (identity-nodes, -groups,       ├─ members → customer-members (repartition, N partitions)
 *      -index, -redirects)            └─ links → identity-links-sink (cx.identity-links.v1)
 * customer (partitioned by customer id)
 *   customer-ops + customer-members → customer-merge → [stages] → profile-store → profiles-sink
 *     (customer-parts, customer-members, profiles)
 * </pre>
 *
 * Every processor, store, source, sink and repartition topic is named. This class only adds to a
 * {@link StreamsBuilder}.
 */
public final class ProfileTopology {

    /** {@code KeyValueStore<String, CustomerProfile>}: customer id → profile (customer sub-topology). */
    public static final String PROFILES_STORE = "profiles";

    /** {@code KeyValueStore<String, byte[]>}: routing key ({@code userId:u-1}) → partial profile ({@link PartialCodec}). */
    public static final String PARTIALS_STORE = "partials";

    /** {@code KeyValueStore<String, byte[]>}: routing key + NUL + identifier → smallest link order sent. */
    public static final String ROUTING_LINKS_STORE = "routing-links";

    /** {@code KeyValueStore<String, String>}: routing key → customer id, when not its own. */
    public static final String ROUTING_ASSIGNMENTS_STORE = "routing-assignments";

    /** {@code KeyValueStore<String, byte[]>}: customer id + NUL + routing key → partial profile ({@link PartialCodec}). */
    public static final String CUSTOMER_PARTS_STORE = "customer-parts";

    /** {@code KeyValueStore<String, Members>}: customer id → its identifiers from the graph. */
    public static final String CUSTOMER_MEMBERS_STORE = "customer-members";

    /** {@code KeyValueStore<String, NodeState>}: identifier → its group and neighbours (identity task). */
    public static final String IDENTITY_NODES_STORE = "identity-nodes";

    /** {@code KeyValueStore<String, GroupRecord>}: customer id → group members (identity task). */
    public static final String IDENTITY_GROUPS_STORE = "identity-groups";

    /** {@code KeyValueStore<String, String>}: identifier in a group → customer id (identity task, lookups). */
    public static final String IDENTITY_INDEX_STORE = "identity-index";

    /** {@code KeyValueStore<String, String>}: absorbed customer id → the customer it belongs to now. */
    public static final String IDENTITY_REDIRECTS_STORE = "identity-redirects";

    public static final String SOURCE = "cx-events-source";
    public static final String ROUTE = "profile-route";
    public static final String IDENTITY_GRAPH = "identity-graph";
    public static final String ASSIGN = "identity-assign";
    public static final String MERGE = "customer-merge";
    public static final String STORE = "profile-store";
    public static final String PROFILES_SINK = "profiles-sink";
    public static final String REJECTED_SINK = "profile-rejected-sink";
    public static final String IDENTITY_LINKS_SINK = "identity-links-sink";

    /** Repartition topics (Streams names them {@code <application.id>-<name>-repartition}). */
    public static final String LINKS_TOPIC = "identity-links";

    public static final String ASSIGNMENTS_TOPIC = "identity-assignments";
    public static final String CUSTOMER_OPS_TOPIC = "customer-ops";
    public static final String CUSTOMER_MEMBERS_TOPIC = "customer-members";

    private ProfileTopology() {}

    /** Adds the topology with no stage, default identity rules and the catalog's partition count. */
    public static KStream<String, CustomerProfile> build(
            StreamsBuilder builder, Topics topics, ProfileSettings settings) {
        return build(builder, topics, settings, IdentitySettings.defaults(), ProfileStage.NONE, defaultPartitions());
    }

    /** Adds the topology with default identity rules and the catalog's partition count. */
    public static KStream<String, CustomerProfile> build(
            StreamsBuilder builder, Topics topics, ProfileSettings settings, ProfileStage stage) {
        return build(builder, topics, settings, IdentitySettings.defaults(), stage, defaultPartitions());
    }

    /** The partition count of {@code cx.events.v1} in the catalog. */
    public static int defaultPartitions() {
        return Topics.EVENTS.partitions();
    }

    /**
     * Adds the topology.
     *
     * @param partitions the partition count of {@code cx.events.v1}: the routing repartition topics must
     *     have the same (co-partitioned with the events), and the customer topics use it too
     * @return the stream of stored profiles as published on {@code cx.profiles.v1} ({@code null} values:
     *     removed customers)
     */
    public static KStream<String, CustomerProfile> build(
            StreamsBuilder builder,
            Topics topics,
            ProfileSettings settings,
            IdentitySettings identity,
            ProfileStage stage,
            int partitions) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(stage, "stage");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1: " + partitions);
        }
        Topic<String, TouchpointEvent> events = topics.events();
        Topic<String, CustomerProfile> profiles = topics.profiles();
        Topic<String, RejectedEvent> rejected = topics.rejected();
        Topic<String, IdentityLink> identityLinks = topics.identityLinks();
        // one Avro encoding per profile change for the store and cx.profiles.v1
        Serde<CustomerProfile> profileSerde = new EncodeOnceSerde<>(profiles.valueSerde());
        Serde<CustomerOp> opSerde = CustomerOp.serde();
        PartialCodec partialCodec = new PartialCodec(profileSerde.deserializer());

        builder.addStateStore(store(PARTIALS_STORE, Serdes.ByteArray()));
        builder.addStateStore(store(ROUTING_LINKS_STORE, Serdes.ByteArray()));
        builder.addStateStore(store(ROUTING_ASSIGNMENTS_STORE, Serdes.String()));
        builder.addStateStore(store(IDENTITY_NODES_STORE, new NodeStateSerde()));
        builder.addStateStore(store(IDENTITY_GROUPS_STORE, GroupRecord.serde()));
        builder.addStateStore(store(IDENTITY_INDEX_STORE, Serdes.String()));
        builder.addStateStore(store(IDENTITY_REDIRECTS_STORE, Serdes.String()));
        builder.addStateStore(store(CUSTOMER_PARTS_STORE, Serdes.ByteArray()));
        builder.addStateStore(store(CUSTOMER_MEMBERS_STORE, AssignmentSerde.members()));
        builder.addStateStore(store(PROFILES_STORE, profileSerde));

        // routing
        KStream<String, TouchpointEvent> source = builder.stream(
                events.name(),
                Consumed.with(events.keySerde(), events.valueSerde()).withName(SOURCE));
        KStream<String, TouchpointEvent> unique = DedupeTopology.apply(builder, source, settings.dedupeWindow());
        KStream<String, RoutingOutput> routed = unique.process(
                () -> new RoutingProcessor(
                        PARTIALS_STORE,
                        ROUTING_LINKS_STORE,
                        ROUTING_ASSIGNMENTS_STORE,
                        settings,
                        identity,
                        events.valueSerde().serializer(),
                        partialCodec),
                Named.as(ROUTE),
                PARTIALS_STORE,
                ROUTING_LINKS_STORE,
                ROUTING_ASSIGNMENTS_STORE);
        Map<String, KStream<String, RoutingOutput>> routes = routed.split(Named.as("profile-route-"))
                .branch((k, out) -> out.rejection() != null, Branched.as("rejected"))
                .branch((k, out) -> out.link() != null, Branched.as("links"))
                .defaultBranch(Branched.as("ops"));
        routes.get("profile-route-rejected")
                .mapValues(RoutingOutput::rejection, Named.as("profile-rejection"))
                .to(
                        rejected.name(),
                        Produced.with(rejected.keySerde(), rejected.valueSerde())
                                .withName(REJECTED_SINK));

        // identity
        KStream<String, IdentityOutput> identityOut = routes.get("profile-route-links")
                .mapValues(RoutingOutput::link, Named.as("identity-link"))
                .repartition(Repartitioned.<String, Link>as(LINKS_TOPIC)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(LinkSerde.serde())
                        .withNumberOfPartitions(1))
                .process(
                        () -> new IdentityProcessor(
                                identity,
                                IDENTITY_NODES_STORE,
                                IDENTITY_GROUPS_STORE,
                                IDENTITY_INDEX_STORE,
                                IDENTITY_REDIRECTS_STORE),
                        Named.as(IDENTITY_GRAPH),
                        IDENTITY_NODES_STORE,
                        IDENTITY_GROUPS_STORE,
                        IDENTITY_INDEX_STORE,
                        IDENTITY_REDIRECTS_STORE);
        Map<String, KStream<String, IdentityOutput>> identityRoutes = identityOut
                .split(Named.as("identity-out-"))
                .branch((k, out) -> out.assignment() != null, Branched.as("assignments"))
                .branch((k, out) -> out.members() != null, Branched.as("members"))
                .defaultBranch(Branched.as("links"));
        identityRoutes
                .get("identity-out-links")
                .mapValues(IdentityOutput::link, Named.as("identity-link-record"))
                .to(
                        identityLinks.name(),
                        Produced.with(identityLinks.keySerde(), identityLinks.valueSerde())
                                .withName(IDENTITY_LINKS_SINK));
        KStream<String, RoutingOutput> moved = identityRoutes
                .get("identity-out-assignments")
                .mapValues(IdentityOutput::assignment, Named.as("identity-assignment"))
                .repartition(Repartitioned.<String, IdentityOutput.Assignment>as(ASSIGNMENTS_TOPIC)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(AssignmentSerde.assignments())
                        .withNumberOfPartitions(partitions))
                .process(
                        () -> new AssignmentProcessor(PARTIALS_STORE, ROUTING_ASSIGNMENTS_STORE),
                        Named.as(ASSIGN),
                        PARTIALS_STORE,
                        ROUTING_ASSIGNMENTS_STORE);
        KStream<String, CustomerOp> memberOps = identityRoutes
                .get("identity-out-members")
                .mapValues(
                        out -> CustomerOp.members(out.members().identifiers(), "identity resolution", 0L),
                        Named.as("identity-members"))
                .repartition(Repartitioned.<String, CustomerOp>as(CUSTOMER_MEMBERS_TOPIC)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(opSerde)
                        .withNumberOfPartitions(partitions));

        // customer
        KStream<String, CustomerOp> ops = routes.get("profile-route-ops")
                .merge(moved, Named.as("customer-ops-merge"))
                .mapValues(RoutingOutput::op, Named.as("customer-op"))
                .repartition(Repartitioned.<String, CustomerOp>as(CUSTOMER_OPS_TOPIC)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(opSerde)
                        .withNumberOfPartitions(partitions));
        KStream<String, ProfileChange> changes = ops.merge(memberOps, Named.as("customer-inputs"))
                .processValues(
                        () -> new CustomerProcessor(
                                CUSTOMER_PARTS_STORE, CUSTOMER_MEMBERS_STORE, PROFILES_STORE, partialCodec),
                        Named.as(MERGE),
                        CUSTOMER_PARTS_STORE,
                        CUSTOMER_MEMBERS_STORE,
                        PROFILES_STORE);
        KStream<String, CustomerProfile> stored = stage.apply(builder, changes)
                .processValues(() -> new ProfileStoreProcessor(PROFILES_STORE), Named.as(STORE), PROFILES_STORE);
        stored.to(
                profiles.name(),
                Produced.with(profiles.keySerde(), profileSerde).withName(PROFILES_SINK));
        return stored;
    }

    /**
     * A persistent, changelogged store without Streams' record cache: with the cache, every write of a
     * commit interval reached RocksDB and the changelog during the commit, so the transaction waited for
     * that burst to be sent and acknowledged (200 -> ENTERED p50 ≈ 40 ms longer at 1,000 and 5,000 events/s);
     * without it the writes go out as they happen. Events of one key rarely meet within a commit interval,
     * so the cache saved few writes (CPU per event the same in the analytics benchmark).
     */
    public static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), values);
    }
}
