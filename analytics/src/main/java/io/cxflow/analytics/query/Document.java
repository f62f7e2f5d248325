package io.cxflow.analytics.query;

import java.util.Objects;

/**
 * A JSON document of the query API as rendered by the instance whose store holds it, relayed unchanged
 * when the request reached another instance.
 *
 * @param customerId the customer the document is about (the survivor when the asked id was absorbed)
 * @param json the rendered document
 * @param servedBy {@code host:port} (as advertised) of the instance whose store answered
 */
public record Document(String customerId, String json, String servedBy) {

    public Document {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(servedBy, "servedBy");
    }
}
