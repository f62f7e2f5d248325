package io.cxflow.analytics;

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
 * The whole analytics application: the profile topology with segment evaluation as its stage, in one
 * sub-topology keyed by customer id. Builds; never starts (that is {@link AnalyticsService}).
 */
public final class AnalyticsTopology {

    private AnalyticsTopology() {}

    public static Topology build(Topics topics, ProfileSettings profiles, SegmentSettings segments) {
        StreamsBuilder builder = new StreamsBuilder();
        ProfileTopology.build(builder, topics, profiles, SegmentTopology.stage(topics, segments));
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
        return config;
    }
}
