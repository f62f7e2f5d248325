package io.cxflow.analytics.segment.api;

import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.avro.SegmentDefinition;
import io.cxflow.platform.http.HttpProblem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments in force as the API manages them: the configured ones (read-only) and the definitions of
 * the global store {@value SegmentStores#DEFINITIONS}, and the writes to {@code cx.segment-definitions.v1}.
 *
 * <p>Writes of one instance are serialized. Each write reads the previous version from the global store,
 * writes version + 1, and returns once the global store of this instance shows it (at most {@link
 * #VISIBLE_TIMEOUT}), so a client that writes and then reads through the same instance sees its write and
 * the next write numbers its version from it. Two instances writing the same id at the same moment can
 * both write the same version; the last one on the topic wins.
 */
final class SegmentDefinitions {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentDefinitions.class);

    /** How long a write waits until this instance's global store shows it. */
    static final Duration VISIBLE_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration VISIBLE_POLL = Duration.ofMillis(10);

    private final SegmentNode node;
    private final DefinitionWriter writer;
    private final Map<String, Segment> configured = new LinkedHashMap<>();
    private final Clock clock;
    private final ReentrantLock writes = new ReentrantLock();

    /**
     * The outcome of a PUT.
     *
     * @param entry the segment as stored now
     * @param created whether no live definition existed before
     * @param changed whether a new version was written (false when the request equals what is stored)
     */
    record Outcome(SegmentEntry entry, boolean created, boolean changed) {}

    SegmentDefinitions(SegmentNode node, DefinitionWriter writer, SegmentSettings configured, Clock clock) {
        this.node = Objects.requireNonNull(node, "node");
        this.writer = Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(configured, "configured").segments().forEach(s -> this.configured.put(s.id(), s));
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Whether the id names a configured segment ({@code analytics.segments}). */
    boolean isConfigured(String id) {
        return configured.containsKey(id);
    }

    /** A segment by id, configured or defined. */
    Optional<SegmentEntry> find(String id) {
        Segment segment = configured.get(id);
        if (segment != null) {
            return Optional.of(SegmentEntry.of(segment));
        }
        return live(read(node.definitions(), id)).map(SegmentEntry::of);
    }

    /** Every segment in force, by id. */
    List<SegmentEntry> all() {
        Map<String, SegmentEntry> out = new TreeMap<>();
        ReadOnlyKeyValueStore<String, SegmentDefinition> store = node.definitions();
        try (KeyValueIterator<String, SegmentDefinition> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, SegmentDefinition> entry = it.next();
                live(entry.value).ifPresent(definition -> out.put(entry.key, SegmentEntry.of(definition)));
            }
        } catch (InvalidStateStoreException e) {
            throw SegmentNode.unavailable("the segment definitions store cannot be read now: " + e.getMessage());
        }
        configured.values().forEach(segment -> out.put(segment.id(), SegmentEntry.of(segment)));
        return new ArrayList<>(out.values());
    }

    /**
     * Creates or replaces a definition: version = previous + 1; the per-segment topic is created first
     * when {@code topic} is set. A request equal to the stored definition writes nothing.
     *
     * @param request already validated, its condition compiled
     */
    Outcome put(String id, SegmentRequest request) {
        requireNotConfigured(id);
        writes.lock();
        try {
            SegmentDefinition stored = read(node.definitions(), id);
            Optional<SegmentDefinition> live = live(stored);
            if (live.isPresent() && sameContent(live.get(), request)) {
                if (request.topic()) {
                    writer.ensureSegmentTopic(id);
                }
                return new Outcome(SegmentEntry.of(live.get()), false, false);
            }
            if (request.topic()) {
                writer.ensureSegmentTopic(id);
            }
            SegmentDefinition definition = SegmentDefinition.newBuilder()
                    .setId(id)
                    .setName(request.name())
                    .setDescription(request.description())
                    .setCondition(request.condition())
                    .setTopic(request.topic())
                    .setTags(request.tags())
                    .setVersion(stored == null ? 1 : stored.getVersion() + 1)
                    .setUpdatedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                    .setDeleted(false)
                    .build();
            writer.write(id, definition);
            LOG.info("segment {} version {} written to {}", id, definition.getVersion(), writer.topicName());
            awaitVisible(id, definition);
            return new Outcome(SegmentEntry.of(definition), live.isEmpty(), true);
        } finally {
            writes.unlock();
        }
    }

    /**
     * Removes a definition with a tombstone.
     *
     * @return false when no live definition has this id
     */
    boolean delete(String id) {
        requireNotConfigured(id);
        writes.lock();
        try {
            Optional<SegmentDefinition> live = live(read(node.definitions(), id));
            if (live.isEmpty()) {
                return false;
            }
            writer.write(id, null);
            LOG.info("segment {} (version {}) deleted from {}", id, live.get().getVersion(), writer.topicName());
            awaitVisible(id, null);
            return true;
        } finally {
            writes.unlock();
        }
    }

    /** @throws HttpProblem 409 {@code segment_configured} when the id names a configured segment */
    void requireNotConfigured(String id) {
        if (isConfigured(id)) {
            throw HttpProblem.conflict(
                    "segment_configured",
                    "segment " + id + " is defined in the configuration (analytics.segments); change it there, or"
                            + " choose another id for a segment managed through the API");
        }
    }

    /** Waits until the global store shows {@code expected} (null: no live definition). */
    private void awaitVisible(String id, SegmentDefinition expected) {
        Instant deadline = clock.instant().plus(VISIBLE_TIMEOUT);
        while (true) {
            Optional<SegmentDefinition> seen = live(read(node.definitions(), id));
            boolean visible = expected == null
                    ? seen.isEmpty()
                    : seen.isPresent()
                            && seen.get().getVersion() == expected.getVersion()
                            && Objects.equals(seen.get().getUpdatedAt(), expected.getUpdatedAt());
            if (visible) {
                return;
            }
            if (clock.instant().isAfter(deadline)) {
                LOG.warn(
                        "segment {}: the write is on {} but this instance's {} store did not show it within {}",
                        id,
                        writer.topicName(),
                        SegmentStores.DEFINITIONS,
                        VISIBLE_TIMEOUT);
                return;
            }
            try {
                Thread.sleep(VISIBLE_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static SegmentDefinition read(ReadOnlyKeyValueStore<String, SegmentDefinition> store, String id) {
        try {
            return store.get(id);
        } catch (InvalidStateStoreException e) {
            throw SegmentNode.unavailable("the segment definitions store cannot be read now: " + e.getMessage());
        }
    }

    private static Optional<SegmentDefinition> live(SegmentDefinition definition) {
        return definition == null || definition.getDeleted() ? Optional.empty() : Optional.of(definition);
    }

    private static boolean sameContent(SegmentDefinition stored, SegmentRequest request) {
        return stored.getName().equals(request.name())
                && Objects.equals(stored.getDescription(), request.description())
                && stored.getCondition().equals(request.condition())
                && stored.getTopic() == request.topic()
                && List.copyOf(stored.getTags() == null ? List.of() : stored.getTags())
                        .equals(request.tags());
    }
}
