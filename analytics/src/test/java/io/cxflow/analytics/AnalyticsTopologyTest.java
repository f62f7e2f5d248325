package io.cxflow.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.dedupe.DedupeTopology;
import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.profile.ProfileTopology;
import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.analytics.segment.SegmentTopology;
import io.cxflow.platform.serde.RegistrySerdes;
import io.cxflow.schemas.Topics;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyticsTopologyTest {

    private final Topics topics = new Topics(RegistrySerdes.inMemory(), "");
    private final Topology topology = AnalyticsTopology.build(
            topics, new ProfileSettings("EUR"), SegmentSettings.of(Segment.of("engaged", "profile.eventCount >= 3")));

    @Test
    void shouldNameEveryProcessorStoreSourceAndSinkExplicitly() {
        String description = topology.describe().toString();

        assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
        assertThat(description)
                .contains(
                        ProfileTopology.SOURCE,
                        ProfileTopology.ROUTE,
                        ProfileTopology.IDENTITY_GRAPH,
                        ProfileTopology.MERGE,
                        ProfileTopology.STORE)
                .contains(DedupeTopology.PROCESSOR, DedupeTopology.STORE)
                .contains(ProfileTopology.PROFILES_SINK, ProfileTopology.REJECTED_SINK)
                .contains(SegmentTopology.EVALUATE, SegmentTopology.MEMBERSHIP_SINK)
                .contains(
                        ProfileTopology.PROFILES_STORE,
                        ProfileTopology.IDENTITY_INDEX_STORE,
                        SegmentTopology.MEMBERSHIP_STORE);
    }

    @Test
    void shouldRunRoutingIdentityAndCustomerAsThreeSubTopologiesOverNamedRepartitionTopics() {
        TopologyDescription description = topology.describe();

        assertThat(description.subtopologies()).hasSize(3);
        assertThat(description.toString())
                .contains(ProfileTopology.LINKS_TOPIC + "-repartition")
                .contains(ProfileTopology.ASSIGNMENTS_TOPIC + "-repartition")
                .contains(ProfileTopology.CUSTOMER_OPS_TOPIC + "-repartition")
                .contains(ProfileTopology.CUSTOMER_MEMBERS_TOPIC + "-repartition");
    }

    @Test
    void shouldBeAcceptedWhenExplicitInternalNamingIsEnforced(@TempDir Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "naming-check");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.putAll(AnalyticsTopology.requiredStreamsConfig(topics));

        assertThat(props.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG))
                .isEqualTo(true);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            assertThat(driver.getAllStateStores())
                    .containsOnlyKeys(
                            DedupeTopology.STORE,
                            ProfileTopology.PARTIALS_STORE,
                            ProfileTopology.ROUTING_LINKS_STORE,
                            ProfileTopology.ROUTING_ASSIGNMENTS_STORE,
                            ProfileTopology.IDENTITY_NODES_STORE,
                            ProfileTopology.IDENTITY_GROUPS_STORE,
                            ProfileTopology.IDENTITY_INDEX_STORE,
                            ProfileTopology.IDENTITY_REDIRECTS_STORE,
                            ProfileTopology.CUSTOMER_PARTS_STORE,
                            ProfileTopology.CUSTOMER_MEMBERS_STORE,
                            ProfileTopology.PROFILES_STORE,
                            SegmentTopology.MEMBERSHIP_STORE,
                            SegmentTopology.SIZES_STORE,
                            SegmentTopology.SCHEDULE_STORE,
                            SegmentTopology.STATE_STORE,
                            SegmentTopology.DEFINITIONS_STORE);
        }
    }
}
