package io.cxflow.activation.channel.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.Undeliverable;
import io.cxflow.activation.decision.Decision;
import io.cxflow.avro.SegmentMembershipChanged;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A channel whose provider takes one JSON document per decision over HTTP: the SMS and push
 * adapters, and the agent task's webhook delivery. Every attempt of a decision {@code POST}s the same
 * bytes with {@code Idempotency-Key: <decision key>}, the endpoint's {@code Authorization} and, when a
 * signing secret is configured, {@code X-Cx-Signature: sha256=<hex>}. Answers are classified by
 * {@link ProviderClient}; a document that cannot be built (no address, no content) is a permanent
 * failure without any request.
 */
public abstract class JsonProviderConnector implements ChannelConnector {

    private final String channel;
    private final HttpEndpoint endpoint;
    private final RequestSigner signer;
    protected final ObjectMapper mapper;
    private final ProviderClient client;

    protected JsonProviderConnector(
            String channel, HttpEndpoint endpoint, Optional<RequestSigner> signer, ObjectMapper mapper, Clock clock) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.signer = signer.orElse(null);
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.client = ProviderClient.forEndpoint(endpoint, clock);
    }

    @Override
    public final String channel() {
        return channel;
    }

    public HttpEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public final Delivery deliver(Decision decision, int attempt) throws InterruptedException {
        return deliver(decision, SendContext.none(), attempt);
    }

    @Override
    public final Delivery deliver(Decision decision, SendContext context, int attempt) throws InterruptedException {
        long start = System.nanoTime();
        byte[] body;
        try {
            body = body(decision, context);
        } catch (Undeliverable e) {
            return e.toDelivery(Duration.ofNanos(System.nanoTime() - start));
        }
        return client.postJson(endpoint, body, headers(decision, body));
    }

    /**
     * The request body for a decision: a pure function of the decision and its context, so every
     * attempt sends the same bytes.
     *
     * @throws Undeliverable when the decision cannot be sent on this channel as configured
     */
    public final byte[] body(Decision decision, SendContext context) throws Undeliverable {
        try {
            return mapper.writeValueAsBytes(document(decision, context));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the " + channel + " request", e);
        }
    }

    /** The headers sent with {@code body}, beyond content type, user agent and authorization. */
    public final Map<String, String> headers(Decision decision, byte[] body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(ProviderClient.IDEMPOTENCY_KEY_HEADER, decision.key().value());
        if (signer != null) {
            headers.put(RequestSigner.HEADER, signer.sign(body));
        }
        return headers;
    }

    /**
     * The JSON document of one decision.
     *
     * @throws Undeliverable when the decision cannot be sent on this channel as configured
     */
    protected abstract ObjectNode document(Decision decision, SendContext context) throws Undeliverable;

    /**
     * The {@code meta} object every provider document carries: {@code workflowId}, {@code
     * workflowVersion}, {@code stepId}, {@code customerId}, {@code segmentId}, {@code change}, {@code
     * membershipVersion}.
     */
    public static void putMeta(ObjectNode parent, Decision decision) {
        SegmentMembershipChanged change = decision.change();
        ObjectNode meta = parent.putObject("meta");
        meta.put("workflowId", decision.workflowId());
        meta.put("workflowVersion", decision.workflowVersion());
        meta.put("stepId", decision.stepId());
        meta.put("customerId", decision.customerId());
        meta.put("segmentId", change.getSegmentId());
        meta.put("change", change.getChange().name());
        meta.put("membershipVersion", change.getMembershipVersion());
    }

    /** Writes {@code data} as an object of strings (sorted by key). */
    public static void putData(ObjectNode parent, Map<String, String> data) {
        ObjectNode node = parent.putObject("data");
        new java.util.TreeMap<>(data).forEach(node::put);
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + endpoint + ", signed=" + (signer != null) + "]";
    }
}
