package io.cxflow.activation.feedback;

import io.cxflow.avro.SegmentMembershipChanged;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whom a feedback event is about, as analytics routes events: a {@code userId}, else an {@code
 * anonymousId} of the customer. Analytics keys {@code cx.events.v1} by that routing id and folds the
 * event into the profile of whichever customer the id belongs to, so an event about a customer who
 * was merged into another one later still lands on the right profile.
 *
 * @param type {@value #USER_ID} or {@value #ANONYMOUS_ID}
 * @param value the id
 */
public record Recipient(String type, String value) {

    /** Identity type of user ids in the customer snapshot and in analytics. */
    public static final String USER_ID = "userId";
    /** Identity type of anonymous ids in the customer snapshot and in analytics. */
    public static final String ANONYMOUS_ID = "anonymousId";

    public Recipient {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
        if (!type.equals(USER_ID) && !type.equals(ANONYMOUS_ID)) {
            throw new IllegalArgumentException("a recipient is a userId or an anonymousId, not " + type);
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("a recipient id must not be blank");
        }
    }

    /**
     * The routing id of a customer snapshot: its smallest {@code userId}, else its smallest {@code
     * anonymousId}; empty when it has neither.
     */
    public static Optional<Recipient> of(SegmentMembershipChanged change) {
        Optional<String> userId = smallest(change.getIdentities().get(USER_ID));
        if (userId.isPresent()) {
            return Optional.of(new Recipient(USER_ID, userId.get()));
        }
        return smallest(change.getIdentities().get(ANONYMOUS_ID)).map(id -> new Recipient(ANONYMOUS_ID, id));
    }

    private static Optional<String> smallest(List<String> values) {
        if (values == null) {
            return Optional.empty();
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                sorted.add(value.trim());
            }
        }
        return sorted.isEmpty() ? Optional.empty() : Optional.of(sorted.first());
    }

    /** {@code userId:<id>} or {@code anonymousId:<id>}: the directory's record value. */
    public String encode() {
        return type + ':' + value;
    }

    /**
     * Parses {@link #encode()}.
     *
     * @throws IllegalArgumentException when {@code text} is not an encoded recipient
     */
    public static Recipient decode(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not a recipient: no type");
        }
        return new Recipient(text.substring(0, colon), text.substring(colon + 1));
    }

    /** Whether the recipient is a user id (the event's {@code userId}) rather than an anonymous id. */
    public boolean isUserId() {
        return type.equals(USER_ID);
    }

    @Override
    public String toString() {
        // the id may identify a person: the type only
        return "Recipient[" + type + "]";
    }
}
