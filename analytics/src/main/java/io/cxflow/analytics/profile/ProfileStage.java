package io.cxflow.analytics.profile;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;

/**
 * A bounded context that runs on every profile change before the profile is stored and published
 * (segment evaluation today; interests and scores later). A stage adds its own named stores,
 * processors and sinks to the builder and returns the stream of changes, one out for every one in,
 * same key, with the profile possibly enriched. It must not repartition: it runs in the sub-topology
 * of the aggregation, so the stored profile and the stage's state commit in the same transaction.
 */
@FunctionalInterface
public interface ProfileStage {

    /** The stage that changes nothing. */
    ProfileStage NONE = (builder, changes) -> changes;

    KStream<String, ProfileChange> apply(StreamsBuilder builder, KStream<String, ProfileChange> changes);

    /** This stage, then {@code next}. */
    default ProfileStage andThen(ProfileStage next) {
        return (builder, changes) -> next.apply(builder, apply(builder, changes));
    }
}
