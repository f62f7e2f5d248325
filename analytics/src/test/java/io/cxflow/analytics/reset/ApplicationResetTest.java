package io.cxflow.analytics.reset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ApplicationResetTest {

    private static final TopicPartition P0 = new TopicPartition("cx.events.v1", 0);
    private static final TopicPartition P1 = new TopicPartition("cx.events.v1", 1);

    @Test
    void shouldRecognizeTheInternalTopicsOfAnApplication() {
        assertThat(ApplicationReset.isInternalTopic("cx-analytics", "cx-analytics-profiles-changelog"))
                .isTrue();
        assertThat(ApplicationReset.isInternalTopic("cx-analytics", "cx-analytics-identity-edges-repartition"))
                .isTrue();
        assertThat(ApplicationReset.isInternalTopic(
                        "cx-analytics", "cx-analytics-link-subscription-registration-topic"))
                .isTrue();
        assertThat(ApplicationReset.isConsumedInternalTopic("cx-analytics", "cx-analytics-identity-edges-repartition"))
                .isTrue();
        assertThat(ApplicationReset.isConsumedInternalTopic("cx-analytics", "cx-analytics-profiles-changelog"))
                .isFalse();
    }

    @Test
    void shouldLeaveTopicsThatAreNotInternalTopicsOfTheApplication() {
        assertThat(ApplicationReset.isInternalTopic("cx-analytics", "cx.profiles.v1"))
                .isFalse();
        assertThat(ApplicationReset.isInternalTopic("cx-analytics", "cx-analytics-profiles"))
                .isFalse();
        assertThat(ApplicationReset.isInternalTopic("cx-analytics", "other-profiles-changelog"))
                .isFalse();
        assertThat(ApplicationReset.isInternalTopic("cx-analytics", "cx-analyticsx-profiles-changelog"))
                .isFalse();
        assertThat(ApplicationReset.isInternalTopic("cx-analytics", "cx-analytics--changelog"))
                .isFalse();
    }

    @Test
    void shouldGiveATopicToTheGroupWithTheLongerIdThatExplainsIt() {
        List<String> groups = List.of("cx-analytics-v2", "cx-activation");

        assertThat(ApplicationReset.belongsToLongerApplicationId(
                        "cx-analytics", "cx-analytics-v2-profiles-changelog", groups))
                .isTrue();
        assertThat(ApplicationReset.belongsToLongerApplicationId(
                        "cx-analytics", "cx-analytics-profiles-changelog", groups))
                .isFalse();
        assertThat(ApplicationReset.belongsToLongerApplicationId(
                        "cx-analytics", "cx-analytics-v2-profiles-changelog", List.of("cx-activation")))
                .isFalse();
    }

    @Test
    void shouldRefuseAnApplicationIdThatCouldEscapeTheStateFolder() {
        assertThatThrownBy(() -> ApplicationReset.requireApplicationId(".."))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("application id");
        assertThatThrownBy(() -> ApplicationReset.requireApplicationId("a/b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApplicationReset.requireApplicationId(""))
                .isInstanceOf(IllegalArgumentException.class);
        ApplicationReset.requireApplicationId("cx-analytics.v2_1");
    }

    @Test
    void shouldCountProcessedRecordsBetweenStartAndEndOfTheTarget() {
        ApplicationProgress.Target target =
                new ApplicationProgress.Target(Map.of(P0, 10L, P1, 0L), Map.of(P0, 30L, P1, 5L));

        assertThat(target.total()).isEqualTo(25);
        assertThat(target.processed(Map.of())).isZero();
        assertThat(target.processed(Map.of(P0, 20L))).isEqualTo(10);
        assertThat(target.processed(Map.of(P0, 40L, P1, 5L))).isEqualTo(25);
        assertThat(target.reachedBy(Map.of(P0, 30L))).isFalse();
        assertThat(target.reachedBy(Map.of(P0, 30L, P1, 5L))).isTrue();
    }

    @Test
    void shouldCountAnEmptyPartitionAsReachedWithoutACommit() {
        ApplicationProgress.Target target =
                new ApplicationProgress.Target(Map.of(P0, 7L, P1, 0L), Map.of(P0, 7L, P1, 2L));

        assertThat(target.reachedBy(Map.of(P1, 2L))).isTrue();
        assertThat(target.reachedBy(Map.of())).isFalse();
    }
}
