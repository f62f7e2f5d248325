package io.cxflow.activation.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.channel.http.ProviderClient;
import io.cxflow.activation.decision.Decision;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code webhook} channel: one HTTP {@code POST} of the {@link WebhookPayload} to the step's
 * {@code url}, with the headers {@code Content-Type: application/json}, {@code Idempotency-Key} (the
 * decision's key) and, when a signing secret is configured, {@code X-Cx-Signature: sha256=<hex>}
 * ({@link RequestSigner}). Connection set-up and the whole exchange are bounded by timeouts;
 * redirects are not followed; at most {@link #RESPONSE_EXCERPT_BYTES} of the answer are kept.
 */
public final class WebhookConnector implements ChannelConnector {

    /** The channel name send steps use. */
    public static final String CHANNEL = "webhook";

    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    public static final String USER_AGENT = "cxflow-activation";
    public static final int RESPONSE_EXCERPT_BYTES = ProviderClient.RESPONSE_EXCERPT_BYTES;

    private final ProviderClient client;
    private final Duration requestTimeout;
    private final RequestSigner signer;
    private final ObjectMapper mapper;

    /**
     * @param connectTimeout bound on establishing the connection
     * @param requestTimeout bound on the whole exchange, from sending to the end of the answer
     * @param signer signs bodies, when a secret is configured
     * @param mapper writes the payload
     */
    public WebhookConnector(
            Duration connectTimeout,
            Duration requestTimeout,
            Optional<RequestSigner> signer,
            ObjectMapper mapper,
            Clock clock) {
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.signer = signer.orElse(null);
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.client = new ProviderClient(connectTimeout, Objects.requireNonNull(clock, "clock"));
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public Delivery deliver(Decision decision, int attempt) throws InterruptedException {
        long start = System.nanoTime();
        HttpRequest request;
        try {
            request = request(decision);
        } catch (IllegalArgumentException e) {
            return new Delivery(
                    Delivery.Outcome.PERMANENT,
                    null,
                    elapsed(start),
                    null,
                    "invalid webhook request: " + e.getMessage(),
                    null);
        }
        return client.send(request, requestTimeout, start);
    }

    /** The request for a decision: the same bytes and headers on every attempt. */
    HttpRequest request(Decision decision) {
        String url = decision.settings().get("url");
        if (url == null) {
            throw new IllegalArgumentException("the step has no url");
        }
        byte[] body = WebhookPayload.bytes(decision, mapper);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header(IDEMPOTENCY_KEY_HEADER, decision.key().value())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signer != null) {
            builder.header(RequestSigner.HEADER, signer.sign(body));
        }
        return builder.build();
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public void close() {
        client.close();
    }
}
