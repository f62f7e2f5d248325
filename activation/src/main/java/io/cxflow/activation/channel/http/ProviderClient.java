package io.cxflow.activation.channel.http;

import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.FailureClassifier;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes one {@code POST} to a provider and turns the answer into a {@link Delivery}: the status is
 * classified by {@link FailureClassifier} ({@code 2xx} sent; network errors, timeouts, {@code 408},
 * {@code 425}, {@code 429}, {@code 5xx} retriable; everything else permanent), {@code Retry-After} is
 * read ({@link RetryAfter}), at most {@link #RESPONSE_EXCERPT_BYTES} of the answer are kept. The whole
 * exchange is bounded by the endpoint's request timeout; redirects are not followed. Thread-safe.
 */
public final class ProviderClient implements AutoCloseable {

    public static final String IDEMPOTENCY_KEY_HEADER = "Idempotency-Key";
    public static final String USER_AGENT = "cxflow-activation";
    public static final int RESPONSE_EXCERPT_BYTES = 512;

    private final HttpClient client;
    private final Clock clock;

    /** @param connectTimeout bound on opening a connection */
    public ProviderClient(Duration connectTimeout, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** A client for {@code endpoint}'s connect timeout. */
    public static ProviderClient forEndpoint(HttpEndpoint endpoint, Clock clock) {
        return new ProviderClient(endpoint.connectTimeout(), clock);
    }

    /**
     * {@code POST}s {@code body} as {@code application/json} to {@code endpoint} with {@code headers}
     * (in order) and the endpoint's {@code Authorization}.
     *
     * @throws InterruptedException when the calling thread is interrupted; the exchange is abandoned
     */
    public Delivery postJson(HttpEndpoint endpoint, byte[] body, Map<String, String> headers)
            throws InterruptedException {
        return post(endpoint, endpoint.url(), "application/json", body, headers);
    }

    /** {@code POST}s {@code body} with {@code contentType} to {@code url}, with {@code endpoint}'s auth and timeout. */
    public Delivery post(HttpEndpoint endpoint, URI url, String contentType, byte[] body, Map<String, String> headers)
            throws InterruptedException {
        long start = System.nanoTime();
        HttpRequest request;
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                    .timeout(endpoint.requestTimeout())
                    .header("Content-Type", contentType)
                    .header("User-Agent", USER_AGENT)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            endpoint.auth().authorization().ifPresent(v -> builder.header("Authorization", v));
            headers.forEach(builder::header);
            request = builder.build();
        } catch (IllegalArgumentException e) {
            return new Delivery(
                    Delivery.Outcome.PERMANENT, null, elapsed(start), null, "invalid request: " + e.getMessage(), null);
        }
        return send(request, endpoint.requestTimeout(), start);
    }

    /**
     * Sends {@code request} and classifies the answer: {@code 2xx} sent, the statuses and errors {@link
     * FailureClassifier} names retriable, others permanent; the first {@value #RESPONSE_EXCERPT_BYTES}
     * bytes of the answer kept, {@code Retry-After} read.
     *
     * @param timeout bound on the whole exchange, from sending to the end of the answer
     * @param startNanos {@link System#nanoTime()} when the attempt began (for its latency)
     * @throws InterruptedException when the calling thread is interrupted; the exchange is abandoned
     */
    public Delivery send(HttpRequest request, Duration timeout, long startNanos) throws InterruptedException {
        long start = startNanos;
        CompletableFuture<HttpResponse<byte[]>> exchange = client.sendAsync(
                request,
                info -> HttpResponse.BodySubscribers.fromSubscriber(
                        new ExcerptSubscriber(RESPONSE_EXCERPT_BYTES), ExcerptSubscriber::bytes));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            throw e;
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return failure(new HttpTimeoutException("no complete answer within " + timeout.toMillis() + " ms"), start);
        } catch (ExecutionException e) {
            return failure(e.getCause() == null ? e : e.getCause(), start);
        }
        int status = response.statusCode();
        String excerpt = new String(response.body(), StandardCharsets.UTF_8);
        Delivery.Outcome outcome = FailureClassifier.ofStatus(status);
        String reason = outcome == Delivery.Outcome.SENT ? null : "provider answered HTTP " + status;
        Duration retryAfter =
                RetryAfter.parse(response.headers().firstValue("Retry-After").orElse(null), clock);
        return new Delivery(outcome, status, elapsed(start), excerpt.isEmpty() ? null : excerpt, reason, retryAfter);
    }

    private static Delivery failure(Throwable error, long start) {
        return new Delivery(
                FailureClassifier.ofError(error), null, elapsed(start), null, FailureClassifier.describe(error), null);
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
