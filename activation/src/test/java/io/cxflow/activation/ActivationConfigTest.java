package io.cxflow.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigSource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ActivationConfigTest {

    @Test
    void shouldUseDocumentedDefaultsWhenNothingIsSet() {
        ActivationConfig config = ActivationConfig.of(Map.of());

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8082);
        assertThat(config.groupId()).isEqualTo("cx-activation");
        assertThat(config.signingSecret()).isEmpty();
        assertThat(config.retry().maxAttempts()).isEqualTo(5);
        assertThat(config.webhookRequestTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldReadOverridesAndEnvironment() {
        ConfigSource source = ConfigSource.load(
                null,
                Map.of("CX_ACTIVATION_GROUP_ID", "from-env", "CX_ACTIVATION_RETRY_MAX_ATTEMPTS", "2"),
                Map.of("activation.port", "0", "activation.webhook.signing-secret", "abc"));

        ActivationConfig config = ActivationConfig.from(source);

        assertThat(config.port()).isZero();
        assertThat(config.groupId()).isEqualTo("from-env");
        assertThat(config.retry().maxAttempts()).isEqualTo(2);
        assertThat(config.signingSecret()).contains("abc");
    }

    @Test
    void shouldNameTheKeyWhenAValueIsInvalid() {
        assertThatThrownBy(() -> ActivationConfig.of(Map.of("activation.retry.max-attempts", "0")))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("activation.retry.max-attempts"));
        assertThatThrownBy(() -> ActivationConfig.of(Map.of("activation.webhook.request-timeout", "0")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key())
                        .isEqualTo("activation.webhook.request-timeout"));
    }

    @Test
    void shouldRefuseMaxBackoffBelowInitialBackoff() {
        assertThatThrownBy(() -> ActivationConfig.of(
                        Map.of("activation.retry.initial-backoff", "2s", "activation.retry.max-backoff", "1s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.retry.max-backoff");
    }

    @Test
    void shouldMaskTheSigningSecretInTheStartupReport() {
        ConfigSource source = ConfigSource.of(Map.of("activation.webhook.signing-secret", "very-secret"));

        assertThat(source.describe(ActivationConfig.KEYS)).doesNotContain("very-secret");
        assertThat(ActivationConfig.from(source).toString()).doesNotContain("very-secret");
    }
}
