package io.cxflow.platform.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonTest {

    record Event(String type, String userId) {}

    @Test
    void shouldIgnoreUnknownProperties() throws Exception {
        Event e = Json.mapper().readValue("{\"type\":\"track\",\"userId\":\"u-1\",\"newField\":[1,2]}", Event.class);

        assertThat(e).isEqualTo(new Event("track", "u-1"));
    }

    @Test
    void shouldRefuseDocumentsNestedDeeperThanTheLimit() {
        String deep = "[".repeat(65) + "]".repeat(65);
        String allowed = "[".repeat(64) + "]".repeat(64);

        assertThatThrownBy(() -> Json.mapper().readTree(deep))
                .isInstanceOf(StreamConstraintsException.class)
                .hasMessageContaining("nesting depth");
        assertThat(readQuietly(allowed)).isNotNull();
    }

    @Test
    void shouldRefuseOverlongNumbersAndStrings() {
        ObjectMapper small = Json.newMapper(new Json.Limits(8, 10, 5, 1_000, 10));

        assertThatThrownBy(() -> small.readTree("{\"a\": 1234567}"))
                .isInstanceOf(StreamConstraintsException.class)
                .hasMessageContaining("Number value length");
        assertThatThrownBy(() -> small.readTree("{\"a\": \"" + "x".repeat(11) + "\"}"))
                .isInstanceOf(StreamConstraintsException.class)
                .hasMessageContaining("String value length");
        assertThatThrownBy(() -> small.readTree("[" + "1,".repeat(600) + "1]"))
                .isInstanceOf(StreamConstraintsException.class)
                .hasMessageContaining("Document length");
    }

    @Test
    void shouldRefuseDuplicateKeys() {
        assertThatThrownBy(() -> Json.mapper().readTree("{\"userId\":\"a\",\"userId\":\"b\"}"))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("Duplicate field 'userId'");
    }

    @Test
    void shouldRefuseTrailingContent() {
        assertThatThrownBy(() -> Json.mapper().readValue("{\"type\":\"track\"} {}", Event.class))
                .hasMessageContaining("Trailing token");
    }

    private static JsonNode readQuietly(String json) {
        try {
            return Json.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
