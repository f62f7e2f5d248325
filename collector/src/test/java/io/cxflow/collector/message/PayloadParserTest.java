package io.cxflow.collector.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.platform.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PayloadParserTest {

    private static final Json.Limits LIMITS = new Json.Limits(64, 512 * 1024, 100, 512 * 1024, 1024);
    private final PayloadParser parser = new PayloadParser(LIMITS);

    @Test
    void shouldRefuseDeeplyNestedArraysWithoutOverflowingTheStack() {
        byte[] body = ("{\"userId\":\"u\",\"properties\":{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}}")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> parser.single(body))
                .isInstanceOfSatisfying(
                        InvalidMessageException.class,
                        e -> assertThat(e.rejection().code()).isEqualTo(PayloadParser.LIMIT_EXCEEDED));
        assertThatThrownBy(() ->
                        parser.batch(("{\"batch\":" + "[".repeat(100_000)).getBytes(StandardCharsets.UTF_8), 32_768))
                .isInstanceOfSatisfying(
                        InvalidMessageException.class,
                        e -> assertThat(e.rejection().code()).isEqualTo(PayloadParser.LIMIT_EXCEEDED));
    }

    @Test
    void shouldRefuseMalformedJson() {
        for (String body : new String[] {"{\"userId\": ", "{\"a\":1}}", "{'a': 1}", "", "{\"a\":1,\"a\":2}"}) {
            assertThatThrownBy(() -> parser.single(body.getBytes(StandardCharsets.UTF_8)))
                    .as(body)
                    .isInstanceOfSatisfying(
                            InvalidMessageException.class,
                            e -> assertThat(e.rejection().code()).isEqualTo(Rejection.MALFORMED_JSON));
        }
    }

    @Test
    void shouldRefuseInvalidUtf8() {
        byte[] body = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertThatThrownBy(() -> parser.single(body))
                .isInstanceOfSatisfying(
                        InvalidMessageException.class,
                        e -> assertThat(e.rejection().code()).isEqualTo(Rejection.INVALID_UTF8));
    }

    @Test
    void shouldRefuseABodyThatIsNotAnObject() {
        assertThatThrownBy(() -> parser.single("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        InvalidMessageException.class,
                        e -> assertThat(e.rejection().code()).isEqualTo(Rejection.INVALID_TYPE));
    }

    @Test
    void shouldSplitABatchKeepingEachElementsExactBytes() {
        String first = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\"}";
        String second = "{ \"type\" : \"IDENTIFY\", \"userId\" : \"ü\" }";
        String body =
                "{\"writeKey\":\"k\",\"sentAt\":\"2026-11-20T10:00:00Z\",\"context\":{\"locale\":\"it\"},\"batch\":["
                        + first + " ,\n" + second
                        + ",7,{\"userId\":\"u\"},{\"type\":\"click\"}],\"extra\":{\"x\":[1]}}";

        PayloadParser.Batch batch = parser.batch(body.getBytes(StandardCharsets.UTF_8), 32_768);

        assertThat(batch.writeKey()).isEqualTo("k");
        assertThat(batch.sentAt()).hasToString("2026-11-20T10:00:00Z");
        assertThat(batch.context().get("locale").asText()).isEqualTo("it");
        assertThat(batch.items()).hasSize(5);
        assertThat(new String(batch.items().get(0).raw(), StandardCharsets.UTF_8))
                .isEqualTo(first);
        assertThat(batch.items().get(0).type()).isEqualTo(MessageType.TRACK);
        assertThat(new String(batch.items().get(1).raw(), StandardCharsets.UTF_8))
                .isEqualTo(second);
        assertThat(batch.items().get(1).type()).isEqualTo(MessageType.IDENTIFY);
        assertThat(new String(batch.items().get(2).raw(), StandardCharsets.UTF_8))
                .isEqualTo("7");
        assertThat(batch.items().get(2).rejection().code()).isEqualTo(Rejection.INVALID_TYPE);
        assertThat(batch.items().get(2).rejection().field()).isEqualTo("batch[2]");
        assertThat(batch.items().get(3).rejection().code()).isEqualTo(Rejection.MISSING_FIELD);
        assertThat(batch.items().get(3).rejection().field()).isEqualTo("type");
        assertThat(batch.items().get(4).rejection().code()).isEqualTo(Rejection.INVALID_VALUE);
    }

    @Test
    void shouldRejectOnlyTheOversizedElementOfABatch() {
        String big = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"" + "x".repeat(200) + "\"}";
        String small = "{\"type\":\"track\",\"userId\":\"u\",\"event\":\"A\"}";
        String body = "{\"batch\":[" + small + "," + big + "]}";

        PayloadParser.Batch batch = parser.batch(body.getBytes(StandardCharsets.UTF_8), 100);

        assertThat(batch.items().get(0).rejection()).isNull();
        assertThat(batch.items().get(1).rejection().code()).isEqualTo(Rejection.MESSAGE_TOO_LARGE);
    }

    @Test
    void shouldRequireTheBatchArray() {
        assertThatThrownBy(() -> parser.batch("{\"writeKey\":\"k\"}".getBytes(StandardCharsets.UTF_8), 100))
                .isInstanceOfSatisfying(
                        InvalidMessageException.class,
                        e -> assertThat(e.rejection().field()).isEqualTo("batch"));
        assertThatThrownBy(() -> parser.batch("{\"batch\":{}}".getBytes(StandardCharsets.UTF_8), 100))
                .isInstanceOfSatisfying(
                        InvalidMessageException.class,
                        e -> assertThat(e.rejection().code()).isEqualTo(Rejection.INVALID_TYPE));
    }
}
