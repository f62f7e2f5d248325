package io.cxflow.analytics.segment;

import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.analytics.profile.ProfileStage;
import io.cxflow.analytics.segment.internal.MembershipStateSerde;
import io.cxflow.analytics.segment.internal.SegmentEvaluation;
import io.cxflow.analytics.segment.internal.SegmentProcessor;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.schemas.Topic;
import io.cxflow.schemas.Topics;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
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

    public static final String EVALUATE = "segment-evaluate";
    public static final String MEMBERSHIP_SINK = "segment-membership-sink";

    private SegmentTopology() {}

    /** The stage to pass to {@code ProfileTopology.build}. */
    public static ProfileStage stage(Topics topics, SegmentSettings settings) {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(settings, "settings");
        return (builder, changes) -> build(builder, changes, topics, settings);
    }

    /**
     * Adds segment evaluation after {@code changes}.
     *
     * @return the changes with {@code profile.segments} set
     */
    public static KStream<String, ProfileChange> build(
            StreamsBuilder builder, KStream<String, ProfileChange> changes, Topics topics, SegmentSettings settings) {
        Topic<String, SegmentMembershipChanged> membership = topics.segmentMembership();
        builder.addStateStore(membershipStore());
        KStream<String, SegmentEvaluation> evaluations = changes.processValues(
                () -> new SegmentProcessor(MEMBERSHIP_STORE, settings), Named.as(EVALUATE), MEMBERSHIP_STORE);
        evaluations
                .flatMapValues(SegmentEvaluation::membershipChanges, Named.as("segment-membership-changes"))
                .to(
                        membership.name(),
                        Produced.with(membership.keySerde(), membership.valueSerde())
                                .withName(MEMBERSHIP_SINK));
        return evaluations.mapValues(SegmentEvaluation::change, Named.as("segment-profile"));
    }

    private static StoreBuilder<KeyValueStore<String, MembershipState>> membershipStore() {
        return Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(MEMBERSHIP_STORE), Serdes.String(), new MembershipStateSerde())
                .withCachingEnabled();
    }
}
