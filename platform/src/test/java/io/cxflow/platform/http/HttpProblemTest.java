package io.cxflow.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpProblemTest {

    @Test
    void shouldCarryStatusCodeMessageAndHeaders() {
        HttpProblem p = HttpProblem.unauthorized("a write key is required").withHeader("WWW-Authenticate", "Basic");

        assertThat(p.status()).isEqualTo(401);
        assertThat(p.code()).isEqualTo("unauthorized");
        assertThat(p.getMessage()).isEqualTo("a write key is required");
        assertThat(p.headers()).containsEntry("WWW-Authenticate", "Basic");
    }

    @Test
    void shouldRefuseSuccessStatusesAndCodesThatAreNotSnakeCase() {
        assertThatThrownBy(() -> new HttpProblem(200, "ok", "fine")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HttpProblem(400, "Bad Request", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNameStatusesWithoutASpecificCode() {
        assertThat(HttpProblem.codeFor(413)).isEqualTo("payload_too_large");
        assertThat(HttpProblem.codeFor(418)).isEqualTo("client_error");
        assertThat(HttpProblem.codeFor(599)).isEqualTo("server_error");
    }
}
