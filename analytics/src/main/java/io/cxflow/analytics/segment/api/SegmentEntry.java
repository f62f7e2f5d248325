package io.cxflow.analytics.segment.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.analytics.segment.Segment;
import io.cxflow.avro.SegmentDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A segment as the API shows it, whether it comes from the configuration ({@code analytics.segments}) or
 * from {@code cx.segment-definitions.v1}.
 *
 * @param updatedAt when the definition was last written; null for configured segments
 */
record SegmentEntry(
        String id,
        String name,
        String description,
        String condition,
        boolean topic,
        List<String> tags,
        long version,
        Instant updatedAt,
        Source source) {

    /** Where a segment is defined. */
    enum Source {
        /** {@code analytics.segments} in the configuration: read-only through the API. */
        CONFIG,
        /** {@code cx.segment-definitions.v1}, written through the API. */
        API;

        String label() {
            return this == CONFIG ? "config" : "api";
        }
    }

    SegmentEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        tags = List.copyOf(tags);
        Objects.requireNonNull(source, "source");
    }

    static SegmentEntry of(Segment configured) {
        return new SegmentEntry(
                configured.id(),
                configured.name(),
                null,
                configured.condition().expression(),
                false,
                List.of(),
                configured.version(),
                null,
                Source.CONFIG);
    }

    static SegmentEntry of(SegmentDefinition definition) {
        return new SegmentEntry(
                definition.getId(),
                definition.getName(),
                definition.getDescription(),
                definition.getCondition(),
                definition.getTopic(),
                definition.getTags() == null ? List.of() : definition.getTags(),
                definition.getVersion(),
                definition.getUpdatedAt(),
                Source.API);
    }

    /**
     * {@code {"id","name","description","condition","topic","tags","version","updatedAt","source"}}
     * ({@code updatedAt} only for definitions written through the API).
     */
    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id);
        json.put("name", name);
        json.put("description", description);
        json.put("condition", condition);
        json.put("topic", topic);
        tags.forEach(json.putArray("tags")::add);
        json.put("version", version);
        if (updatedAt != null) {
            json.put("updatedAt", updatedAt.toString());
        }
        json.put("source", source.label());
        return json;
    }
}
