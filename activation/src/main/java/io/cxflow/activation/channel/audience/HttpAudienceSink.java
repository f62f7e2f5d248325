package io.cxflow.activation.channel.audience;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.channel.http.HttpEndpoint;
import io.cxflow.activation.channel.http.ProviderClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers audience batches to an HTTP endpoint: one {@code POST} per batch of
 *
 * <pre>{@code
 * {"batchId": "3f1c…", "audience": "high-value", "operation": "add",
 *  "hashing": "sha256",
 *  "members": [{"memberId": "9a0b…", "emails": ["<sha256 hex>"], "phones": ["<sha256 hex>"]}]}
 * }</pre>
 *
 * with {@code Idempotency-Key: <batchId>}, the endpoint's {@code Authorization} and, when configured,
 * {@code X-Cx-Signature}. The same batch always has the same bytes. Answers are classified like every
 * HTTP provider's ({@link ProviderClient}).
 */
public final class HttpAudienceSink implements AudienceSink {

    private final HttpEndpoint endpoint;
    private final RequestSigner signer;
    private final ObjectMapper mapper;
    private final ProviderClient client;

    public HttpAudienceSink(HttpEndpoint endpoint, Optional<RequestSigner> signer, ObjectMapper mapper, Clock clock) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.signer = signer.orElse(null);
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.client = ProviderClient.forEndpoint(endpoint, clock);
    }

    @Override
    public Delivery deliver(AudienceBatch batch) throws InterruptedException {
        byte[] body = body(batch);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ProviderClient.IDEMPOTENCY_KEY_HEADER, batch.id());
        if (signer != null) {
            headers.put(RequestSigner.HEADER, signer.sign(body));
        }
        return client.postJson(endpoint, body, headers);
    }

    byte[] body(AudienceBatch batch) {
        ObjectNode root = mapper.createObjectNode();
        root.put("batchId", batch.id());
        root.put("audience", batch.audience());
        root.put("operation", batch.operation().label());
        root.put("hashing", "sha256");
        ArrayNode members = root.putArray("members");
        for (AudienceMember m : batch.members()) {
            ObjectNode node = members.addObject();
            node.put("memberId", m.memberId());
            ArrayNode emails = node.putArray("emails");
            m.emailHashes().forEach(emails::add);
            ArrayNode phones = node.putArray("phones");
            m.phoneHashes().forEach(phones::add);
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the audience batch", e);
        }
    }

    @Override
    public String describe() {
        return "http " + endpoint;
    }

    @Override
    public void close() {
        client.close();
    }
}
