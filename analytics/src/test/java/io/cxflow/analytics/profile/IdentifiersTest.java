package io.cxflow.analytics.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdentifiersTest {

    @Test
    void shouldTrimAndLowerCaseEmails() {
        assertThat(Identifiers.email("  Ann.Lee@Example.COM ")).contains("ann.lee@example.com");
        assertThat(Identifiers.email("not-an-email")).isEmpty();
        assertThat(Identifiers.email("two@@example.com")).isEmpty();
    }

    @Test
    void shouldNormalizePhonesToE164() {
        assertThat(Identifiers.phone("+39 333 123-4567")).contains("+393331234567");
        assertThat(Identifiers.phone("0039 (333) 1234567")).contains("+393331234567");
        assertThat(Identifiers.phone("333 1234567")).isEmpty();
        assertThat(Identifiers.phone("(+39) 333 123 4567")).contains("+393331234567");
        assertThat(Identifiers.phone("333 123 4567", "IT")).contains("+393331234567");
        assertThat(Identifiers.phone("not a phone", "IT")).isEmpty();
        assertThat(Identifiers.phone("+0 123")).isEmpty();
    }

    @Test
    void shouldNormalizeLookupValuesLikeTheTopology() {
        assertThat(IdentifierType.EMAIL.normalize(" ANN@example.com")).contains("ann@example.com");
        assertThat(IdentifierType.USER_ID.normalize(" u-1 ")).contains("u-1");
        assertThat(IdentifierType.ANONYMOUS_ID.normalize("  ")).isEmpty();
        assertThat(IdentifierType.fromContractName("anonymousId")).contains(IdentifierType.ANONYMOUS_ID);
        assertThat(IdentifierType.EMAIL.indexKey("ann@example.com")).isEqualTo("email:ann@example.com");
    }
}
