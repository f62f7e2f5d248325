package io.cxflow.analytics.profile;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Normalization of contact identifiers, shared by the topology and the lookup API. */
public final class Identifiers {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern PHONE_SEPARATORS = Pattern.compile("[\\s().\\-/]");

    private Identifiers() {}

    /** An email trimmed and lower-cased; empty when it is not an address. */
    public static Optional<String> email(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String email = raw.trim().toLowerCase(Locale.ROOT);
        return EMAIL.matcher(email).matches() ? Optional.of(email) : Optional.empty();
    }

    /**
     * A phone number in E.164 ({@code +393331234567}): separators removed, a leading {@code 00} read as
     * {@code +}. Empty when the result is not E.164 (a national number without country code cannot be
     * made E.164 without knowing the country).
     */
    public static Optional<String> phone(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String phone = PHONE_SEPARATORS.matcher(raw.trim()).replaceAll("");
        if (phone.startsWith("00")) {
            phone = "+" + phone.substring(2);
        }
        return E164.matcher(phone).matches() ? Optional.of(phone) : Optional.empty();
    }
}
