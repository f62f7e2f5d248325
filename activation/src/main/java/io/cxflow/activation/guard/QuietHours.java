package io.cxflow.activation.guard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * A daily window in the customer's local time during which messages wait, e.g. {@code 21:00-08:00}
 * (a window may wrap midnight). {@link #end} says when a message that is due now may leave.
 *
 * @param start local time the quiet window starts (inclusive)
 * @param end local time it ends (exclusive)
 */
public record QuietHours(LocalTime start, LocalTime end) {

    public QuietHours {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (start.equals(end)) {
            throw new IllegalArgumentException("quiet hours must not start and end at the same time");
        }
    }

    /**
     * Parses {@code HH:mm-HH:mm}.
     *
     * @throws IllegalArgumentException when the text has another shape
     */
    public static QuietHours parse(String text) {
        String[] parts = text.trim().split("-");
        if (parts.length != 2) {
            throw new IllegalArgumentException("quiet hours must look like 21:00-08:00, got '" + text + "'");
        }
        try {
            return new QuietHours(LocalTime.parse(parts[0].trim()), LocalTime.parse(parts[1].trim()));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("quiet hours must look like 21:00-08:00, got '" + text + "'", e);
        }
    }

    /**
     * When the quiet window that contains {@code now} (in {@code zone}) ends, or empty when {@code now}
     * is outside every quiet window. A local end time that does not exist on that day (a daylight
     * saving gap) moves to the next valid instant.
     */
    public Optional<Instant> end(Instant now, ZoneId zone) {
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        LocalDate day = local.toLocalDate();
        boolean wraps = start.isAfter(end);
        if (!wraps) {
            if (!time.isBefore(start) && time.isBefore(end)) {
                return Optional.of(ZonedDateTime.of(day, end, zone).toInstant());
            }
            return Optional.empty();
        }
        if (!time.isBefore(start)) {
            return Optional.of(ZonedDateTime.of(day.plusDays(1), end, zone).toInstant());
        }
        if (time.isBefore(end)) {
            return Optional.of(ZonedDateTime.of(day, end, zone).toInstant());
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
