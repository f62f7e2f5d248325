package io.cxflow.analytics.segment;

import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.analytics.profile.ProfileStage;
import io.cxflow.analytics.profile.ProfileTopology;
import io.cxflow.analytics.segment.internal.MembershipStateSerde;
import io.cxflow.analytics.segment.internal.SegmentEvaluation;
import io.cxflow.analytics.segment.internal.SegmentProcessor;
import io.cxflow.avro.SegmentDefinition;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.schemas.Topic;
import io.cxflow.schemas.Topics;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The segment bounded context, a {@link ProfileStage}: on every profile change (keyed by customer id,
 * in the sub-topology of the aggregation) evaluate every segment, keep the memberships in the store
 * {@value #MEMBERSHIP_STORE}, publish ENTERED / EXITED on {@code cx.segment-membership.v1}, and hand
 * the profile on with its {@code segments}.
 *
 * <pre>
 * changes → segment-evaluate ─┬─ segment-membership-changes → segment-membership-sink
 *   (segment-membership)      └─ segment-profile → (next stage / profile-store)
 * </pre>
 */
public final class SegmentTopology {

    /**
     * {@code KeyValueStore<String, MembershipState>}: {@code <segmentId>:<customerId>} → membership
     * (segment ids cannot contain {@code :}, so a prefix scan on {@code <segmentId>:} lists a segment).
     */
    public static final String MEMBERSHIP_STORE = "segment-membership";

    /** {@code KeyValueStore<String, Long>}: segment id → members in this task's partition. */
    public static final String SIZES_STORE = "segment-sizes";

    /** {@code KeyValueStore<String, Long>}: due time + customer id → 0, and customer id → due time. */
    public static final String SCHEDULE_STORE = "segment-schedule";

    /** {@code KeyValueStore<String, String>}: backfill progress (applied definitions, cursor). */
    public static final String STATE_STORE = "segment-state";

    /** Global {@code KeyValueStore<String, SegmentDefinition>} of {@code cx.segment-definitions.v1}. */
    public static final String DEFINITIONS_STORE = "segment-definitions";

    public static final String EVALUATE = "segment-evaluate";
    public static final String MEMBERSHIP_SINK = "segment-membership-sink";
    public static final String SEGMENT_TOPIC_SINK = "segment-topic-sink";
    public static final String DEFINITIONS_SOURCE = "segment-definitions-source";

    private SegmentTopology() {}

    /** The stage to pass to {@code ProfileTopology.build}. */
    public static ProfileStage stage(Topics topics, SegmentSettings settings) {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(settings, "settings");
        return (builder, changes) -> build(builder, changes, topics, settings);
    }

    /**
     * Adds segment evaluation after {@code changes} (which must run where the {@code profiles} store is).
     *
     * @return the changes with {@code profile.segments} set (also the time-based and backfill ones)
     */
    public static KStream<String, ProfileChange> build(
            StreamsBuilder builder, KStream<String, ProfileChange> changes, Topics topics, SegmentSettings settings) {
        Topic<String, SegmentMembershipChanged> membership = topics.segmentMembership();
        Topic<String, SegmentDefinition> definitions = topics.segmentDefinitions();
        builder.addStateStore(store(MEMBERSHIP_STORE, new MembershipStateSerde()));
        builder.addStateStore(store(SIZES_STORE, Serdes.Long()));
        builder.addStateStore(store(SCHEDULE_STORE, Serdes.Long()));
        builder.addStateStore(store(STATE_STORE, Serdes.String()));
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(
                                Stores.persistentKeyValueStore(DEFINITIONS_STORE),
                                Serdes.String(),
                                definitions.valueSerde())
                        .withLoggingDisabled(),
                definitions.name(),
                Consumed.with(definitions.keySerde(), definitions.valueSerde()).withName(DEFINITIONS_SOURCE),
                () -> new DefinitionsUpdater(DEFINITIONS_STORE));
        SegmentProcessor.SegmentStores stores = new SegmentProcessor.SegmentStores(
                MEMBERSHIP_STORE, SIZES_STORE, SCHEDULE_STORE, STATE_STORE, ProfileTopology.PROFILES_STORE);
        KStream<String, SegmentEvaluation> evaluations = changes.process(
                () -> new SegmentProcessor(settings, DEFINITIONS_STORE, stores),
                Named.as(EVALUATE),
                MEMBERSHIP_STORE,
                SIZES_STORE,
                SCHEDULE_STORE,
                STATE_STORE,
                ProfileTopology.PROFILES_STORE);
        KStream<String, SegmentEvaluation.Output> outputs =
                evaluations.flatMapValues(SegmentEvaluation::outputs, Named.as("segment-membership-changes"));
        outputs.mapValues(SegmentEvaluation.Output::change, Named.as("segment-membership-record"))
                .to(
                        membership.name(),
                        Produced.with(membership.keySerde(), membership.valueSerde())
                                .withName(MEMBERSHIP_SINK));
        outputs.filter((customer, out) -> out.fanOut(), Named.as("segment-topic-filter"))
                .mapValues(SegmentEvaluation.Output::change, Named.as("segment-topic-record"))
                .to(
                        (customer, change, context) ->
                                topics.segment(change.getSegmentId()).name(),
                        Produced.with(membership.keySerde(), membership.valueSerde())
                                .withName(SEGMENT_TOPIC_SINK));
        return evaluations.mapValues(SegmentEvaluation::change, Named.as("segment-profile"));
    }

    /** A persistent, changelogged store without the record cache, as {@link ProfileTopology#store} explains. */
    private static <V> StoreBuilder<KeyValueStore<String, V>> store(String name, Serde<V> values) {
        return ProfileTopology.store(name, values);
    }

    /** Keeps the global definitions store equal to the topic (tombstones delete). */
    static final class DefinitionsUpdater implements Processor<String, SegmentDefinition, Void, Void> {
        private final String storeName;
        private KeyValueStore<String, SegmentDefinition> store;

        DefinitionsUpdater(String storeName) {
            this.storeName = storeName;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.store = context.getStateStore(storeName);
        }

        @Override
        public void process(Record<String, SegmentDefinition> record) {
            if (record.key() == null) {
                return;
            }
            if (record.value() == null) {
                store.delete(record.key());
            } else {
                store.put(record.key(), record.value());
            }
        }
    }
}
