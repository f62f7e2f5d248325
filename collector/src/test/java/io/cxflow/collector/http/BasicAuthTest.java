package io.cxflow.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class BasicAuthTest {

    @Test
    void shouldReadTheUserNameAsTheWriteKey() {
        assertThat(BasicAuth.userName(basic("wk-1:"))).contains("wk-1");
        assertThat(BasicAuth.userName(basic("wk-1:ignored"))).contains("wk-1");
        assertThat(BasicAuth.userName(basic("wk-1"))).contains("wk-1");
        assertThat(BasicAuth.userName("basic " + b64("wk-1:"))).contains("wk-1");
    }

    @Test
    void shouldGiveNothingForOtherSchemesOrGarbage() {
        assertThat(BasicAuth.userName(null)).isEmpty();
        assertThat(BasicAuth.userName("Bearer abc")).isEmpty();
        assertThat(BasicAuth.userName("Basic !!!")).isEmpty();
        assertThat(BasicAuth.userName(basic(":password"))).isEmpty();
    }

    static String basic(String credentials) {
        return "Basic " + b64(credentials);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
