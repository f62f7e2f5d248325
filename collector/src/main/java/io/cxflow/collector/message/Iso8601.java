package io.cxflow.collector.message;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Optional;

/**
 * Parses the ISO-8601 timestamps SDKs send: {@code 2026-11-20T10:00:00Z}, {@code
 * 2026-11-20T10:00:00.123+01:00}, {@code 2026-11-20T10:00:00.123+0100} (Java's {@code SimpleDateFormat}
 * style), fractions of any length, and a date or date-time without an offset, which is read as UTC.
 */
public final class Iso8601 {

    private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE)
            .optionalStart()
            .appendLiteral('T')
            .append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart()
            .appendOffset("+HH:MM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HHMM", "Z")
            .optionalEnd()
            .optionalStart()
            .appendOffset("+HH", "Z")
            .optionalEnd()
            .optionalEnd()
            .toFormatter()
            .withResolverStyle(ResolverStyle.STRICT)
            .withChronology(java.time.chrono.IsoChronology.INSTANCE);

    /** Longest accepted input; anything longer is not a timestamp. */
    private static final int MAX_LENGTH = 64;

    private Iso8601() {}

    /** {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, excluding a leap second (which the general parser refuses). */
    private static boolean isPlainUtc(String s) {
        int n = s.length();
        return n >= 20
                && s.charAt(n - 1) == 'Z'
                && s.charAt(4) == '-'
                && s.charAt(10) == 'T'
                && s.charAt(16) == ':'
                && Character.isDigit(s.charAt(0))
                && !(s.charAt(17) == '6' && s.charAt(18) == '0');
    }

    /** The instant the text denotes, or empty when it is not an ISO-8601 date or date-time. */
    public static Optional<Instant> parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String s = text.strip();
        if (isPlainUtc(s)) {
            // the form nearly every SDK sends: Instant.parse is several times cheaper than the general formatter
            try {
                return Optional.of(Instant.parse(s));
            } catch (DateTimeException e) {
                // not valid after all: the general parser decides
            }
        }
        try {
            TemporalAccessor parsed = FORMAT.parse(s);
            if (!parsed.isSupported(ChronoField.HOUR_OF_DAY)) {
                return Optional.of(LocalDate.from(parsed).atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            LocalDateTime local = LocalDateTime.from(parsed);
            if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
                return Optional.of(
                        OffsetDateTime.of(local, ZoneOffset.from(parsed)).toInstant());
            }
            return Optional.of(local.toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
