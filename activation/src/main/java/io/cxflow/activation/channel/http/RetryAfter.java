package io.cxflow.activation.channel.http;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads an HTTP {@code Retry-After} value: either a number of seconds or an HTTP date (RFC 9110
 * section 10.2.3). A date in the past means "now"; an unreadable value means "not given".
 */
public final class RetryAfter {

    private RetryAfter() {}

    /** The delay {@code value} asks for, or {@code null} when it is absent or unreadable. */
    public static Duration parse(String value, Clock clock) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return null;
        }
        try {
            if (v.chars().allMatch(Character::isDigit)) {
                return v.length() > 12 ? null : Duration.ofSeconds(Long.parseLong(v));
            }
            ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration until = Duration.between(clock.instant(), at.toInstant());
            return until.isNegative() ? Duration.ZERO : until;
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }
}
