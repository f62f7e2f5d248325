package io.cxflow.collector.message;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.collector.source.Source;
import java.time.Instant;
import java.util.Objects;

/**
 * What the server knows about a request, applied to each of its messages.
 *
 * @param source the authenticated source
 * @param receivedAt when the request arrived (server clock)
 * @param clientIp the caller's address, used as {@code context.ip} unless the message carries one
 * @param batchContext a batch's top-level {@code context}, merged under each message's own (may be null)
 * @param batchIntegrations a batch's top-level {@code integrations}, merged likewise (may be null)
 * @param batchSentAt a batch's top-level {@code sentAt}, used by messages without their own (may be null)
 */
public record Envelope(
        Source source,
        Instant receivedAt,
        String clientIp,
        ObjectNode batchContext,
        ObjectNode batchIntegrations,
        Instant batchSentAt) {

    public Envelope {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** The envelope of a single-message request. */
    public static Envelope single(Source source, Instant receivedAt, String clientIp) {
        return new Envelope(source, receivedAt, clientIp, null, null, null);
    }
}
