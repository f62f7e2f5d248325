package io.cxflow.activation.feedback;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.channel.email.TrackingLinks;
import io.cxflow.activation.channel.email.UnsubscribeLinks;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What activation's public feedback endpoints do, apart from HTTP: delivery receipts from providers,
 * email opens and clicks, and unsubscribes, each turned into an event on {@code cx.events.v1} routed
 * to the customer through the {@link RecipientDirectory}.
 *
 * <ul>
 *   <li>{@link #receipts}: a provider's signed report ({@link DeliveryReceipt}); answered once every
 *       event is acknowledged, so a provider that gets a 2xx may forget the receipt and one that does
 *       not may send it again (same {@code messageId}: counted once);
 *   <li>{@link #open} and {@link #click}: a verified tracking token; the event is written without
 *       making the reader wait (a failed write is logged and counted, the pixel or the redirect is
 *       answered anyway);
 *   <li>{@link #unsubscribe}: a verified unsubscribe token; {@code Consent Updated} (email, granted
 *       false) is acknowledged before the customer is told it worked.
 * </ul>
 */
public final class Feedback {

    private static final Logger log = LoggerFactory.getLogger(Feedback.class);

    /** How long a request waits for the recipient directory to load after a start. */
    private static final Duration LOADING_WAIT = Duration.ofSeconds(2);

    private final FeedbackConfig config;
    private final RecipientDirectory directory;
    private final FeedbackEvents events;
    private final FeedbackPublisher publisher;
    private final Optional<TrackingLinks> tracking;
    private final Optional<UnsubscribeLinks> unsubscribe;
    private final Optional<RequestSigner> receiptSigner;
    private final ActivationMetrics metrics;

    public Feedback(
            FeedbackConfig config,
            RecipientDirectory directory,
            FeedbackEvents events,
            FeedbackPublisher publisher,
            Optional<TrackingLinks> tracking,
            Optional<UnsubscribeLinks> unsubscribe,
            ActivationMetrics metrics) {
        this.config = Objects.requireNonNull(config, "config");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.events = Objects.requireNonNull(events, "events");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.tracking = Objects.requireNonNull(tracking, "tracking");
        this.unsubscribe = Objects.requireNonNull(unsubscribe, "unsubscribe");
        this.receiptSigner = config.receiptSecret().map(RequestSigner::new);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    // ------------------------------------------------------------------------------------ receipts

    /**
     * A receipt the request carried that was valid but became no event.
     *
     * @param index its position in the request
     * @param idempotencyKey its decision
     * @param reason {@code unknown_recipient} (no message of that customer was sent by this deployment)
     *     or {@code deleted} (the customer was deleted)
     */
    public record Ignored(int index, String idempotencyKey, String reason) {}

    /**
     * What a receipt request amounted to.
     *
     * @param accepted receipts written as events
     * @param ignored valid receipts that became no event
     * @param rejected receipts that could not be read, with the field and the reason
     */
    public record ReceiptAnswer(int accepted, List<Ignored> ignored, List<DeliveryReceipt.Problem> rejected) {
        public ReceiptAnswer {
            ignored = List.copyOf(ignored);
            rejected = List.copyOf(rejected);
        }
    }

    /**
     * Handles a receipt request of {@code channel}: checks the signature over the exact body bytes,
     * reads the receipts, writes their events and waits for the acknowledgement.
     *
     * @param signature the {@code X-Cx-Signature} header ({@code sha256=<hex HMAC-SHA256 of the body>})
     * @throws HttpProblem 404 when receipts are not configured, 401 for a missing or wrong signature, 404
     *     for a channel without feedback, 400 for a body that is not one receipt or a list of them (or
     *     whose receipts are all unreadable: {@link InvalidReceipts}), 503 when the events cannot be
     *     written or the directory is still loading (the provider should send it again)
     * @throws InterruptedException when interrupted while waiting
     */
    public ReceiptAnswer receipts(String channel, byte[] body, String signature) throws InterruptedException {
        RequestSigner signer = receiptSigner.orElseThrow(
                () -> HttpProblem.notFound("delivery receipts are not configured on this deployment (set "
                        + FeedbackConfig.RECEIPT_SECRET.name() + ")"));
        // the signature first: an unsigned caller learns nothing about the configured channels
        if (!signer.verify(body, signature)) {
            throw new HttpProblem(
                    401,
                    "invalid_signature",
                    "the " + RequestSigner.HEADER
                            + " header is missing or is not sha256=<hex HMAC-SHA256 of the body>");
        }
        if (!config.covers(channel)) {
            throw HttpProblem.notFound("no delivery receipts for channel '" + channel + "'");
        }
        JsonNode json;
        try {
            json = Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw HttpProblem.badRequest("malformed_json", "the body is not valid JSON");
        } catch (IOException e) {
            throw HttpProblem.badRequest("malformed_json", "the body cannot be read");
        }
        DeliveryReceipt.Batch batch;
        try {
            batch = DeliveryReceipt.parse(json);
        } catch (IllegalArgumentException e) {
            throw HttpProblem.badRequest("invalid_receipts", e.getMessage());
        }
        if (batch.receipts().isEmpty() && !batch.problems().isEmpty()) {
            throw new InvalidReceipts(batch.problems());
        }
        List<TouchpointEvent> out = new ArrayList<>();
        List<Ignored> ignored = new ArrayList<>();
        for (DeliveryReceipt.Indexed indexed : batch.receipts()) {
            DeliveryReceipt receipt = indexed.receipt();
            RecipientDirectory.Lookup lookup = lookup(receipt.key().customerId());
            if (lookup instanceof RecipientDirectory.Lookup.Found found) {
                out.add(events.receipt(receipt, channel, found.recipient()));
            } else {
                ignored.add(new Ignored(
                        indexed.index(),
                        receipt.key().value(),
                        lookup instanceof RecipientDirectory.Lookup.Deleted ? "deleted" : "unknown_recipient"));
            }
        }
        write(out);
        out.forEach(e -> metrics.feedbackEvent(channel, e.getEvent()));
        return new ReceiptAnswer(out.size(), ignored, batch.problems());
    }

    /** A receipt request none of whose receipts could be read (400, with every problem). */
    public static final class InvalidReceipts extends RuntimeException {
        private final transient List<DeliveryReceipt.Problem> problems;

        InvalidReceipts(List<DeliveryReceipt.Problem> problems) {
            super("no receipt of the request can be read", null, false, false);
            this.problems = List.copyOf(problems);
        }

        public List<DeliveryReceipt.Problem> problems() {
            return problems;
        }
    }

    // ------------------------------------------------------------------------------------ tracking

    /**
     * An email open: whether {@code token} is a valid pixel token. When it is, {@code Email Opened} is
     * written (when email feedback is on and the customer is known).
     */
    public boolean open(String token) {
        Optional<TrackingLinks.Target> target = tracking.flatMap(t -> t.verifyOpen(token));
        Optional<IdempotencyKey> key = target.flatMap(Feedback::key);
        if (key.isEmpty()) {
            return false;
        }
        if (config.covers("email")) {
            recipient(key.get().customerId())
                    .ifPresent(r ->
                            publishQuietly(events.opened(key.get(), target.get().segmentId(), r)));
        }
        return true;
    }

    /** Whether {@code token} is a valid pixel token, without recording anything (a {@code HEAD}). */
    public boolean isOpenToken(String token) {
        return tracking.flatMap(t -> t.verifyOpen(token)).flatMap(Feedback::key).isPresent();
    }

    /**
     * An email click: the URL to redirect to when {@code token} was issued for exactly {@code url}, and
     * then {@code Email Link Clicked} is written (when email feedback is on and the customer is known).
     */
    public Optional<String> click(String token, String url) {
        Optional<TrackingLinks.Target> target = tracking.flatMap(t -> t.verifyClick(token, url));
        Optional<IdempotencyKey> key = target.flatMap(Feedback::key);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        if (config.covers("email")) {
            recipient(key.get().customerId())
                    .ifPresent(r -> publishQuietly(
                            events.clicked(key.get(), target.get().segmentId(), url, r)));
        }
        return Optional.of(url);
    }

    /** The URL a click token redirects to, without recording anything (a {@code HEAD}). */
    public Optional<String> clickTarget(String token, String url) {
        return tracking.flatMap(t -> t.verifyClick(token, url))
                .flatMap(Feedback::key)
                .map(k -> url);
    }

    private static Optional<IdempotencyKey> key(TrackingLinks.Target target) {
        try {
            return Optional.of(IdempotencyKey.parse(target.idempotencyKey()));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The recipient of a tracked email; empty (no event, the reader is served anyway) when unknown. */
    private Optional<Recipient> recipient(String customerId) {
        RecipientDirectory.Lookup lookup;
        try {
            lookup = lookup(customerId);
        } catch (HttpProblem e) {
            log.warn("tracking event not written: {}", e.getMessage());
            return Optional.empty();
        }
        return lookup instanceof RecipientDirectory.Lookup.Found found
                ? Optional.of(found.recipient())
                : Optional.empty();
    }

    private void publishQuietly(TouchpointEvent event) {
        publisher.publish(event).whenComplete((metadata, error) -> {
            if (error != null) {
                log.warn("could not write a {} event: {}", event.getEvent(), error.toString());
            } else {
                metrics.feedbackEvent("email", event.getEvent());
            }
        });
    }

    // ------------------------------------------------------------------------------------ unsubscribe

    /** What an unsubscribe request amounted to. */
    public enum Unsubscribe {
        /** {@code Consent Updated} (granted false) is on {@code cx.events.v1}. */
        DONE,
        /** The customer was deleted: nothing is recorded about them any more. */
        DELETED,
        /** The token is not valid (or the email channel is off). */
        INVALID,
        /** The token is valid but no message of this customer was sent by this deployment. */
        UNKNOWN_CUSTOMER
    }

    /** Whether {@code token} is a valid unsubscribe token. */
    public boolean isUnsubscribeToken(String token) {
        return unsubscribe.flatMap(u -> u.verify(token)).isPresent();
    }

    /**
     * Withdraws the email consent of the customer an unsubscribe token names: writes {@code Consent
     * Updated} and waits for its acknowledgement.
     *
     * @throws FeedbackWriteException when the event cannot be written (the customer should try again)
     * @throws InterruptedException when interrupted while waiting
     */
    public Unsubscribe unsubscribe(String token) throws InterruptedException {
        Optional<String> customerId = unsubscribe.flatMap(u -> u.verify(token));
        if (customerId.isEmpty()) {
            return Unsubscribe.INVALID;
        }
        RecipientDirectory.Lookup lookup = lookup(customerId.get());
        if (lookup instanceof RecipientDirectory.Lookup.Deleted) {
            return Unsubscribe.DELETED;
        }
        if (!(lookup instanceof RecipientDirectory.Lookup.Found found)) {
            log.warn("an unsubscribe link with a valid token names a customer without a recipient");
            return Unsubscribe.UNKNOWN_CUSTOMER;
        }
        TouchpointEvent event = events.unsubscribed("email", "unsubscribe_link", found.recipient());
        publisher.publishAndWait(List.of(event), config.writeTimeout());
        metrics.feedbackEvent("email", event.getEvent());
        return Unsubscribe.DONE;
    }

    // ------------------------------------------------------------------------------------ shared

    /**
     * The directory's answer, after waiting briefly for it to load when it has not yet.
     *
     * @throws HttpProblem 503 when the customer is unknown and the directory is still loading
     */
    private RecipientDirectory.Lookup lookup(String customerId) {
        RecipientDirectory.Lookup lookup = directory.find(customerId);
        if (lookup instanceof RecipientDirectory.Lookup.Unknown && !directory.isCaughtUp()) {
            try {
                directory.awaitCaughtUp(LOADING_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!directory.isCaughtUp()) {
                throw HttpProblem.unavailable("the recipient directory is still loading; try again shortly")
                        .withHeader("Retry-After", "1");
            }
            lookup = directory.find(customerId);
        }
        return lookup;
    }

    private void write(List<TouchpointEvent> out) throws InterruptedException {
        try {
            publisher.publishAndWait(out, config.writeTimeout());
        } catch (FeedbackWriteException e) {
            log.warn("receipt events not written: {}", e.getMessage());
            throw HttpProblem.unavailable("the events could not be written; send the receipts again")
                    .withHeader("Retry-After", "1");
        }
    }

    @Override
    public String toString() {
        return "Feedback[" + config + ", tracking=" + tracking.isPresent() + ", unsubscribe=" + unsubscribe.isPresent()
                + "]";
    }
}
