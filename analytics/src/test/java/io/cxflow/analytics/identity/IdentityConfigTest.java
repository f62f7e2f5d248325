package io.cxflow.analytics.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigSource;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityConfigTest {

    @Test
    void shouldUseTheDocumentedDefaults() {
        IdentitySettings settings = IdentityConfig.from(ConfigSource.of(Map.of()));

        assertThat(settings.priority()).containsExactly("userId", "email", "phone", "anonymousId");
        assertThat(settings.limits()).isEqualTo(Map.of("userId", 1, "anonymousId", 100, "email", 5, "phone", 5));
        assertThat(settings.defaultRegion()).isNull();
        assertThat(settings.externalIds()).isEmpty();
    }

    @Test
    void shouldReadExternalIdsLimitsPriorityAndRegion() {
        IdentitySettings settings = IdentityConfig.from(ConfigSource.of(Map.of(
                "analytics.identity.external-ids", "loyaltyId:traits.loyaltyId,crmId:context.traits.crmId",
                "analytics.identity.limit.anonymous-id", "3",
                "analytics.identity.priority", "userId,crmId,loyaltyId,email,phone,anonymousId",
                "analytics.identity.default-region", "IT")));

        assertThat(settings.externalIds())
                .containsExactly(
                        new IdentitySettings.ExternalId("loyaltyId", "traits.loyaltyId"),
                        new IdentitySettings.ExternalId("crmId", "context.traits.crmId"));
        assertThat(settings.limits()).containsEntry("anonymousId", 3).containsEntry("loyaltyId", 1);
        assertThat(settings.priorityOf("crmId")).isEqualTo(1);
        assertThat(settings.defaultRegion()).isEqualTo("IT");
    }

    @Test
    void shouldNameTheKeyOfABadValue() {
        assertThatThrownBy(() -> IdentityConfig.from(
                        ConfigSource.of(Map.of("analytics.identity.external-ids", "loyaltyId=traits.x"))))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("analytics.identity.external-ids"));
        assertThatThrownBy(() ->
                        IdentityConfig.from(ConfigSource.of(Map.of("analytics.identity.priority", "email,userId"))))
                .isInstanceOfSatisfying(
                        ConfigException.class, e -> assertThat(e.key()).isEqualTo("analytics.identity.priority"));
        assertThatThrownBy(() -> IdentityConfig.from(ConfigSource.of(Map.of("analytics.identity.limit.email", "0"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("analytics.identity.limit.email");
    }
}
