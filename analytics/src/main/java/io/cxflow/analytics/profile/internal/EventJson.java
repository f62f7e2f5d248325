package io.cxflow.analytics.profile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.schemas.json.JsonText;
import java.math.BigDecimal;
import java.util.Optional;

/** Reads the canonical-JSON-text fields of an event ({@code properties}, {@code traits} …). */
final class EventJson {

    private EventJson() {}

    /**
     * @return the object, or {@code null} when the field is absent
     * @throws InvalidEventException when the text is not a JSON object
     */
    static ObjectNode object(String text, String field) {
        if (text == null) {
            return null;
        }
        JsonNode node;
        try {
            node = JsonText.read(text);
        } catch (RuntimeException e) {
            throw new InvalidEventException("invalid_json", field, field + " is not valid JSON");
        }
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new InvalidEventException("invalid_json", field, field + " must be a JSON object");
        }
        return (ObjectNode) node;
    }

    /** The canonical JSON text of a value, as stored in {@code TraitValue.value}. */
    static String canonical(JsonNode value) {
        return JsonText.write(value);
    }

    /** An exact decimal from a JSON number or a numeric string. */
    static Optional<BigDecimal> decimal(JsonNode node) {
        if (node.isNumber()) {
            return Optional.of(node.decimalValue());
        }
        if (node.isTextual()) {
            try {
                return Optional.of(new BigDecimal(node.asText().trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
