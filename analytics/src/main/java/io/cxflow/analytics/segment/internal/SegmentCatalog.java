package io.cxflow.analytics.segment.internal;

import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentCondition;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.analytics.util.BoundedMemo;
import io.cxflow.avro.SegmentDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments in force: the configured ones ({@code analytics.segments}) and the definitions on {@code
 * cx.segment-definitions.v1} (the global store {@code segment-definitions}, the same on every instance;
 * a configured id cannot be redefined there). Conditions are compiled once per (id, version).
 */
public final class SegmentCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(SegmentCatalog.class);

    /**
     * A segment in force.
     *
     * @param segment id, name, compiled condition, version
     * @param fanOut whether changes also go to {@code cx.segment.<id>.v1}
     */
    public record Active(Segment segment, boolean fanOut) {}

    /**
     * Conditions compiled in this process, shared by every task's catalog (a compiled condition is
     * immutable and thread-safe): each task of each stream thread would otherwise compile every
     * definition again.
     */
    private static final BoundedMemo<String, SegmentCondition> COMPILED =
            new BoundedMemo<>(10_000, SegmentCondition::compile);

    private final SegmentSettings configured;
    private final ReadOnlyKeyValueStore<String, SegmentDefinition> definitions;
    private final Map<String, Active> compiled = new HashMap<>();
    private final Map<String, String> refused = new HashMap<>();

    /**
     * @param definitions the global definitions store, or {@code null} when only configured segments
     *     exist
     */
    public SegmentCatalog(SegmentSettings configured, ReadOnlyKeyValueStore<String, SegmentDefinition> definitions) {
        this.configured = Objects.requireNonNull(configured, "configured");
        this.definitions = definitions;
    }

    /** Every segment in force, configured first, then definitions by id. */
    public List<Active> current() {
        Map<String, Active> out = new LinkedHashMap<>();
        for (Segment segment : configured.segments()) {
            out.put(segment.id(), new Active(segment, false));
        }
        if (definitions == null) {
            return new ArrayList<>(out.values());
        }
        try (KeyValueIterator<String, SegmentDefinition> it = definitions.all()) {
            while (it.hasNext()) {
                KeyValue<String, SegmentDefinition> entry = it.next();
                SegmentDefinition definition = entry.value;
                if (definition == null || definition.getDeleted() || out.containsKey(entry.key)) {
                    continue;
                }
                Active active = compile(entry.key, definition);
                if (active != null) {
                    out.put(entry.key, active);
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    /** A text naming every segment and version in force; changes when any definition changes. */
    public static String fingerprint(List<Active> segments) {
        StringBuilder out = new StringBuilder();
        segments.stream()
                .map(a -> a.segment().id() + "@" + a.segment().version() + (a.fanOut() ? "+t" : ""))
                .sorted()
                .forEach(s -> out.append(s).append(','));
        return out.toString();
    }

    private Active compile(String id, SegmentDefinition definition) {
        Active known = compiled.get(id);
        if (known != null
                && known.segment().version() == definition.getVersion()
                && known.fanOut() == definition.getTopic()) {
            return known;
        }
        String attempt = definition.getVersion() + "\u0000" + definition.getCondition();
        if (attempt.equals(refused.get(id))) {
            return null;
        }
        try {
            Segment segment = new Segment(
                    id,
                    definition.getName(),
                    COMPILED.get(definition.getCondition()),
                    Math.max(1, definition.getVersion()));
            Active active = new Active(segment, definition.getTopic());
            compiled.put(id, active);
            return active;
        } catch (IllegalArgumentException e) {
            refused.put(id, attempt);
            LOG.warn("segment {} version {} is not evaluated: {}", id, definition.getVersion(), e.getMessage());
            return null;
        }
    }
}
