package io.cxflow.analytics.profile;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;
import io.cxflow.analytics.util.BoundedMemo;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Normalization of contact identifiers, shared by the topology and the lookup API. */
public final class Identifiers {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+");
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final int MAX_PHONE_LENGTH = 64;

    private Identifiers() {}

    /** An email trimmed and lower-cased; empty when it is not an address. */
    public static Optional<String> email(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String email = raw.trim().toLowerCase(Locale.ROOT);
        return EMAIL.matcher(email).matches() ? Optional.of(email) : Optional.empty();
    }

    /** {@link #phone(String, String)} without a default region: only international numbers. */
    public static Optional<String> phone(String raw) {
        return phone(raw, null);
    }

    /**
     * A phone number in E.164 ({@code +393331234567}) as libphonenumber parses it: separators ignored, a
     * leading {@code 00} read as {@code +}, a national number read in {@code defaultRegion}. Empty when
     * the number is not a valid number (or national without a default region).
     *
     * @param defaultRegion ISO 3166 region such as {@code IT}, or {@code null}
     */
    public static Optional<String> phone(String raw, String defaultRegion) {
        if (raw == null) {
            return Optional.empty();
        }
        return PARSED.get(new PhoneInput(raw, defaultRegion));
    }

    private record PhoneInput(String raw, String defaultRegion) {}

    /** Numbers parsed recently: a customer's phone trait comes again with many of their events. */
    private static final BoundedMemo<PhoneInput, Optional<String>> PARSED =
            new BoundedMemo<>(50_000, input -> parse(input.raw(), input.defaultRegion()));

    private static Optional<String> parse(String raw, String defaultRegion) {
        String text = raw.trim();
        if (text.isEmpty() || text.length() > MAX_PHONE_LENGTH) {
            return Optional.empty();
        }
        int first = firstSignificant(text);
        if (first < 0) {
            return Optional.empty();
        }
        if (text.startsWith("00", first)) {
            text = text.substring(0, first) + "+" + text.substring(first + 2);
        }
        boolean international = text.charAt(first) == '+' || text.startsWith("00", first);
        if (!international && defaultRegion == null) {
            return Optional.empty();
        }
        try {
            Phonenumber.PhoneNumber number = PHONES.parse(text, defaultRegion == null ? "ZZ" : defaultRegion);
            if (!PHONES.isValidNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** The index of the first '+' or digit, -1 when none. */
    private static int firstSignificant(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '+' || (c >= '0' && c <= '9')) {
                return i;
            }
        }
        return -1;
    }
}
