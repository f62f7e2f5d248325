package io.cxflow.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.analytics.identity.CustomerIds;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdentityResolutionTest {

    private final Map<String, String> index = new HashMap<>();
    private final Map<String, String> redirects = new HashMap<>();

    @Test
    void shouldAnswerTheIndexedCustomer() {
        index.put("email:ann@example.com", "cus_ann");

        assertThat(IdentityResolution.customerOf(
                        new IdentifierKey("email", "ann@example.com"), index::get, redirects::get))
                .contains("cus_ann");
    }

    @Test
    void shouldFollowTheRedirectsOfTheIndexedCustomer() {
        index.put("phone:+393331234567", "cus_a");
        redirects.put("cus_a", "cus_b");
        redirects.put("cus_b", "cus_c");

        assertThat(IdentityResolution.customerOf(
                        new IdentifierKey("phone", "+393331234567"), index::get, redirects::get))
                .contains("cus_c");
    }

    @Test
    void shouldDeriveTheCustomerOfARoutingIdThatIsNotIndexed() {
        assertThat(IdentityResolution.customerOf(new IdentifierKey("userId", "u-1"), index::get, redirects::get))
                .contains(CustomerIds.derive("userId:u-1"));
        assertThat(IdentityResolution.customerOf(new IdentifierKey("anonymousId", "a-1"), index::get, redirects::get))
                .contains(CustomerIds.derive("anonymousId:a-1"));
    }

    @Test
    void shouldFollowTheRedirectOfADerivedCustomer() {
        redirects.put(CustomerIds.derive("anonymousId:a-1"), "cus_user");

        assertThat(IdentityResolution.customerOf(new IdentifierKey("anonymousId", "a-1"), index::get, redirects::get))
                .contains("cus_user");
    }

    @Test
    void shouldKnowNoCustomerForAnUnindexedEmailPhoneOrExternalId() {
        assertThat(IdentityResolution.customerOf(
                        new IdentifierKey("email", "x@example.com"), index::get, redirects::get))
                .isEmpty();
        assertThat(IdentityResolution.customerOf(new IdentifierKey("loyaltyId", "123"), index::get, redirects::get))
                .isEmpty();
    }

    @Test
    void shouldAnswerTheIdItselfWhenItWasNotAbsorbed() {
        assertThat(IdentityResolution.survivorOf("cus_a", redirects::get)).isEqualTo("cus_a");
    }

    @Test
    void shouldFollowSixteenHopsButNotSeventeen() {
        for (int i = 0; i < 17; i++) {
            redirects.put("cus_" + i, "cus_" + (i + 1));
        }

        assertThat(IdentityResolution.survivorOf("cus_1", redirects::get)).isEqualTo("cus_17");
        assertThatThrownBy(() -> IdentityResolution.survivorOf("cus_0", redirects::get))
                .isInstanceOf(ProfileQueries.RedirectChainException.class)
                .hasMessageContaining("cus_0")
                .hasMessageContaining("16");
    }

    @Test
    void shouldStopAtALoopInsteadOfSpinning() {
        redirects.put("cus_a", "cus_b");
        redirects.put("cus_b", "cus_a");

        assertThatThrownBy(() -> IdentityResolution.survivorOf("cus_a", redirects::get))
                .isInstanceOf(ProfileQueries.RedirectChainException.class);
    }
}
