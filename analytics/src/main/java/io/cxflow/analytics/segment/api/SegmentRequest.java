package io.cxflow.analytics.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.platform.http.HttpProblem;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The editable fields of a segment, as sent to {@code PUT /v1/segments/{id}} and to the preview:
 * {@code {"name", "description", "condition", "topic", "tags"}}. Only {@code condition} is required;
 * {@code name} defaults to the id. The read-only fields of a definition ({@code id} when it equals the
 * path's, {@code version}, {@code updatedAt}, {@code source}, {@code size}) are accepted and ignored, so a
 * document read with GET can be edited and sent back.
 *
 * @param name human-readable name
 * @param description free text, or null
 * @param condition the CEL condition as written (compiled by the caller)
 * @param topic whether changes are also published on {@code cx.segment.<id>.v1}
 * @param tags distinct tags, in the order given
 */
record SegmentRequest(String name, String description, String condition, boolean topic, List<String> tags) {

    static final int MAX_NAME = 200;
    static final int MAX_DESCRIPTION = 2000;
    static final int MAX_TAGS = 32;
    static final int MAX_TAG = 64;

    private static final Set<String> FIELDS = Set.of("name", "description", "condition", "topic", "tags");
    private static final Set<String> READ_ONLY = Set.of("id", "version", "updatedAt", "source", "size");

    SegmentRequest {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(condition, "condition");
        tags = List.copyOf(tags);
    }

    /**
     * Reads a request body.
     *
     * @param id the segment id of the path
     * @throws HttpProblem 400 {@code invalid_request} naming the field that is missing, of the wrong type,
     *     too long, or unknown
     */
    static SegmentRequest parse(String id, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid("the body must be a JSON object with at least \"condition\"");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!FIELDS.contains(field) && !READ_ONLY.contains(field)) {
                throw invalid("unknown field \"" + field + "\"; a segment has " + String.join(", ", sorted(FIELDS)));
            }
        }
        JsonNode bodyId = body.get("id");
        if (bodyId != null
                && !bodyId.isNull()
                && !(bodyId.isTextual() && bodyId.asText().equals(id))) {
            throw invalid("\"id\" in the body must be the id of the path (" + id + ")");
        }
        String condition = text(body, "condition", true, Integer.MAX_VALUE);
        String name = text(body, "name", false, MAX_NAME);
        String description = text(body, "description", false, MAX_DESCRIPTION);
        boolean topic = flag(body, "topic");
        return new SegmentRequest(
                name == null ? id : name,
                description == null || description.isEmpty() ? null : description,
                condition,
                topic,
                tags(body));
    }

    private static String text(JsonNode body, String field, boolean required, int maxLength) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw invalid("\"" + field + "\" is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw invalid("\"" + field + "\" must be a string");
        }
        String text = value.asText();
        if (required && text.isBlank()) {
            throw invalid("\"" + field + "\" must not be empty");
        }
        if (field.equals("name") && text.isBlank()) {
            throw invalid("\"name\" must not be empty (leave it out to use the id)");
        }
        if (text.length() > maxLength) {
            throw invalid("\"" + field + "\" is longer than " + maxLength + " characters");
        }
        return field.equals("condition") ? text : text.strip();
    }

    private static boolean flag(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw invalid("\"" + field + "\" must be true or false");
        }
        return value.asBoolean();
    }

    private static List<String> tags(JsonNode body) {
        JsonNode value = body.get("tags");
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw invalid("\"tags\" must be an array of strings");
        }
        Set<String> tags = new LinkedHashSet<>();
        for (JsonNode tag : value) {
            if (!tag.isTextual() || tag.asText().isBlank()) {
                throw invalid("every tag must be a non-empty string");
            }
            String text = tag.asText().strip();
            if (text.length() > MAX_TAG) {
                throw invalid("tag \"" + text.substring(0, 20) + "…\" is longer than " + MAX_TAG + " characters");
            }
            tags.add(text);
        }
        if (tags.size() > MAX_TAGS) {
            throw invalid("at most " + MAX_TAGS + " tags");
        }
        return new ArrayList<>(tags);
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    private static HttpProblem invalid(String message) {
        return HttpProblem.badRequest("invalid_request", message);
    }
}
