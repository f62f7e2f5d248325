package io.cxflow.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdminAuthTest {

    private final AdminAuth auth = new AdminAuth("s3cret-token");

    @Test
    void shouldAcceptTheBearerTokenWhateverTheCaseOfTheScheme() {
        assertThat(auth.check("Bearer s3cret-token")).isEqualTo(AdminAuth.Verdict.ACCEPTED);
        assertThat(auth.accepts("bearer s3cret-token")).isTrue();
        assertThatCode(() -> auth.require("Bearer s3cret-token")).doesNotThrowAnyException();
    }

    @Test
    void shouldTellAMissingTokenFromAWrongOne() {
        assertThat(auth.check(null)).isEqualTo(AdminAuth.Verdict.MISSING);
        assertThat(auth.check("")).isEqualTo(AdminAuth.Verdict.MISSING);
        assertThat(auth.check("Bearer ")).isEqualTo(AdminAuth.Verdict.MISSING);
        assertThat(auth.check("Bearer    ")).isEqualTo(AdminAuth.Verdict.MISSING);
        assertThat(auth.check("Basic czNjcmV0LXRva2Vu")).isEqualTo(AdminAuth.Verdict.MISSING);
        assertThat(auth.check("s3cret-token")).isEqualTo(AdminAuth.Verdict.MISSING);
        assertThat(auth.check("Bearer s3cret-toke")).isEqualTo(AdminAuth.Verdict.WRONG_TOKEN);
        assertThat(auth.check("Bearer s3cret-token2")).isEqualTo(AdminAuth.Verdict.WRONG_TOKEN);
    }

    @Test
    void shouldAnswer401WithAChallengeWithoutAToken() {
        assertThatThrownBy(() -> auth.require(null)).isInstanceOfSatisfying(HttpProblem.class, p -> {
            assertThat(p.status()).isEqualTo(401);
            assertThat(p.code()).isEqualTo("unauthorized");
            assertThat(p.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"cxflow\"");
        });
    }

    @Test
    void shouldAnswer403ToAnotherTokenWithoutRevealingTheRightOne() {
        assertThatThrownBy(() -> auth.require("Bearer nope")).isInstanceOfSatisfying(HttpProblem.class, p -> {
            assertThat(p.status()).isEqualTo(403);
            assertThat(p.code()).isEqualTo("forbidden");
            assertThat(p.getMessage()).doesNotContain("s3cret").doesNotContain("nope");
        });
    }

    @Test
    void shouldRefuseAnEmptyAdminTokenAndNotPrintTheToken() {
        assertThatThrownBy(() -> new AdminAuth(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(auth.toString()).doesNotContain("s3cret");
    }
}
