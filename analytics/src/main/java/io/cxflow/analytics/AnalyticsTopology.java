package io.cxflow.analytics;

import io.cxflow.analytics.identity.IdentitySettings;
import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.profile.ProfileTopology;
import io.cxflow.analytics.rejection.Rejections;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.analytics.segment.SegmentTopology;
import io.cxflow.schemas.Topics;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The whole analytics application: dedupe, partial profiles per routing id, the identity graph, and
 * the merged customer profile with segment evaluation as its stage (see {@link ProfileTopology}). Builds; never starts (that is {@link AnalyticsService}).
 */
public final class AnalyticsTopology {

    private AnalyticsTopology() {}

    /** The topology with the default identity rules, for the catalog's partition count of the events. */
    public static Topology build(Topics topics, ProfileSettings profiles, SegmentSettings segments) {
        return build(topics, profiles, IdentitySettings.defaults(), segments, ProfileTopology.defaultPartitions());
    }

    /**
     * @param partitions the partition count of {@code cx.events.v1} (the routing repartition topics must
     *     match it)
     */
    public static Topology build(
            Topics topics,
            ProfileSettings profiles,
            IdentitySettings identity,
            SegmentSettings segments,
            int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        ProfileTopology.build(builder, topics, profiles, identity, SegmentTopology.stage(topics, segments), partitions);
        return builder.build();
    }

    /**
     * The Streams settings the topology depends on, whatever the deployment: explicit names for every
     * internal resource, and rejection of undecodable or unprocessable records. Merge into the
     * application's Streams config (the service does; tests with {@code TopologyTestDriver} do too).
     */
    public static Map<String, Object> requiredStreamsConfig(Topics topics) {
        Map<String, Object> config = new HashMap<>(Rejections.streamsConfig(topics));
        config.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Tasks with two inputs (events + assignments, customer ops + members) never wait for the empty
        // one: the results do not depend on how the inputs interleave, so waiting only costs latency.
        config.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, -1L);
        return config;
    }
}
