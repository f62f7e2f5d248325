package io.cxflow.activation.channel;

import io.cxflow.avro.SegmentMembershipChanged;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a customer can be reached, read from the snapshot of a membership change, and the
 * normalisation of emails (trimmed, lower-cased) and phones (E.164) that every channel shares.
 */
public final class ContactPoints {

    /** Identity type of emails in {@code identities}. */
    public static final String EMAIL = "email";
    /** Identity type of phones in {@code identities}. */
    public static final String PHONE = "phone";

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern EMAIL_SHAPE = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern PHONE_FORMATTING = Pattern.compile("[\\s().\\-/]");

    private ContactPoints() {}

    /** The preferred email of the change, else its first known email; normalised. */
    public static Optional<String> email(SegmentMembershipChanged change) {
        return first(emails(change));
    }

    /** The preferred phone of the change, else its first known phone; normalised to E.164. */
    public static Optional<String> phone(SegmentMembershipChanged change) {
        return first(phones(change));
    }

    /** Every email of the change (preferred first), normalised, without duplicates or invalid values. */
    public static List<String> emails(SegmentMembershipChanged change) {
        Set<String> out = new LinkedHashSet<>();
        normaliseEmail(change.getEmail()).ifPresent(out::add);
        for (String e : change.getIdentities().getOrDefault(EMAIL, List.of())) {
            normaliseEmail(e).ifPresent(out::add);
        }
        return new ArrayList<>(out);
    }

    /** Every phone of the change (preferred first), in E.164, without duplicates or invalid values. */
    public static List<String> phones(SegmentMembershipChanged change) {
        Set<String> out = new LinkedHashSet<>();
        normalisePhone(change.getPhone()).ifPresent(out::add);
        for (String p : change.getIdentities().getOrDefault(PHONE, List.of())) {
            normalisePhone(p).ifPresent(out::add);
        }
        return new ArrayList<>(out);
    }

    /** {@code value} trimmed and lower-cased, when it looks like an email address. */
    public static Optional<String> normaliseEmail(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return EMAIL_SHAPE.matcher(v).matches() ? Optional.of(v) : Optional.empty();
    }

    /**
     * {@code value} in E.164 ({@code +} and 7 to 15 digits, no leading zero) once spaces, dots, dashes,
     * slashes and parentheses are removed and a leading {@code 00} is read as {@code +}; empty when the
     * result is not E.164 (a national number without its country code cannot be placed).
     */
    public static Optional<String> normalisePhone(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = PHONE_FORMATTING.matcher(value.trim()).replaceAll("");
        if (v.startsWith("00")) {
            v = "+" + v.substring(2);
        }
        return E164.matcher(v).matches() ? Optional.of(v) : Optional.empty();
    }

    private static Optional<String> first(List<String> values) {
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }
}
