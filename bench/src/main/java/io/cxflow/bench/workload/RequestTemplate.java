package io.cxflow.bench.workload;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One prepared request body: its bytes with placeholder message ids, the route, the source whose write key
 * sends it, and the messages it holds (for mapping the same events for the raw producer).
 *
 * @param path the route, e.g. {@code /v1/batch}
 * @param touchpoint whose write key sends it
 * @param json the body with {@link MessageIds#PLACEHOLDER} ids
 * @param idOffsets where the placeholders are
 * @param messages the messages of the body (with placeholder ids), in order
 */
public record RequestTemplate(
        String path, Touchpoint touchpoint, byte[] json, int[] idOffsets, List<ObjectNode> messages) {

    public RequestTemplate {
        messages = List.copyOf(messages);
        if (idOffsets.length != messages.size()) {
            throw new IllegalArgumentException(
                    "found " + idOffsets.length + " id placeholders for " + messages.size() + " messages");
        }
    }

    /** How many events one request of this body carries. */
    public int events() {
        return messages.size();
    }

    /** A copy of the body with fresh message ids. */
    public byte[] render(MessageIds ids) {
        byte[] body = json.clone();
        ids.fill(body, idOffsets);
        return body;
    }
}
