package io.cxflow.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.analytics.segment.Segment;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalyticsConfigTest {

    @Test
    void shouldDefaultToTheEngagedSegmentAndDocumentedPorts() {
        AnalyticsConfig config = AnalyticsConfig.from(ConfigSource.of(Map.of()));

        assertThat(config.applicationId()).isEqualTo("cx-analytics");
        assertThat(config.port()).isEqualTo(8081);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.profiles().defaultCurrency()).isEqualTo("EUR");
        assertThat(config.profiles().dedupeWindow()).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(config.segments().segments()).singleElement().satisfies(segment -> {
            assertThat(segment.id()).isEqualTo("engaged");
            assertThat(segment.condition().expression()).isEqualTo("profile.eventCount >= 3");
            assertThat(segment.version()).isEqualTo(1);
        });
        assertThat(config.segments().incremental()).isTrue();
    }

    @Test
    void shouldTurnIncrementalEvaluationOffWhenAsked() {
        AnalyticsConfig config =
                AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.segments.incremental", "false")));

        assertThat(config.segments().incremental()).isFalse();
        assertThatThrownBy(
                        () -> AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.segments.incremental", "maybe"))))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("analytics.segments.incremental"));
    }

    @Test
    void shouldReadConfiguredSegmentsWithNamesAndVersions() {
        AnalyticsConfig config = AnalyticsConfig.from(ConfigSource.of(Map.of(
                "analytics.segments", "engaged, high-value",
                "analytics.segment.engaged.condition", "profile.eventCount >= 10",
                "analytics.segment.high-value.condition", "profile.orders.count >= 2",
                "analytics.segment.high-value.name", "High value",
                "analytics.segment.high-value.version", "3",
                "analytics.default-currency", "USD",
                "analytics.dedupe.window", "36h",
                "analytics.port", "0")));

        assertThat(config.segments().segments())
                .extracting(Segment::id, Segment::name, Segment::version, s -> s.condition()
                        .expression())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("engaged", "engaged", 1L, "profile.eventCount >= 10"),
                        org.assertj.core.groups.Tuple.tuple(
                                "high-value", "High value", 3L, "profile.orders.count >= 2"));
        assertThat(config.profiles().defaultCurrency()).isEqualTo("USD");
        assertThat(config.profiles().dedupeWindow()).isEqualTo(java.time.Duration.ofHours(36));
        assertThat(config.port()).isZero();
        assertThat(config.keys()).extracting(k -> k.name()).contains("analytics.segment.high-value.condition");
    }

    @Test
    void shouldFailNamingTheKeyAndPositionWhenAConditionDoesNotCompile() {
        ConfigSource source = ConfigSource.of(Map.of("analytics.segment.engaged.condition", "profile.eventCount >"));

        assertThatThrownBy(() -> AnalyticsConfig.from(source)).isInstanceOfSatisfying(ConfigException.class, e -> {
            assertThat(e.key()).isEqualTo("analytics.segment.engaged.condition");
            assertThat(e.getMessage()).contains("1:21");
        });
    }

    @Test
    void shouldFailWhenAListedSegmentHasNoCondition() {
        ConfigSource source = ConfigSource.of(Map.of("analytics.segments", "engaged,vip"));

        assertThatThrownBy(() -> AnalyticsConfig.from(source))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("analytics.segment.vip.condition"));
    }

    @Test
    void shouldRefuseAnInvalidCurrencyOrSegmentId() {
        assertThatThrownBy(() -> AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.default-currency", "euro"))))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("analytics.default-currency"));
        assertThatThrownBy(() -> AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.segments", "Bad_Id"))))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("analytics.segments"));
    }

    @Test
    void shouldRefuseADedupeWindowOfZeroOrBeyondTenYears() {
        for (String window : new String[] {"0", "3651d"}) {
            assertThatThrownBy(() -> AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.dedupe.window", window))))
                    .isInstanceOfSatisfying(
                            ConfigException.class, e -> assertThat(e.key()).isEqualTo("analytics.dedupe.window"));
        }
    }
}
