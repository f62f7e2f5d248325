package io.cxflow.analytics.dedupe;

import io.cxflow.analytics.dedupe.internal.DedupeProcessor;
import io.cxflow.avro.TouchpointEvent;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The dedupe bounded context: drops an event whose {@code (sourceId, messageId)} was already seen
 * within the window, measured on {@code receivedAt} (the collector's clock, not the client's). It runs
 * in front of the profile aggregation, on the same key and in the same sub-topology, so the dedupe
 * entry and everything the event changes commit in one transaction.
 *
 * <p>The store {@value #STORE} is a persistent, changelogged window store: {@code sourceId + '\u0000' +
 * messageId} → the input offset of the first occurrence, at its {@code receivedAt}. Entries expire
 * with whole segments once they are older than the retention ({@link #retention(Duration)}).
 */
public final class DedupeTopology {

    /** {@code WindowStore<String, Long>}: dedupe key → input offset of the first occurrence. */
    public static final String STORE = "dedupe";

    /** The processor that drops duplicates. */
    public static final String PROCESSOR = "dedupe-events";

    /** The default window: the same message counts once within 7 days. */
    public static final Duration DEFAULT_WINDOW = Duration.ofDays(7);

    /** The longest window accepted (about ten years). */
    public static final Duration MAX_WINDOW = Duration.ofDays(3650);

    /**
     * Kept beyond the window so that an entry at the window's edge is still found when the store's
     * stream time (the newest {@code receivedAt} of the partition) runs slightly ahead of the event's
     * own {@code receivedAt}, e.g. events written by several collector instances.
     */
    public static final Duration RETENTION_MARGIN = Duration.ofHours(1);

    private DedupeTopology() {}

    /**
     * Adds the store and the dedupe processor.
     *
     * @return the events that are not duplicates (a record without a value passes, for the next
     *     processor to reject)
     */
    public static KStream<String, TouchpointEvent> apply(
            StreamsBuilder builder, KStream<String, TouchpointEvent> events, Duration window) {
        Objects.requireNonNull(builder, "builder");
        Objects.requireNonNull(events, "events");
        requirePositive(window);
        builder.addStateStore(store(window));
        long windowMs = window.toMillis();
        return events.processValues(() -> new DedupeProcessor(STORE, windowMs), Named.as(PROCESSOR), STORE);
    }

    /** The key of an event in the store: {@code sourceId + '\u0000' + messageId}. */
    public static String key(String sourceId, String messageId) {
        return sourceId + '\u0000' + messageId;
    }

    /** How long the store keeps an entry at least: the window plus {@link #RETENTION_MARGIN}. */
    public static Duration retention(Duration window) {
        return requirePositive(window).plus(RETENTION_MARGIN);
    }

    /** Whether a window is usable: from 1 ms to {@link #MAX_WINDOW}. */
    public static boolean isValidWindow(Duration window) {
        return window != null && window.compareTo(Duration.ofMillis(1)) >= 0 && window.compareTo(MAX_WINDOW) <= 0;
    }

    private static Duration requirePositive(Duration window) {
        Objects.requireNonNull(window, "window");
        if (!isValidWindow(window)) {
            throw new IllegalArgumentException(
                    "the dedupe window must be between 1 ms and " + MAX_WINDOW + ": " + window);
        }
        return window;
    }

    private static StoreBuilder<WindowStore<String, Long>> store(Duration window) {
        return Stores.windowStoreBuilder(
                Stores.persistentWindowStore(STORE, retention(window), window, false), Serdes.String(), Serdes.Long());
    }
}
