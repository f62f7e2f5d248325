package io.cxflow.analytics.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One instance's segment sizes: members per segment id summed over the partitions it answered for.
 *
 * @param partitions the partitions of {@value SegmentStores#SIZES} read
 * @param sizes segment id → members in those partitions
 */
record SizeAnswer(Set<Integer> partitions, Map<String, Long> sizes) {

    SizeAnswer {
        partitions = Set.copyOf(partitions);
        sizes = Map.copyOf(sizes);
    }

    /** Sums the answers of every instance (the caller checked their {@link Coverage}). */
    static Map<String, Long> sum(List<SizeAnswer> answers) {
        Map<String, Long> total = new TreeMap<>();
        for (SizeAnswer answer : answers) {
            answer.sizes().forEach((id, size) -> total.merge(id, size, Long::sum));
        }
        return total;
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        new TreeSet<>(partitions).forEach(json.putArray("partitions")::add);
        ObjectNode out = json.putObject("sizes");
        new TreeMap<>(sizes).forEach(out::put);
        return json;
    }

    /** @throws IllegalArgumentException when the JSON is not such an answer */
    static SizeAnswer fromJson(JsonNode json) {
        Set<Integer> partitions = Answers.partitions(json);
        JsonNode sizes = json.path("sizes");
        if (!sizes.isObject()) {
            throw new IllegalArgumentException("no sizes object");
        }
        Map<String, Long> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = sizes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().canConvertToLong()) {
                throw new IllegalArgumentException("size of " + entry.getKey() + " is not a number");
            }
            out.put(entry.getKey(), entry.getValue().asLong());
        }
        return new SizeAnswer(partitions, out);
    }
}
