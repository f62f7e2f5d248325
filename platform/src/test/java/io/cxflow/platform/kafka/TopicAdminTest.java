package io.cxflow.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.schemas.Topics;
import java.util.List;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicAdminTest {

    @Test
    void shouldBuildNewTopicsFromTheSpec() {
        NewTopic topic = TopicAdmin.newTopic("p.cx.profiles.v1", Topics.PROFILES, (short) 3);

        assertThat(topic.name()).isEqualTo("p.cx.profiles.v1");
        assertThat(topic.numPartitions()).isEqualTo(6);
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.configs()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void shouldCompareCleanupPoliciesAsSets() {
        assertThat(TopicAdmin.sameValue("cleanup.policy", "compact,delete", "delete, compact"))
                .isTrue();
        assertThat(TopicAdmin.sameValue("cleanup.policy", "compact", "compact,delete"))
                .isFalse();
        assertThat(TopicAdmin.sameValue("retention.ms", "-1", "-1")).isTrue();
        assertThat(TopicAdmin.sameValue("retention.ms", "-1", null)).isFalse();
    }

    @Test
    void shouldRenderOneLinePerTopicAndOneMorePerExtraDrift() {
        TopicAdmin.ApplyReport report = new TopicAdmin.ApplyReport(
                List.of("cx.events.v1"),
                List.of("cx.workflows.v1"),
                List.of(
                        new TopicAdmin.Drift("cx.profiles.v1", "partitions", "6", "3"),
                        new TopicAdmin.Drift("cx.profiles.v1", "cleanup.policy", "compact", "delete")));

        assertThat(report.render())
                .isEqualTo(String.join(
                        "\n",
                        "TOPIC            STATUS     DETAIL",
                        "cx.events.v1     created",
                        "cx.workflows.v1  unchanged",
                        "cx.profiles.v1   DRIFT      partitions: expected 6, actual 3",
                        "                            cleanup.policy: expected compact, actual delete",
                        "1 created, 1 unchanged, 1 with drift"));
        assertThat(report.driftedTopics()).containsExactly("cx.profiles.v1");
    }
}
