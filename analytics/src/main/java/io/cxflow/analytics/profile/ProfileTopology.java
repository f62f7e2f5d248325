package io.cxflow.analytics.profile;

import io.cxflow.analytics.dedupe.DedupeTopology;
import io.cxflow.analytics.profile.internal.ProfileAggregateProcessor;
import io.cxflow.analytics.profile.internal.ProfileOutcome;
import io.cxflow.analytics.profile.internal.ProfileStoreProcessor;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.schemas.Topic;
import io.cxflow.schemas.Topics;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The profile bounded context: {@code cx.events.v1} → one {@link CustomerProfile} per customer (the
 * record key, i.e. the routing id) in the store {@value #PROFILES_STORE} → every changed profile on
 * {@code cx.profiles.v1}. Events that cannot be accepted go to {@code cx.events.rejected.v1}. A
 * duplicate {@code (sourceId, messageId)} is dropped first ({@link DedupeTopology}).
 *
 * <pre>
 * cx-events-source → dedupe-events → profile-aggregate ─┬─ profile-outcome-rejected → profile-rejection → profile-rejected-sink
 *                     (dedupe)        (reads profiles)    └─ profile-outcome-accepted → profile-change → [stages] → profile-store → profiles-sink
 *                                                                                                      (writes profiles, profile-identifiers)
 * </pre>
 *
 * Every processor, store, source and sink is named, so state survives topology changes. This class
 * only adds to a {@link StreamsBuilder}; it never starts anything.
 */
public final class ProfileTopology {

    /** {@code KeyValueStore<String, CustomerProfile>}: customer id → profile. */
    public static final String PROFILES_STORE = "profiles";

    /**
     * {@code KeyValueStore<String, String>}: {@code <identifierType>:<value>} → customer id, the last
     * customer (in log order) that gained the identifier. Local to the task of that customer.
     */
    public static final String IDENTIFIER_INDEX_STORE = "profile-identifiers";

    public static final String SOURCE = "cx-events-source";
    public static final String AGGREGATE = "profile-aggregate";
    public static final String OUTCOME = "profile-outcome-";
    public static final String REJECTED_BRANCH = OUTCOME + "rejected";
    public static final String ACCEPTED_BRANCH = OUTCOME + "accepted";
    public static final String STORE = "profile-store";
    public static final String PROFILES_SINK = "profiles-sink";
    public static final String REJECTED_SINK = "profile-rejected-sink";

    private ProfileTopology() {}

    /** Adds the profile topology with no stage between aggregation and storage. */
    public static KStream<String, CustomerProfile> build(
            StreamsBuilder builder, Topics topics, ProfileSettings settings) {
        return build(builder, topics, settings, ProfileStage.NONE);
    }

    /**
     * Adds the profile topology, running {@code stage} on every change before the profile is stored and
     * published.
     *
     * @return the stream of stored profiles, as published on {@code cx.profiles.v1}
     */
    public static KStream<String, CustomerProfile> build(
            StreamsBuilder builder, Topics topics, ProfileSettings settings, ProfileStage stage) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(stage, "stage");
        Topic<String, TouchpointEvent> events = topics.events();
        Topic<String, CustomerProfile> profiles = topics.profiles();
        Topic<String, RejectedEvent> rejected = topics.rejected();

        builder.addStateStore(profilesStore(profiles));
        builder.addStateStore(identifierIndexStore());

        KStream<String, TouchpointEvent> source = builder.stream(
                events.name(),
                Consumed.with(events.keySerde(), events.valueSerde()).withName(SOURCE));
        KStream<String, TouchpointEvent> unique = DedupeTopology.apply(builder, source, settings.dedupeWindow());
        KStream<String, ProfileOutcome> outcomes = unique.processValues(
                () -> new ProfileAggregateProcessor(
                        PROFILES_STORE, settings, events.valueSerde().serializer()),
                Named.as(AGGREGATE),
                PROFILES_STORE);
        Map<String, KStream<String, ProfileOutcome>> branches = outcomes.split(Named.as(OUTCOME))
                .branch((customerId, outcome) -> outcome.isRejected(), Branched.as("rejected"))
                .defaultBranch(Branched.as("accepted"));

        branches.get(REJECTED_BRANCH)
                .map(
                        (customerId, outcome) ->
                                KeyValue.pair(outcome.rejection().getSourceId(), outcome.rejection()),
                        Named.as("profile-rejection"))
                .to(
                        rejected.name(),
                        Produced.with(rejected.keySerde(), rejected.valueSerde())
                                .withName(REJECTED_SINK));

        KStream<String, ProfileChange> changes =
                branches.get(ACCEPTED_BRANCH).mapValues(ProfileOutcome::change, Named.as("profile-change"));
        KStream<String, CustomerProfile> stored = stage.apply(builder, changes)
                .processValues(
                        () -> new ProfileStoreProcessor(PROFILES_STORE, IDENTIFIER_INDEX_STORE),
                        Named.as(STORE),
                        PROFILES_STORE,
                        IDENTIFIER_INDEX_STORE);
        stored.to(
                profiles.name(),
                Produced.with(profiles.keySerde(), profiles.valueSerde()).withName(PROFILES_SINK));
        return stored;
    }

    private static StoreBuilder<KeyValueStore<String, CustomerProfile>> profilesStore(
            Topic<String, CustomerProfile> profiles) {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(PROFILES_STORE), Serdes.String(), profiles.valueSerde())
                .withCachingEnabled();
    }

    private static StoreBuilder<KeyValueStore<String, String>> identifierIndexStore() {
        return Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(IDENTIFIER_INDEX_STORE), Serdes.String(), Serdes.String());
    }
}
