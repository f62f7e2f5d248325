package io.cxflow.activation.channel.audience;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Members added to or removed from one audience together. The batch id is a function of the audience,
 * the operation and the members' idempotency keys (SHA-256 over them, sorted), so the same members
 * sent again form the same batch and a destination can recognise it ({@link #id()}).
 *
 * @param audience the audience name (the step's {@code audience} setting)
 * @param operation add or remove
 * @param members the members, sorted by idempotency key, without duplicates
 */
public record AudienceBatch(String audience, Operation operation, List<AudienceMember> members) {

    /** Audience names: they become file and folder names. */
    public static final Pattern AUDIENCE_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    /** Whether a batch adds its members to the audience or removes them. */
    public enum Operation {
        ADD,
        REMOVE;

        /** {@code add} or {@code remove}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AudienceBatch {
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(operation, "operation");
        if (!AUDIENCE_NAME.matcher(audience).matches()) {
            throw new IllegalArgumentException("audience must match " + AUDIENCE_NAME.pattern() + ": " + audience);
        }
        List<AudienceMember> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(AudienceMember::idempotencyKey));
        List<AudienceMember> unique = new ArrayList<>();
        for (AudienceMember m : sorted) {
            if (unique.isEmpty() || !unique.getLast().idempotencyKey().equals(m.idempotencyKey())) {
                unique.add(m);
            }
        }
        if (unique.isEmpty()) {
            throw new IllegalArgumentException("a batch has at least one member");
        }
        members = List.copyOf(unique);
    }

    /**
     * The batch id: the first 32 hex digits of SHA-256 over {@code audience \n operation \n key1 \n key2
     * …} (keys sorted).
     */
    public String id() {
        StringBuilder text = new StringBuilder(audience).append('\n').append(operation.label());
        for (AudienceMember m : members) {
            text.append('\n').append(m.idempotencyKey());
        }
        return AudienceMember.sha256Hex(text.toString()).substring(0, 32);
    }

    /** Identifiers in the batch (email and phone hashes of every member). */
    public int identifierCount() {
        return members.stream()
                .mapToInt(m -> m.emailHashes().size() + m.phoneHashes().size())
                .sum();
    }

    @Override
    public String toString() {
        return "AudienceBatch[" + audience + ", " + operation.label() + ", " + members.size() + " members, id=" + id()
                + "]";
    }
}
