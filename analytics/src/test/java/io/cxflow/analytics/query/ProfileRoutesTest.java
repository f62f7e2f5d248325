package io.cxflow.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.analytics.identity.IdentitySettings;
import io.cxflow.platform.http.HttpProblem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileRoutesTest {

    private static final IdentitySettings EXTERNAL = IdentitySettings.withExternalIds(
            List.of(new IdentitySettings.ExternalId("loyaltyId", "traits.loyaltyId")), null);

    @Test
    void shouldNormalizeAnEmailLikeTheTopology() {
        assertThat(ProfileRoutes.identifier(Map.of("email", List.of(" Ann@Example.COM ")), EXTERNAL))
                .isEqualTo(new IdentifierKey("email", "ann@example.com"));
    }

    @Test
    void shouldReadANationalPhoneInTheDefaultRegionOfTheIdentityRules() {
        IdentitySettings italy = IdentitySettings.withExternalIds(List.of(), "IT");

        assertThat(ProfileRoutes.identifier(Map.of("phone", List.of("333 100 0007")), italy))
                .isEqualTo(new IdentifierKey("phone", "+393331000007"));
        assertThatThrownBy(() -> ProfileRoutes.identifier(Map.of("phone", List.of("333 100 0007")), EXTERNAL))
                .isInstanceOfSatisfying(
                        HttpProblem.class, e -> assertThat(e.code()).isEqualTo("invalid_identifier"));
    }

    @Test
    void shouldAcceptAConfiguredExternalIdTrimmed() {
        assertThat(ProfileRoutes.identifier(Map.of("loyaltyId", List.of(" 12345 ")), EXTERNAL))
                .isEqualTo(new IdentifierKey("loyaltyId", "12345"));
    }

    @Test
    void shouldIgnoreParametersThatAreNoIdentifier() {
        assertThat(ProfileRoutes.identifier(Map.of("userId", List.of("u-1"), "pretty", List.of("true")), EXTERNAL))
                .isEqualTo(new IdentifierKey("userId", "u-1"));
    }

    @Test
    void shouldRefuseNoneOrTwoIdentifiersNamingTheParameters() {
        assertThatThrownBy(() -> ProfileRoutes.identifier(Map.of(), EXTERNAL))
                .isInstanceOfSatisfying(HttpProblem.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo("invalid_request");
                    assertThat(e.getMessage()).contains("userId, anonymousId, email, phone, loyaltyId");
                });
        assertThatThrownBy(() ->
                        ProfileRoutes.identifier(Map.of("userId", List.of("u-1"), "email", List.of("a@b.c")), EXTERNAL))
                .isInstanceOfSatisfying(
                        HttpProblem.class, e -> assertThat(e.code()).isEqualTo("invalid_request"));
    }

    @Test
    void shouldRefuseARepeatedParameter() {
        assertThatThrownBy(() -> ProfileRoutes.identifier(Map.of("userId", List.of("u-1", "u-2")), EXTERNAL))
                .isInstanceOfSatisfying(
                        HttpProblem.class, e -> assertThat(e.getMessage()).isEqualTo("give userId once"));
    }

    @Test
    void shouldRefuseAValueThatCannotBeSuchAnIdentifier() {
        assertThatThrownBy(() -> ProfileRoutes.identifier(Map.of("email", List.of("not-an-address")), EXTERNAL))
                .isInstanceOfSatisfying(
                        HttpProblem.class, e -> assertThat(e.code()).isEqualTo("invalid_identifier"));
        assertThatThrownBy(() -> ProfileRoutes.identifier(Map.of("loyaltyId", List.of("  ")), EXTERNAL))
                .isInstanceOfSatisfying(
                        HttpProblem.class, e -> assertThat(e.code()).isEqualTo("invalid_identifier"));
    }

    @Test
    void shouldNotKnowAnExternalIdThatIsNotConfigured() {
        assertThatThrownBy(() -> ProfileRoutes.identifier(Map.of("crmId", List.of("c-1")), EXTERNAL))
                .isInstanceOfSatisfying(
                        HttpProblem.class, e -> assertThat(e.code()).isEqualTo("invalid_request"));
    }

    @Test
    void shouldPercentEncodeTheIdInAContentLocation() {
        assertThat(ProfileRoutes.profilePath("cus_abc234")).isEqualTo("/v1/profiles/cus_abc234");
        assertThat(ProfileRoutes.profilePath("a b/ü")).isEqualTo("/v1/profiles/a%20b%2F%C3%BC");
    }
}
