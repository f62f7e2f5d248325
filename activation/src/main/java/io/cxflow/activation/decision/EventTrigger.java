package io.cxflow.activation.decision;

import io.cxflow.activation.channel.ContactPoints;
import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.schemas.json.JsonText;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An occurrence of a named event that triggers workflows, in the record form the dispatcher plans from:
 * a {@link SegmentMembershipChanged} keyed by the resolved customer id on the internal trigger topic,
 * carrying the customer's snapshot like a membership change does, so that every stage after planning
 * (guardrails, ledger, deferral, channels, results) treats both triggers alike. The fields mean:
 *
 * <ul>
 *   <li>{@code segmentId} = {@code event:<event name>} — segment ids cannot contain {@code ':'} or
 *       spaces, so no segment id is ever read as an event;
 *   <li>{@code membershipVersion} = the <b>occurrence number</b>: the first 63 bits of SHA-256 over
 *       the event's {@code sourceId} and {@code messageId} (the pair analytics deduplicates on), so the
 *       same event delivered again plans the same idempotency keys and causes no second effect;
 *   <li>{@code change} = {@code ENTERED}, {@code segmentVersion} = 0, {@code at} = the event's time,
 *       {@code reason} = {@code event <name>};
 *   <li>identities, email, phone, consent, time zone = the profile analytics resolved the event to;
 *   <li>{@code properties} = the event's properties as JSON text (templates read {@code event.properties.*}).
 * </ul>
 */
public final class EventTrigger {

    /** The prefix that marks an event occurrence's {@code segmentId}. */
    public static final String PREFIX = "event:";

    /** Longest event name a workflow may trigger on. */
    public static final int MAX_NAME_LENGTH = 200;

    private EventTrigger() {}

    /** Whether {@code change} is an event occurrence rather than a membership change. */
    public static boolean isEvent(SegmentMembershipChanged change) {
        return change.getSegmentId().startsWith(PREFIX);
    }

    /** The event name of an occurrence ({@link #isEvent}). */
    public static String eventName(SegmentMembershipChanged change) {
        return change.getSegmentId().substring(PREFIX.length());
    }

    /**
     * The occurrence number of the event {@code (sourceId, messageId)}: the first 63 bits of SHA-256
     * over both (UTF-8, separated by a newline); positive, and the same for every delivery of the event.
     */
    public static long occurrence(String sourceId, String messageId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(sourceId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            sha.update(messageId.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(sha.digest()).getLong() >>> 1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The occurrence of event {@code name} ({@code sourceId}, {@code messageId}, event time {@code at},
     * {@code properties} as JSON text or {@code null}) for the customer analytics resolved it to.
     */
    public static SegmentMembershipChanged of(
            String name, String sourceId, String messageId, Instant at, String properties, LatestProfile customer) {
        Objects.requireNonNull(name, "name");
        Map<String, List<String>> identities = new TreeMap<>();
        customer.identities().forEach((type, values) -> identities.put(type, List.copyOf(values)));
        return SegmentMembershipChanged.newBuilder()
                .setCustomerId(customer.customerId())
                .setSegmentId(PREFIX + name)
                .setSegmentVersion(0)
                .setChange(MembershipChange.ENTERED)
                .setMembershipVersion(occurrence(sourceId, messageId))
                .setReason("event " + name)
                .setAt(at)
                .setIdentities(identities)
                .setEmail(contact(customer, ContactPoints.EMAIL)
                        .flatMap(ContactPoints::normaliseEmail)
                        .orElse(null))
                .setPhone(contact(customer, ContactPoints.PHONE)
                        .flatMap(ContactPoints::normalisePhone)
                        .orElse(null))
                .setConsent(new TreeMap<>(customer.consent()))
                .setTimezone(customer.timezone())
                .setProperties(properties)
                .build();
    }

    /**
     * The triggering event's properties as plain values (numbers as {@code Long} when integral, else
     * {@code Double}; objects as maps; arrays as lists), for templates ({@code event.properties.*}) and
     * {@code if} conditions ({@code profile.event.properties.*}); empty when the occurrence carries none
     * (or not a JSON object: collected events were checked when they were accepted).
     */
    public static Map<String, Object> properties(SegmentMembershipChanged occurrence) {
        Map<String, Object> out = new LinkedHashMap<>();
        String json = occurrence.getProperties();
        if (json == null || json.isBlank()) {
            return out;
        }
        try {
            JsonText.readObject(json).properties().forEach(e -> {
                Object plain = LatestProfile.plain(e.getValue());
                if (plain != null) {
                    out.put(e.getKey(), plain);
                }
            });
        } catch (RuntimeException e) {
            out.clear();
        }
        return out;
    }

    /** The {@code email}/{@code phone} trait when it is a valid address, else the first identity of that type. */
    private static Optional<String> contact(LatestProfile customer, String type) {
        Object trait = customer.trait(type);
        if (trait instanceof String text) {
            Optional<String> valid = type.equals(ContactPoints.EMAIL)
                    ? ContactPoints.normaliseEmail(text)
                    : ContactPoints.normalisePhone(text);
            if (valid.isPresent()) {
                return valid;
            }
        }
        List<String> known = customer.identities().getOrDefault(type, List.of());
        return known.isEmpty() ? Optional.empty() : Optional.of(known.getFirst());
    }
}
