package io.cxflow.collector.message;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * The event-time rules, after Segment's: the device's clock may be wrong, but the interval between the
 * event and the send, measured on that same clock, is right.
 *
 * <ol>
 *   <li>{@code originalTimestamp} is the client's {@code originalTimestamp} field when present, else its
 *       {@code timestamp} field: the time of the event on the client's clock.
 *   <li>With {@code sentAt} (the time the client sent the message, on the same clock) and an
 *       originalTimestamp: {@code timestamp = receivedAt − (sentAt − originalTimestamp)}, and never later
 *       than {@code receivedAt} (a clock that jumped backwards between event and send would otherwise
 *       date the event in the future).
 *   <li>With {@code sentAt} but no originalTimestamp: {@code timestamp = receivedAt}.
 *   <li>Without {@code sentAt}: {@code timestamp = originalTimestamp} as sent (server libraries and
 *       imports pass the real event time and are trusted), else {@code receivedAt}.
 * </ol>
 *
 * All instants are truncated to milliseconds, the precision of the Avro record.
 */
public final class EventTime {

    private EventTime() {}

    /**
     * @param receivedAt when the collector received the request (server clock)
     * @param originalTimestamp the client's event time, or null
     * @param sentAt the client's send time, or null
     * @return the event time to publish as {@code timestamp}
     */
    public static Instant resolve(Instant receivedAt, Instant originalTimestamp, Instant sentAt) {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Instant received = millis(receivedAt);
        if (sentAt != null) {
            if (originalTimestamp == null) {
                return received;
            }
            long skewedAgeMillis =
                    millis(sentAt).toEpochMilli() - millis(originalTimestamp).toEpochMilli();
            Instant corrected = received.minusMillis(skewedAgeMillis);
            return corrected.isAfter(received) ? received : corrected;
        }
        return originalTimestamp != null ? millis(originalTimestamp) : received;
    }

    static Instant millis(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MILLIS);
    }
}
