package io.cxflow.collector.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.EventType;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.collector.source.Source;
import io.cxflow.platform.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventMapperTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Source POS = new Source("store-7", "key-store-7", "pos", List.of(), 0, 0, true);
    private static final Instant RECEIVED = Instant.parse("2026-11-20T10:00:10Z");
    private static final Envelope ENVELOPE = Envelope.single(POS, RECEIVED, "10.1.2.3");

    @Test
    void shouldMapATrackWithEveryFieldIntact() throws Exception {
        ObjectNode msg = json("""
                {"userId": "u-1", "anonymousId": "a-1", "event": "Order Completed", "messageId": "m-1",
                 "properties": {"revenue": 12.5, "currency": "EUR", "items": [{"sku": "x"}]},
                 "integrations": {"All": true},
                 "timestamp": "2026-11-20T09:00:00Z"}
                """);

        TouchpointEvent e = EventMapper.map(msg, MessageType.TRACK, ENVELOPE);

        assertThat(e.getType()).isEqualTo(EventType.TRACK);
        assertThat(e.getMessageId()).isEqualTo("m-1");
        assertThat(e.getUserId()).isEqualTo("u-1");
        assertThat(e.getAnonymousId()).isEqualTo("a-1");
        assertThat(e.getEvent()).isEqualTo("Order Completed");
        assertThat(JSON.readTree(e.getProperties())).isEqualTo(msg.get("properties"));
        assertThat(JSON.readTree(e.getIntegrations())).isEqualTo(msg.get("integrations"));
        assertThat(e.getSourceId()).isEqualTo("store-7");
        assertThat(e.getChannel()).isEqualTo("pos");
        assertThat(e.getReceivedAt()).isEqualTo(RECEIVED);
        assertThat(e.getOriginalTimestamp()).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
        assertThat(e.getTimestamp()).isEqualTo(Instant.parse("2026-11-20T09:00:00Z"));
        assertThat(e.getContext().getIp()).isEqualTo("10.1.2.3");
        assertThat(EventMapper.routingKey(e)).isEqualTo("u-1");
    }

    @Test
    void shouldOverwriteServerOwnedFieldsWhateverTheClientSent() throws Exception {
        ObjectNode msg = json("""
                {"anonymousId": "a-1", "event": "x", "sourceId": "forged", "channel": "forged",
                 "receivedAt": "2000-01-01T00:00:00Z"}
                """);

        TouchpointEvent e = EventMapper.map(msg, MessageType.TRACK, ENVELOPE);

        assertThat(e.getSourceId()).isEqualTo("store-7");
        assertThat(e.getChannel()).isEqualTo("pos");
        assertThat(e.getReceivedAt()).isEqualTo(RECEIVED);
        assertThat(EventMapper.routingKey(e)).isEqualTo("a-1");
    }

    @Test
    void shouldGenerateAMessageIdWhenAbsent() throws Exception {
        TouchpointEvent e = EventMapper.map(json("{\"userId\": \"u\", \"event\": \"x\"}"), MessageType.TRACK, ENVELOPE);

        assertThat(UUID.fromString(e.getMessageId())).isNotNull();
    }

    @ParameterizedTest
    @CsvSource({"web, web", "call_center, call_center", "server, server", "fax, pos", "WEB, pos"})
    void shouldResolveTheChannelFromContextOnlyWhenItIsAKnownChannel(String contextChannel, String expected)
            throws Exception {
        ObjectNode msg = json("{\"userId\": \"u\", \"context\": {\"channel\": \"" + contextChannel + "\"}}");

        TouchpointEvent e = EventMapper.map(msg, MessageType.IDENTIFY, ENVELOPE);

        assertThat(e.getChannel()).isEqualTo(expected);
        assertThat(e.getContext().getChannel()).isEqualTo(contextChannel);
    }

    @Test
    void shouldKeepTheClientIpWhenTheClientSentOne() throws Exception {
        TouchpointEvent e = EventMapper.map(
                json("{\"userId\": \"u\", \"context\": {\"ip\": \"203.0.113.9\"}}"), MessageType.IDENTIFY, ENVELOPE);

        assertThat(e.getContext().getIp()).isEqualTo("203.0.113.9");
    }

    @Test
    void shouldApplyTheSkewRuleWithTheMessagesSentAt() throws Exception {
        ObjectNode msg = json("""
                {"userId": "u", "event": "x", "timestamp": "2026-11-20T09:00:02Z", "sentAt": "2026-11-20T09:00:06Z"}
                """);

        TouchpointEvent e = EventMapper.map(msg, MessageType.TRACK, ENVELOPE);

        assertThat(e.getOriginalTimestamp()).isEqualTo(Instant.parse("2026-11-20T09:00:02Z"));
        assertThat(e.getSentAt()).isEqualTo(Instant.parse("2026-11-20T09:00:06Z"));
        assertThat(e.getTimestamp()).isEqualTo(Instant.parse("2026-11-20T10:00:06Z"));
    }

    @Test
    void shouldPreferOriginalTimestampOverTimestampAndUseTheBatchSentAt() throws Exception {
        ObjectNode msg = json("""
                {"userId": "u", "event": "x", "originalTimestamp": "2026-11-20T09:00:01Z",
                 "timestamp": "2026-11-20T09:30:00Z"}
                """);
        Envelope batch = new Envelope(POS, RECEIVED, "10.1.2.3", null, null, Instant.parse("2026-11-20T09:00:04Z"));

        TouchpointEvent e = EventMapper.map(msg, MessageType.TRACK, batch);

        assertThat(e.getOriginalTimestamp()).isEqualTo(Instant.parse("2026-11-20T09:00:01Z"));
        assertThat(e.getTimestamp()).isEqualTo(Instant.parse("2026-11-20T10:00:07Z"));
    }

    @Test
    void shouldMergeTheBatchContextUnderTheMessagesOwn() throws Exception {
        ObjectNode batchContext = json("{\"library\": {\"name\": \"analytics-java\"}, \"locale\": \"en-US\"}");
        Envelope batch = new Envelope(POS, RECEIVED, "10.1.2.3", batchContext, null, null);

        TouchpointEvent e = EventMapper.map(
                json("{\"userId\": \"u\", \"context\": {\"locale\": \"it-IT\"}}"), MessageType.IDENTIFY, batch);

        assertThat(e.getContext().getLocale()).isEqualTo("it-IT");
        assertThat(e.getContext().getLibrary().getName()).isEqualTo("analytics-java");
    }

    @Test
    void shouldMapEachTypesOwnFields() throws Exception {
        TouchpointEvent page = EventMapper.map(
                json("{\"userId\": \"u\", \"name\": \"Home\", \"category\": \"Shop\"}"), MessageType.PAGE, ENVELOPE);
        TouchpointEvent screen =
                EventMapper.map(json("{\"userId\": \"u\", \"name\": \"Cart\"}"), MessageType.SCREEN, ENVELOPE);
        TouchpointEvent group = EventMapper.map(
                json("{\"userId\": \"u\", \"groupId\": 42, \"traits\": {\"plan\": \"gold\"}}"),
                MessageType.GROUP,
                ENVELOPE);
        TouchpointEvent alias =
                EventMapper.map(json("{\"userId\": \"u\", \"previousId\": \"a-9\"}"), MessageType.ALIAS, ENVELOPE);
        TouchpointEvent identify = EventMapper.map(
                json("{\"userId\": 123, \"traits\": {\"email\": \"ann@example.com\"}}"),
                MessageType.IDENTIFY,
                ENVELOPE);

        assertThat(page.getType()).isEqualTo(EventType.PAGE);
        assertThat(page.getName()).isEqualTo("Home");
        assertThat(page.getCategory()).isEqualTo("Shop");
        assertThat(screen.getType()).isEqualTo(EventType.SCREEN);
        assertThat(screen.getName()).isEqualTo("Cart");
        assertThat(group.getGroupId()).isEqualTo("42");
        assertThat(JSON.readTree(group.getTraits())).isEqualTo(json("{\"plan\": \"gold\"}"));
        assertThat(alias.getPreviousId()).isEqualTo("a-9");
        assertThat(identify.getUserId()).isEqualTo("123");
        assertThat(JSON.readTree(identify.getTraits()).get("email").asText()).isEqualTo("ann@example.com");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "TRACK    | {\"event\": \"x\"}                                | missing_field     | userId",
                "TRACK    | {\"userId\": \"\", \"anonymousId\": \"\"}          | missing_field     | userId",
                "TRACK    | {\"userId\": \"u\"}                               | missing_field     | event",
                "TRACK    | {\"userId\": \"u\", \"event\": \"\"}              | missing_field     | event",
                "TRACK    | {\"userId\": \"u\", \"event\": 7}                 | invalid_type      | event",
                "ALIAS    | {\"userId\": \"u\"}                               | missing_field     | previousId",
                "ALIAS    | {\"anonymousId\": \"a\", \"previousId\": \"p\"}   | missing_field     | userId",
                "GROUP    | {\"userId\": \"u\"}                               | missing_field     | groupId",
                "IDENTIFY | {\"userId\": {\"id\": 1}}                         | invalid_type      | userId",
                "IDENTIFY | {\"userId\": 1.5}                                 | invalid_type      | userId",
                "IDENTIFY | {\"userId\": \"u\", \"traits\": [1]}              | invalid_type      | traits",
                "TRACK    | {\"userId\": \"u\", \"event\": \"x\", \"properties\": \"p\"} | invalid_type | properties",
                "IDENTIFY | {\"userId\": \"u\", \"context\": 5}               | invalid_type      | context",
                "IDENTIFY | {\"userId\": \"u\", \"timestamp\": \"yesterday\"} | invalid_timestamp | timestamp",
                "IDENTIFY | {\"userId\": \"u\", \"sentAt\": 1700000000}      | invalid_timestamp | sentAt",
                "IDENTIFY | {\"userId\": \"u\", \"messageId\": 5}             | invalid_type      | messageId"
            })
    void shouldRejectWithAnErrorNamingTheField(MessageType type, String body, String code, String field)
            throws Exception {
        ObjectNode msg = json(body);

        assertThatThrownBy(() -> EventMapper.map(msg, type, ENVELOPE))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.rejection().code()).isEqualTo(code);
                    assertThat(e.rejection().field()).isEqualTo(field);
                    assertThat(e.rejection().message()).contains(field);
                });
    }

    @Test
    void shouldRejectAnOverlongMessageId() throws Exception {
        ObjectNode msg = json("{\"userId\": \"u\", \"messageId\": \"" + "m".repeat(257) + "\"}");

        assertThatThrownBy(() -> EventMapper.map(msg, MessageType.IDENTIFY, ENVELOPE))
                .isInstanceOfSatisfying(
                        InvalidMessageException.class,
                        e -> assertThat(e.rejection().field()).isEqualTo("messageId"));
    }

    private static ObjectNode json(String text) throws Exception {
        JsonNode node = JSON.readTree(text);
        return (ObjectNode) node;
    }
}
