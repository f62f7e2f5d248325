package io.cxflow.analytics.segment.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.json.Json;
import org.junit.jupiter.api.Test;

class SegmentRequestTest {

    @Test
    void shouldReadEveryFieldAndDefaultTheNameToTheId() throws Exception {
        SegmentRequest full = SegmentRequest.parse(
                "vip",
                json("{\"name\":\" VIP \",\"description\":\"gold tier\",\"condition\":\"profile.eventCount > 1\","
                        + "\"topic\":true,\"tags\":[\"crm\",\" crm \",\"eu\"]}"));
        assertThat(full)
                .isEqualTo(new SegmentRequest(
                        "VIP", "gold tier", "profile.eventCount > 1", true, java.util.List.of("crm", "eu")));

        SegmentRequest minimal = SegmentRequest.parse("vip", json("{\"condition\":\"true\"}"));
        assertThat(minimal.name()).isEqualTo("vip");
        assertThat(minimal.description()).isNull();
        assertThat(minimal.topic()).isFalse();
        assertThat(minimal.tags()).isEmpty();
    }

    @Test
    void shouldAcceptADocumentReadWithGet() throws Exception {
        SegmentRequest request = SegmentRequest.parse(
                "vip",
                json("{\"id\":\"vip\",\"name\":\"VIP\",\"condition\":\"true\",\"version\":4,"
                        + "\"updatedAt\":\"2026-11-20T10:00:00Z\",\"source\":\"api\",\"size\":12}"));

        assertThat(request.name()).isEqualTo("VIP");
    }

    @Test
    void shouldNameTheFieldThatIsWrong() {
        assertInvalid("{\"name\":\"x\"}", "\"condition\" is required");
        assertInvalid("{\"condition\":\"  \"}", "\"condition\" must not be empty");
        assertInvalid("{\"condition\":true}", "\"condition\" must be a string");
        assertInvalid("{\"condition\":\"true\",\"topic\":\"yes\"}", "\"topic\" must be true or false");
        assertInvalid("{\"condition\":\"true\",\"tags\":\"crm\"}", "\"tags\" must be an array");
        assertInvalid("{\"condition\":\"true\",\"tags\":[3]}", "every tag must be a non-empty string");
        assertInvalid("{\"condition\":\"true\",\"name\":\"\"}", "\"name\" must not be empty");
        assertInvalid("{\"condition\":\"true\",\"colour\":\"red\"}", "unknown field \"colour\"");
        assertInvalid("{\"condition\":\"true\",\"id\":\"other\"}", "must be the id of the path (vip)");
        assertInvalid("[]", "JSON object");
        assertInvalid("{\"condition\":\"true\",\"name\":\"" + "n".repeat(201) + "\"}", "longer than 200");
    }

    private static void assertInvalid(String body, String message) {
        assertThatThrownBy(() -> SegmentRequest.parse("vip", json(body)))
                .isInstanceOfSatisfying(HttpProblem.class, problem -> {
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.code()).isEqualTo("invalid_request");
                })
                .hasMessageContaining(message);
    }

    private static JsonNode json(String text) throws Exception {
        return Json.mapper().readTree(text);
    }
}
