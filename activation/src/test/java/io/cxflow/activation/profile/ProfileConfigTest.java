package io.cxflow.activation.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigSource;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileConfigTest {

    @Test
    void shouldBeOffByDefault() {
        ProfileConfig config = ProfileConfig.from(ConfigSource.of(Map.of()));

        assertThat(config.enabled()).isFalse();
        assertThat(config.requestTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.maxWait()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldReadTheAnalyticsUrlWithoutItsTrailingSlash() {
        ProfileConfig config = ProfileConfig.from(ConfigSource.of(Map.of(
                "activation.profiles.url", "http://analytics.internal:8081/", "activation.profiles.max-wait", "30s")));

        assertThat(config.url()).contains(URI.create("http://analytics.internal:8081"));
        assertThat(config.maxWait()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void shouldRefuseAUrlThatIsNotAnAnalyticsBaseUrlNamingTheKey() {
        for (String bad : new String[] {"ftp://x:1", "http://user:pw@x:1", "http://x:1/?a=b", "not a url"}) {
            assertThatThrownBy(() -> ProfileConfig.from(ConfigSource.of(Map.of("activation.profiles.url", bad))))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("activation.profiles.url");
        }
        assertThatThrownBy(
                        () -> ProfileConfig.from(ConfigSource.of(Map.of("activation.profiles.request-timeout", "0s"))))
                .hasMessageContaining("activation.profiles.request-timeout");
    }
}
