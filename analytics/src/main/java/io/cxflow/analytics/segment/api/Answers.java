package io.cxflow.analytics.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Reading the parts shared by the answers of the internal segment routes. */
final class Answers {

    private Answers() {}

    /** The {@code partitions} array of an answer. */
    static Set<Integer> partitions(JsonNode json) {
        JsonNode partitions = json.path("partitions");
        if (!partitions.isArray()) {
            throw new IllegalArgumentException("no partitions array");
        }
        Set<Integer> out = new TreeSet<>();
        for (JsonNode partition : partitions) {
            if (!partition.canConvertToInt()) {
                throw new IllegalArgumentException("a partition is not a number");
            }
            out.add(partition.asInt());
        }
        return out;
    }

    /** A required array of strings. */
    static List<String> strings(JsonNode json, String field) {
        JsonNode array = json.path(field);
        if (!array.isArray()) {
            throw new IllegalArgumentException("no " + field + " array");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : array) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("an item of " + field + " is not a string");
            }
            out.add(item.asText());
        }
        return out;
    }

    /** A required number. */
    static long number(JsonNode json, String field) {
        JsonNode value = json.path(field);
        if (!value.canConvertToLong()) {
            throw new IllegalArgumentException("no number " + field);
        }
        return value.asLong();
    }

    /** A required boolean. */
    static boolean flag(JsonNode json, String field) {
        JsonNode value = json.path(field);
        if (!value.isBoolean()) {
            throw new IllegalArgumentException("no boolean " + field);
        }
        return value.asBoolean();
    }
}
