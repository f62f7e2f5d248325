package io.cxflow.testkit.population;

import io.cxflow.avro.TouchpointEvent;
import java.time.Duration;
import java.util.Objects;

/**
 * One record of the generated {@code cx.events.v1} log.
 *
 * @param key the Kafka record key the collector writes: the event's userId, else its anonymousId
 * @param event the event; a redelivered copy is the very same instance as the original (same bytes). Do
 *     not modify it.
 * @param redelivery whether this is a repeated delivery of an event already earlier in the log
 */
public record LogRecord(String key, TouchpointEvent event, boolean redelivery) {

    /** Events received this long after their event time count as late. */
    public static final Duration LATE = Duration.ofHours(1);

    public LogRecord {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(event, "event");
    }

    /** Whether the event reached the collector at least {@link #LATE} after it happened. */
    public boolean late() {
        return event.getReceivedAt().toEpochMilli() - event.getTimestamp().toEpochMilli() >= LATE.toMillis();
    }
}
