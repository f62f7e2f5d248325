package io.cxflow.activation.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.activation.decision.IdempotencyKey;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One provider report about one message, as {@code POST /v1/feedback/{channel}} receives it:
 *
 * <pre>{@code
 * {"idempotencyKey": "welcome:sms:cus_42:3", "status": "delivered", "at": "2026-11-22T18:03:15Z",
 *  "providerMessageId": "SM8f1c", "reason": "…", "url": "https://…"}
 * }</pre>
 *
 * {@code idempotencyKey} (the {@code Idempotency-Key} activation sent) and {@code status} ({@link
 * ReceiptStatus}) are required; {@code at} (ISO-8601 with offset, the provider's event time),
 * {@code providerMessageId}, {@code reason} (at most {@value #MAX_TEXT} characters kept) and {@code
 * url} (clicked: the http(s) link) are optional. Unknown fields are ignored.
 *
 * @param key the decision the receipt is about
 * @param status what happened
 * @param at when it happened, if the provider said
 * @param providerMessageId the provider's own id of the message
 * @param reason the provider's explanation (bounces, failures)
 * @param url the link followed ({@code clicked})
 */
public record DeliveryReceipt(
        IdempotencyKey key,
        ReceiptStatus status,
        Optional<Instant> at,
        Optional<String> providerMessageId,
        Optional<String> reason,
        Optional<String> url) {

    /** Longest {@code reason} and {@code providerMessageId} kept; longer ones are cut. */
    public static final int MAX_TEXT = 512;
    /** Longest {@code url} accepted. */
    public static final int MAX_URL = 2048;
    /** Most receipts in one request. */
    public static final int MAX_RECEIPTS = 1000;

    private static final Set<String> FIELDS =
            Set.of("idempotencyKey", "status", "at", "providerMessageId", "reason", "url");

    public DeliveryReceipt {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(providerMessageId, "providerMessageId");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(url, "url");
    }

    /**
     * A problem with one receipt of a request.
     *
     * @param index the receipt's position in {@code receipts} (0 for a single receipt)
     * @param field the offending field, e.g. {@code receipts[2].status}
     * @param message what is wrong
     */
    public record Problem(int index, String field, String message) {}

    /**
     * The receipts of a request body and the problems of those that cannot be read.
     *
     * @param receipts the readable receipts with their index
     * @param problems one per unreadable receipt
     */
    public record Batch(List<Indexed> receipts, List<Problem> problems) {
        public Batch {
            receipts = List.copyOf(receipts);
            problems = List.copyOf(problems);
        }
    }

    /** A readable receipt and its position in the request. */
    public record Indexed(int index, DeliveryReceipt receipt) {}

    /**
     * Reads a request body: one receipt object, or {@code {"receipts": [ … ]}}.
     *
     * @throws IllegalArgumentException when the body has neither shape (or too many receipts)
     */
    public static Batch parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new IllegalArgumentException("the body must be a receipt object or {\"receipts\": [...]}");
        }
        JsonNode list = body.get("receipts");
        if (list == null) {
            return read(List.of(body), "");
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("receipts must be an array");
        }
        if (list.size() > MAX_RECEIPTS) {
            throw new IllegalArgumentException("at most " + MAX_RECEIPTS + " receipts per request, not " + list.size());
        }
        List<JsonNode> items = new ArrayList<>();
        list.forEach(items::add);
        return read(items, "receipts");
    }

    private static Batch read(List<JsonNode> items, String prefix) {
        List<Indexed> receipts = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String at = prefix.isEmpty() ? "" : prefix + "[" + i + "].";
            try {
                receipts.add(new Indexed(i, one(items.get(i), at)));
            } catch (InvalidField e) {
                problems.add(new Problem(i, e.field, e.getMessage()));
            }
        }
        return new Batch(receipts, problems);
    }

    private static DeliveryReceipt one(JsonNode node, String at) throws InvalidField {
        if (!node.isObject()) {
            throw new InvalidField(at.isEmpty() ? "body" : at.substring(0, at.length() - 1), "a receipt is an object");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name) && node.get(name).isContainerNode()) {
                // unknown scalar fields are tolerated; nested documents would only grow the request
                throw new InvalidField(at + name, "unknown field with a nested value");
            }
        }
        String keyText = text(node, at, "idempotencyKey", true).orElseThrow();
        IdempotencyKey key;
        try {
            key = IdempotencyKey.parse(keyText);
        } catch (IllegalArgumentException e) {
            throw new InvalidField(
                    at + "idempotencyKey", "not an idempotency key (<workflowId>:<stepId>:<customerId>:<version>)");
        }
        String statusText = text(node, at, "status", true).orElseThrow();
        ReceiptStatus status = ReceiptStatus.parse(statusText)
                .orElseThrow(
                        () -> new InvalidField(
                                at + "status",
                                "unknown status; one of delivered, failed, bounced, opened, clicked, complained, unsubscribed"));
        Optional<Instant> time = text(node, at, "at", false).map(t -> instant(t, at + "at"));
        Optional<String> url = text(node, at, "url", false);
        if (url.isPresent()) {
            checkUrl(url.get(), at + "url");
        }
        return new DeliveryReceipt(
                key,
                status,
                time,
                text(node, at, "providerMessageId", false).map(DeliveryReceipt::cut),
                text(node, at, "reason", false).map(DeliveryReceipt::cut),
                url);
    }

    private static Optional<String> text(JsonNode node, String at, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InvalidField(at + field, "required");
            }
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new InvalidField(at + field, "must be a string");
        }
        String text = value.asText().trim();
        if (text.isEmpty()) {
            if (required) {
                throw new InvalidField(at + field, "must not be empty");
            }
            return Optional.empty();
        }
        return Optional.of(text);
    }

    private static Instant instant(String text, String field) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidField(field, "not an ISO-8601 date-time with offset, e.g. 2026-11-22T18:03:15Z");
        }
    }

    private static void checkUrl(String url, String field) {
        if (url.length() > MAX_URL) {
            throw new InvalidField(field, "longer than " + MAX_URL + " characters");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw new InvalidField(field, "must be an http(s) URL with a host");
            }
        } catch (URISyntaxException e) {
            throw new InvalidField(field, "not a valid URL");
        }
    }

    private static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }

    /** A field of a receipt that cannot be read. */
    private static final class InvalidField extends RuntimeException {
        private final String field;

        InvalidField(String field, String message) {
            super(message, null, false, false);
            this.field = field;
        }
    }
}
