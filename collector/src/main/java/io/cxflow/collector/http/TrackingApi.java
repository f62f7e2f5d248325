package io.cxflow.collector.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.collector.CollectorMetrics;
import io.cxflow.collector.message.Envelope;
import io.cxflow.collector.message.EventMapper;
import io.cxflow.collector.message.InvalidMessageException;
import io.cxflow.collector.message.MessageType;
import io.cxflow.collector.message.PayloadParser;
import io.cxflow.collector.message.RejectedEvents;
import io.cxflow.collector.message.Rejection;
import io.cxflow.collector.publish.EventPublisher;
import io.cxflow.collector.publish.PublishUnavailableException;
import io.cxflow.collector.source.Source;
import io.cxflow.collector.source.Sources;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracking API, independent of the HTTP server: authenticates, reads, validates, maps and publishes
 * one request, and says what to answer. The order of the checks is the order of this method's steps, so a
 * request that fails one never reaches the next: authentication, size, decoding, origin, rate limit,
 * validation, publish.
 */
public final class TrackingApi {

    private static final Logger LOG = LoggerFactory.getLogger(TrackingApi.class);
    /** During an outage every request fails the same way: one log line per interval is enough. */
    private static final long UNAVAILABLE_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /**
     * @param maxMessageBytes largest single message (body of a single-message route, or batch element)
     * @param maxBatchBytes largest batch body
     * @param publishTimeout how long a request waits for the broker before 503
     * @param retryAfter the {@code Retry-After} sent with 503
     */
    public record Limits(int maxMessageBytes, int maxBatchBytes, Duration publishTimeout, Duration retryAfter) {}

    /**
     * What the API needs of an HTTP request.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param origin the {@code Origin} header, or null
     * @param contentEncoding the {@code Content-Encoding} header, or null
     * @param contentLength the declared body length, negative when unknown
     * @param body the body stream
     * @param clientIp the caller's address
     */
    public record Request(
            String authorization,
            String origin,
            String contentEncoding,
            long contentLength,
            InputStream body,
            String clientIp) {}

    /**
     * What to answer.
     *
     * @param status the HTTP status
     * @param headers extra response headers
     * @param body the JSON body as nested maps and lists
     */
    public record Response(int status, Map<String, String> headers, Map<String, Object> body) {}

    private final Sources sources;
    private final PayloadParser parser;
    private final EventPublisher publisher;
    private final Limits limits;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, RateLimiter> rateLimiters = new HashMap<>();
    private final AtomicLong lastUnavailableLog = new AtomicLong(System.nanoTime() - UNAVAILABLE_LOG_INTERVAL_NANOS);
    private final AtomicLong suppressedUnavailable = new AtomicLong();

    public TrackingApi(
            Sources sources,
            PayloadParser parser,
            EventPublisher publisher,
            Limits limits,
            MeterRegistry meters,
            Clock clock) {
        this.sources = Objects.requireNonNull(sources, "sources");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (Source s : sources.all()) {
            if (s.rateLimit() > 0) {
                rateLimiters.put(s.id(), new RateLimiter(s.rateLimit(), s.burst(), System::nanoTime));
            }
        }
    }

    /** Handles one request on one route and records its latency. */
    public Response handle(Route route, Request request) {
        long started = System.nanoTime();
        Response response = process(route, request, started);
        Timer.builder(CollectorMetrics.REQUEST_LATENCY)
                .tag(CollectorMetrics.TAG_ROUTE, route.tag())
                .tag(CollectorMetrics.TAG_STATUS, Integer.toString(response.status()))
                .publishPercentileHistogram()
                .register(meters)
                .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        return response;
    }

    private Response process(Route route, Request request, long started) {
        Instant receivedAt = clock.instant();
        long deadline = started + limits.publishTimeout().toNanos();

        // 1. authentication by header (a present but wrong header is final: no fallback to the body)
        Source source = null;
        if (request.authorization() != null) {
            Optional<String> key = BasicAuth.userName(request.authorization());
            source = key.flatMap(sources::authenticate).orElse(null);
            if (source == null) {
                return unauthorized(request);
            }
        }

        // 2. size and decoding
        int limit = route.isBatch() ? limits.maxBatchBytes() : limits.maxMessageBytes();
        byte[] body;
        try {
            body = BodyReader.read(request.body(), request.contentEncoding(), request.contentLength(), limit);
        } catch (BodyReader.TooLargeException e) {
            BodyReader.drain(request.body());
            count(source, "payload_too_large", 1);
            return error(request, source, 413, "payload_too_large", null, e.getMessage());
        } catch (BodyReader.BadEncodingException e) {
            BodyReader.drain(request.body());
            String code = e.unsupported() ? "unsupported_encoding" : "invalid_gzip";
            count(source, code, 1);
            return error(request, source, e.unsupported() ? 415 : 400, code, null, e.getMessage());
        } catch (IOException e) {
            count(source, "read_error", 1);
            return error(request, source, 400, "read_error", null, "could not read the body: " + e.getMessage());
        }
        DistributionSummary.builder(CollectorMetrics.REQUEST_BYTES)
                .baseUnit("bytes")
                .tag(CollectorMetrics.TAG_ROUTE, route.tag())
                .register(meters)
                .record(body.length);

        return route.isBatch()
                ? batch(body, source, request, receivedAt, deadline)
                : single(route.type(), body, source, request, receivedAt, deadline);
    }

    private Response single(
            MessageType type, byte[] body, Source source, Request request, Instant receivedAt, long deadline) {
        ObjectNode message;
        try {
            message = parser.single(body);
        } catch (InvalidMessageException e) {
            return refuse(source, request, receivedAt, body, null, e.rejection());
        }
        if (source == null) {
            source = authenticateBody(message.get("writeKey")).orElse(null);
            if (source == null) {
                return unauthorized(request);
            }
        }
        Response denied = admit(source, request, 1);
        if (denied != null) {
            return denied;
        }
        TouchpointEvent event;
        try {
            event = EventMapper.map(message, type, Envelope.single(source, receivedAt, request.clientIp()));
        } catch (InvalidMessageException e) {
            return refuseAdmitted(source, request, receivedAt, body, null, e.rejection());
        }
        try {
            publisher.publish(List.of(event), deadline);
        } catch (PublishUnavailableException e) {
            return unavailable(source, request, e, 1);
        }
        accepted(source, type, 1);
        return ok(request, source, success());
    }

    private Response batch(byte[] body, Source source, Request request, Instant receivedAt, long deadline) {
        PayloadParser.Batch batch;
        try {
            batch = parser.batch(body, limits.maxMessageBytes());
        } catch (InvalidMessageException e) {
            return refuse(source, request, receivedAt, body, null, e.rejection());
        }
        if (source == null) {
            source = authenticateBody(batch.writeKey())
                    .or(() -> firstItemKey(batch))
                    .orElse(null);
            if (source == null) {
                return unauthorized(request);
            }
        }
        int size = batch.items().size();
        DistributionSummary.builder(CollectorMetrics.BATCH_SIZE)
                .tag(CollectorMetrics.TAG_SOURCE, source.id())
                .register(meters)
                .record(size);
        Response denied = admit(source, request, Math.max(1, size));
        if (denied != null) {
            return denied;
        }

        Envelope envelope = new Envelope(
                source, receivedAt, request.clientIp(), batch.context(), batch.integrations(), batch.sentAt());
        List<TouchpointEvent> events = new ArrayList<>(size);
        List<MessageType> types = new ArrayList<>(size);
        List<RejectedItem> rejected = new ArrayList<>();
        for (PayloadParser.Item item : batch.items()) {
            Rejection rejection = item.rejection();
            if (rejection == null) {
                rejection = foreignKey(item.message(), source);
            }
            if (rejection == null) {
                try {
                    events.add(EventMapper.map(item.message(), item.type(), envelope));
                    types.add(item.type());
                    continue;
                } catch (InvalidMessageException e) {
                    rejection = e.rejection();
                }
            }
            rejected.add(new RejectedItem(item.index(), item.raw(), rejection));
        }
        try {
            publisher.publish(events, deadline);
        } catch (PublishUnavailableException e) {
            return unavailable(source, request, e, size);
        }
        Map<MessageType, Integer> perType = new java.util.EnumMap<>(MessageType.class);
        for (MessageType t : types) {
            perType.merge(t, 1, Integer::sum);
        }
        for (Map.Entry<MessageType, Integer> e : perType.entrySet()) {
            accepted(source, e.getKey(), e.getValue());
        }
        List<Object> report = new ArrayList<>(rejected.size());
        for (RejectedItem r : rejected) {
            publisher.reject(rejectedEvent(source.id(), receivedAt, r.raw(), r.index(), r.rejection()));
            count(source, r.rejection().code(), 1);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("index", r.index());
            entry.putAll(problem(
                    r.rejection().code(), r.rejection().field(), r.rejection().message()));
            report.add(entry);
        }
        if (!rejected.isEmpty() && events.isEmpty()) {
            Map<String, Object> out =
                    problem("invalid_batch", "batch", "every message of the batch was refused; see 'rejected'");
            out.put("rejected", report);
            return respond(request, source, 400, out, Map.of());
        }
        Map<String, Object> out = success();
        if (!rejected.isEmpty()) {
            out.put("accepted", events.size());
            out.put("rejected", report);
        }
        return ok(request, source, out);
    }

    private record RejectedItem(int index, byte[] raw, Rejection rejection) {}

    /** A batch element carrying a write key of another (or no) source is refused. */
    private Rejection foreignKey(ObjectNode message, Source source) {
        JsonNode key = message.get("writeKey");
        if (key == null || key.isNull()) {
            return null;
        }
        Optional<Source> owner = key.isTextual() ? sources.authenticate(key.textValue()) : Optional.empty();
        if (owner.isPresent() && owner.get().id().equals(source.id())) {
            return null;
        }
        return new Rejection(
                "write_key_mismatch", "writeKey", "the message's writeKey does not belong to the request's source");
    }

    private Optional<Source> authenticateBody(JsonNode key) {
        return key != null && key.isTextual() ? sources.authenticate(key.textValue()) : Optional.empty();
    }

    private Optional<Source> authenticateBody(String key) {
        return sources.authenticate(key);
    }

    private Optional<Source> firstItemKey(PayloadParser.Batch batch) {
        for (PayloadParser.Item item : batch.items()) {
            if (item.message() != null && item.message().hasNonNull("writeKey")) {
                return authenticateBody(item.message().get("writeKey"));
            }
        }
        return Optional.empty();
    }

    /** Origin and rate-limit checks; null when the request may go on. */
    private Response admit(Source source, Request request, int cost) {
        if (request.origin() != null && !source.allowsOrigin(request.origin())) {
            count(source, "origin_not_allowed", cost);
            return respond(
                    request,
                    null,
                    403,
                    problem("origin_not_allowed", null, "this source does not accept requests from that origin"),
                    Map.of());
        }
        RateLimiter limiter = rateLimiters.get(source.id());
        if (limiter != null) {
            Duration wait = limiter.tryAcquire(cost);
            if (!wait.isZero()) {
                count(source, "rate_limited", cost);
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                return respond(
                        request,
                        source,
                        429,
                        problem(
                                "rate_limited",
                                null,
                                "source " + source.id() + " is over its rate limit of " + source.rateLimit()
                                        + " events/s"),
                        Map.of("Retry-After", Long.toString(seconds)));
            }
        }
        return null;
    }

    /**
     * A 400 for a message or body that breaks a rule; an authenticated one also goes to the rejected topic,
     * after the origin and rate-limit checks (a flood of broken bodies is throttled like any other).
     */
    private Response refuse(
            Source source, Request request, Instant receivedAt, byte[] raw, Integer index, Rejection rejection) {
        if (source != null) {
            Response denied = admit(source, request, 1);
            if (denied != null) {
                return denied;
            }
        }
        return refuseAdmitted(source, request, receivedAt, raw, index, rejection);
    }

    /** {@link #refuse} for a request that already passed the origin and rate-limit checks. */
    private Response refuseAdmitted(
            Source source, Request request, Instant receivedAt, byte[] raw, Integer index, Rejection rejection) {
        if (source != null) {
            publisher.reject(rejectedEvent(source.id(), receivedAt, raw, index, rejection));
        }
        count(source, rejection.code(), 1);
        return error(request, source, 400, rejection.code(), rejection.field(), rejection.message());
    }

    private Response unavailable(Source source, Request request, PublishUnavailableException e, int messages) {
        Counter.builder(CollectorMetrics.PUBLISH_UNAVAILABLE)
                .tag(CollectorMetrics.TAG_CAUSE, e.causeCode())
                .register(meters)
                .increment();
        count(source, "unavailable", messages);
        long now = System.nanoTime();
        long last = lastUnavailableLog.get();
        if (now - last >= UNAVAILABLE_LOG_INTERVAL_NANOS && lastUnavailableLog.compareAndSet(last, now)) {
            LOG.warn(
                    "Answering 503 to source {}: {} ({}); {} more 503 answers since the previous line",
                    source.id(),
                    e.getMessage(),
                    e.causeCode(),
                    suppressedUnavailable.getAndSet(0));
        } else {
            suppressedUnavailable.incrementAndGet();
        }
        long seconds = Math.max(1, limits.retryAfter().toSeconds());
        return respond(
                request,
                source,
                503,
                problem("unavailable", null, "the event store did not confirm the write in time; retry later"),
                Map.of("Retry-After", Long.toString(seconds)));
    }

    private Response unauthorized(Request request) {
        count(null, "unauthorized", 1);
        return respond(
                request,
                null,
                401,
                problem("unauthorized", null, "a valid write key is required (HTTP Basic user name, or writeKey)"),
                Map.of("WWW-Authenticate", "Basic realm=\"cxflow\""));
    }

    private Response error(Request request, Source source, int status, String code, String field, String message) {
        return respond(request, source, status, problem(code, field, message), Map.of());
    }

    private Response ok(Request request, Source source, Map<String, Object> body) {
        return respond(request, source, 200, body, Map.of());
    }

    /** Adds the CORS headers for a browser request whose origin may read the answer. */
    private Response respond(
            Request request, Source source, int status, Map<String, Object> body, Map<String, String> headers) {
        Map<String, String> out = new LinkedHashMap<>(headers);
        String origin = request.origin();
        if (origin != null) {
            boolean allowed = source != null ? source.allowsOrigin(origin) : sources.anyAllowsOrigin(origin);
            if (allowed) {
                out.put("Access-Control-Allow-Origin", origin);
                out.put("Vary", "Origin");
                if (headers.containsKey("Retry-After")) {
                    out.put("Access-Control-Expose-Headers", "Retry-After");
                }
            }
        }
        return new Response(status, out, body);
    }

    private static Map<String, Object> success() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        return out;
    }

    private static Map<String, Object> problem(String code, String field, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", code);
        if (field != null) {
            out.put("field", field);
        }
        out.put("message", message);
        return out;
    }

    private static RejectedEvent rejectedEvent(
            String sourceId, Instant at, byte[] raw, Integer index, Rejection rejection) {
        return RejectedEvents.of(sourceId, RejectedEvents.STAGE_COLLECTOR, at, raw, index, null, rejection);
    }

    private void accepted(Source source, MessageType type, int n) {
        Counter.builder(CollectorMetrics.EVENTS_ACCEPTED)
                .tag(CollectorMetrics.TAG_SOURCE, source.id())
                .tag(CollectorMetrics.TAG_TYPE, type.wireName())
                .register(meters)
                .increment(n);
    }

    private void count(Source source, String reason, int n) {
        Counter.builder(CollectorMetrics.EVENTS_REJECTED)
                .tag(CollectorMetrics.TAG_SOURCE, source == null ? CollectorMetrics.UNKNOWN_SOURCE : source.id())
                .tag(CollectorMetrics.TAG_REASON, reason)
                .register(meters)
                .increment(n);
    }
}
