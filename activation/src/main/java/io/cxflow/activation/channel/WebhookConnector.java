package io.cxflow.activation.channel;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.decision.Decision;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
    public static final int RESPONSE_EXCERPT_BYTES = 512;

    private final HttpClient client;
    private final Duration requestTimeout;
    private final RequestSigner signer;
    private final ObjectMapper mapper;
    private final Clock clock;

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
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
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
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(
                request,
                info -> HttpResponse.BodySubscribers.fromSubscriber(
                        new ExcerptSubscriber(RESPONSE_EXCERPT_BYTES), ExcerptSubscriber::bytes));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return failure(
                    new HttpTimeoutException("no complete answer within " + requestTimeout.toMillis() + " ms"), start);
        } catch (ExecutionException e) {
            return failure(e.getCause() == null ? e : e.getCause(), start);
        }
        int status = response.statusCode();
        String excerpt = new String(response.body(), StandardCharsets.UTF_8);
        Delivery.Outcome outcome = FailureClassifier.ofStatus(status);
        String reason = outcome == Delivery.Outcome.SENT ? null : "provider answered HTTP " + status;
        Duration retryAfter = response.headers()
                .firstValue("Retry-After")
                .map(this::parseRetryAfter)
                .orElse(null);
        return new Delivery(outcome, status, elapsed(start), excerpt.isEmpty() ? null : excerpt, reason, retryAfter);
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

    private static Delivery failure(Throwable error, long start) {
        return new Delivery(
                FailureClassifier.ofError(error), null, elapsed(start), null, FailureClassifier.describe(error), null);
    }

    private Duration parseRetryAfter(String value) {
        String v = value.trim();
        try {
            if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration until = Duration.between(clock.instant(), at.toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public void close() {
        client.shutdownNow();
    }

    /** Keeps the first {@code limit} bytes of a body and discards the rest while still reading it. */
    private static final class ExcerptSubscriber implements Flow.Subscriber<List<ByteBuffer>> {
        private final int limit;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> done = new CompletableFuture<>();

        ExcerptSubscriber(int limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int room = limit - out.size();
                if (room <= 0) {
                    return;
                }
                int n = Math.min(room, buffer.remaining());
                byte[] chunk = new byte[n];
                buffer.get(chunk);
                out.write(chunk, 0, n);
            }
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            done.complete(out.toByteArray());
        }

        byte[] bytes() {
            return done.join();
        }
    }
}
