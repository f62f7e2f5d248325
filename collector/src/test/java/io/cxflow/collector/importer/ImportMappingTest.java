package io.cxflow.collector.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cxflow.collector.message.InvalidMessageException;
import io.cxflow.collector.message.MessageType;
import io.cxflow.schemas.json.JsonText;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportMappingTest {

    private static final String POS_MAPPING = """
            {"type": "track", "key": ["store", "receipt"],
             "fields": {
               "userId": "customer",
               "event": {"value": "Order Completed"},
               "timestamp": "sold_at",
               "properties.revenue": {"column": "total", "as": "number"},
               "properties.items": {"column": "items", "as": "integer"},
               "properties.member": {"column": "member", "as": "boolean"},
               "properties.basket": {"column": "basket", "as": "json"},
               "context.channel": {"value": "pos"}}}
            """;

    @Test
    void shouldBuildTheMessageOfARow() {
        ImportMapping mapping = ImportMapping.parse(POS_MAPPING);
        Map<String, String> cells = Map.of(
                "store",
                "7",
                "receipt",
                "0042",
                "customer",
                "c-1",
                "sold_at",
                "2026-11-20T10:00:00Z",
                "total",
                "12.50",
                "items",
                "3",
                "member",
                "yes",
                "basket",
                "[{\"sku\": \"a\"}]");

        ImportMapping.Mapped mapped = mapping.map(row(cells), "raw");

        assertThat(mapped.type()).isEqualTo(MessageType.TRACK);
        assertThat(JsonText.write(mapped.message()))
                .isEqualTo("{\"userId\":\"c-1\",\"event\":\"Order Completed\",\"timestamp\":\"2026-11-20T10:00:00Z\","
                        + "\"properties\":{\"revenue\":12.50,\"items\":3,\"member\":true,\"basket\":[{\"sku\":\"a\"}]},"
                        + "\"context\":{\"channel\":\"pos\"}}");
        assertThat(mapped.rowKey()).isEqualTo("7\u00000042\u0000");
        assertThat(mapping.columns())
                .containsExactlyInAnyOrder(
                        "store", "receipt", "customer", "sold_at", "total", "items", "member", "basket");
    }

    @Test
    void shouldLeaveEmptyCellsOutAndUseTheRowTextAsKeyWithoutKeyColumns() {
        ImportMapping mapping = ImportMapping.parse(
                "{\"type\": {\"column\": \"kind\"}, \"fields\": {\"userId\": \"u\", \"traits.email\": \"email\"}}");

        ImportMapping.Mapped mapped = mapping.map(row(Map.of("kind", "identify", "u", "u-1")), "identify,u-1,");

        assertThat(mapped.type()).isEqualTo(MessageType.IDENTIFY);
        assertThat(JsonText.write(mapped.message())).isEqualTo("{\"userId\":\"u-1\"}");
        assertThat(mapped.rowKey()).isEqualTo("identify,u-1,");
    }

    @Test
    void shouldRejectARowWhoseCellCannotBeConverted() {
        ImportMapping mapping = ImportMapping.parse(POS_MAPPING);

        assertThatThrownBy(() -> mapping.map(row(Map.of("customer", "c", "total", "12,50")), "raw"))
                .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                    assertThat(e.rejection().code()).isEqualTo("invalid_value");
                    assertThat(e.rejection().field()).isEqualTo("properties.revenue");
                });
        ImportMapping byColumn = ImportMapping.parse("{\"type\": {\"column\": \"kind\"}, \"fields\": {}}");
        assertThatThrownBy(() -> byColumn.map(row(Map.of("kind", "click")), "raw"))
                .isInstanceOfSatisfying(
                        InvalidMessageException.class,
                        e -> assertThat(e.rejection().field()).isEqualTo("type"));
    }

    @Test
    void shouldRefuseBrokenMappingsNamingTheProblem() {
        assertThatThrownBy(() -> ImportMapping.parse("{\"fields\": {}}")).hasMessageContaining("'type'");
        assertThatThrownBy(() -> ImportMapping.parse("{\"type\": \"click\", \"fields\": {}}"))
                .hasMessageContaining("'type'");
        assertThatThrownBy(() -> ImportMapping.parse("{\"type\": \"track\", \"fields\": {\"sourceId\": \"s\"}}"))
                .hasMessageContaining("sourceId");
        assertThatThrownBy(() -> ImportMapping.parse(
                        "{\"type\": \"track\", \"fields\": {\"userId\": {\"column\": \"a\", \"value\": \"b\"}}}"))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> ImportMapping.parse(
                        "{\"type\": \"track\", \"fields\": {\"properties.x\": {\"column\": \"a\", \"as\": \"date\"}}}"))
                .hasMessageContaining("'as'");
        assertThatThrownBy(() -> ImportMapping.parse("{\"type\": \"track\", \"fields\": {}, \"colums\": {}}"))
                .hasMessageContaining("colums");
    }

    private static ImportMapping.Row row(Map<String, String> cells) {
        return column -> {
            String v = cells.get(column);
            return v == null || v.isEmpty() ? null : (JsonNode) TextNode.valueOf(v);
        };
    }
}
