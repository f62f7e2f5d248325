package io.cxflow.activation.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.platform.http.HttpProblem;
import org.junit.jupiter.api.Test;

class AdminAuthTest {

    private final AdminAuth auth = new AdminAuth("s3cret-token");

    @Test
    void shouldAcceptTheBearerToken() {
        assertThat(auth.accepts("Bearer s3cret-token")).isTrue();
        assertThat(auth.accepts("bearer s3cret-token")).isTrue();
    }

    @Test
    void shouldRefuseMissingWrongOrOtherSchemes() {
        assertThat(auth.accepts(null)).isFalse();
        assertThat(auth.accepts("")).isFalse();
        assertThat(auth.accepts("Bearer ")).isFalse();
        assertThat(auth.accepts("Bearer s3cret-toke")).isFalse();
        assertThat(auth.accepts("Bearer s3cret-token2")).isFalse();
        assertThat(auth.accepts("Basic czNjcmV0LXRva2Vu")).isFalse();
        assertThat(auth.accepts("s3cret-token")).isFalse();
    }

    @Test
    void shouldThrowUnauthorizedProblemWhenRequired() {
        assertThatThrownBy(() -> auth.require("Bearer nope")).isInstanceOfSatisfying(HttpProblem.class, p -> {
            assertThat(p.status()).isEqualTo(401);
            assertThat(p.code()).isEqualTo("unauthorized");
            assertThat(p.headers()).containsKey("WWW-Authenticate");
            assertThat(p.getMessage()).doesNotContain("s3cret");
        });
    }

    @Test
    void shouldNotRevealTheTokenWhenPrinted() {
        assertThat(auth.toString()).doesNotContain("s3cret");
    }
}
