package io.cxflow.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.collector.source.Source;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CollectorConfigTest {

    @Test
    void shouldUseTheDevelopmentSourcesWhenNoneIsDeclared() {
        CollectorConfig config = CollectorConfig.from(ConfigSource.of(Map.of()));

        assertThat(config.usesDevSources()).isTrue();
        assertThat(config.sources())
                .extracting(Source::id, Source::writeKey, Source::channel)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("dev-web", "dev-web", "web"),
                        org.assertj.core.groups.Tuple.tuple("dev-mobile", "dev-mobile", "mobile"),
                        org.assertj.core.groups.Tuple.tuple("dev-pos", "dev-pos", "pos"),
                        org.assertj.core.groups.Tuple.tuple("dev-email", "dev-email", "email"),
                        org.assertj.core.groups.Tuple.tuple("dev-call-center", "dev-call-center", "call_center"));
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.maxMessageBytes()).isEqualTo(32 * 1024);
        assertThat(config.maxBatchBytes()).isEqualTo(500 * 1024);
        assertThat(config.publishTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void shouldReadDeclaredSourcesAndNeverShowTheirKeys() {
        CollectorConfig config = CollectorConfig.from(ConfigSource.of(Map.of(
                "collector.sources.web-eu.write-key", "s3cret-key",
                "collector.sources.web-eu.channel", "web",
                "collector.sources.web-eu.allowed-origins", "https://a.example, https://b.example",
                "collector.sources.web-eu.rate-limit", "100",
                "collector.sources.store.write-key", "other-key",
                "collector.sources.store.channel", "pos",
                "collector.sources.store.enabled", "false")));

        assertThat(config.usesDevSources()).isFalse();
        Source web = config.sources().stream()
                .filter(s -> s.id().equals("web-eu"))
                .findFirst()
                .orElseThrow();
        assertThat(web.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
        assertThat(web.rateLimit()).isEqualTo(100);
        assertThat(web.burst()).isEqualTo(100);
        assertThat(config.sources())
                .filteredOn(s -> s.id().equals("store"))
                .extracting(Source::enabled)
                .containsExactly(false);
        assertThat(config.toString())
                .doesNotContain("s3cret-key")
                .doesNotContain("other-key")
                .contains("web-eu");
    }

    @Test
    void shouldFailNamingTheKeyWhenASourceIsIncomplete() {
        assertThatThrownBy(() -> CollectorConfig.from(ConfigSource.of(Map.of("collector.sources.web.channel", "web"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("collector.sources.web.write-key");
        assertThatThrownBy(() -> CollectorConfig.from(ConfigSource.of(
                        Map.of("collector.sources.web.write-key", "k", "collector.sources.web.channel", "fax"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("collector.sources.web.channel");
    }

    @Test
    void shouldRefuseInconsistentLimits() {
        assertThatThrownBy(() -> CollectorConfig.from(ConfigSource.of(
                        Map.of("collector.max-message-size", "600KB", "collector.max-batch-size", "500KB"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("collector.max-message-size");
        assertThatThrownBy(() -> CollectorConfig.from(ConfigSource.of(
                        Map.of("collector.publish-timeout", "10s", "collector.delivery-timeout", "5s"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("collector.delivery-timeout");
    }

    @Test
    void shouldListEveryFixedKeyWithADefault() {
        assertThat(CollectorConfig.KEYS)
                .allSatisfy(k -> assertThat(k.defaultValue()).isNotNull());
        assertThat(CollectorConfig.KEYS).extracting(k -> k.name()).allMatch(n -> n.startsWith("collector."));
        assertThat(List.copyOf(CollectorConfig.SOURCE_KEYS)).hasSize(6);
    }
}
