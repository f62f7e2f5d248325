package io.cxflow.analytics.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One instance's count of the profiles a condition holds for.
 *
 * @param partitions the partitions of {@value SegmentStores#PROFILES} scanned to the end
 * @param complete whether every partition this instance hosts was scanned before the deadline
 * @param scanned profiles evaluated
 * @param matched profiles the condition holds for
 * @param errors profiles the condition could not be evaluated for (they count as not matching)
 * @param sample the smallest matching customer ids, at most {@link #SAMPLE_SIZE}, ascending
 */
record PreviewAnswer(
        Set<Integer> partitions, boolean complete, long scanned, long matched, long errors, List<String> sample) {

    /** Most customer ids in a sample. */
    static final int SAMPLE_SIZE = 10;

    PreviewAnswer {
        partitions = Set.copyOf(partitions);
        sample = List.copyOf(sample);
    }

    /**
     * The counts of several instances together: the partitions any of them scanned to the end, complete
     * when every one was, counts added, the smallest sample ids of all.
     */
    static PreviewAnswer sum(List<PreviewAnswer> answers) {
        Set<Integer> partitions = new TreeSet<>();
        TreeSet<String> sample = new TreeSet<>();
        boolean complete = true;
        long scanned = 0;
        long matched = 0;
        long errors = 0;
        for (PreviewAnswer answer : answers) {
            partitions.addAll(answer.partitions());
            complete &= answer.complete();
            scanned += answer.scanned();
            matched += answer.matched();
            errors += answer.errors();
            sample.addAll(answer.sample());
        }
        List<String> smallest = new ArrayList<>();
        for (String id : sample) {
            if (smallest.size() == SAMPLE_SIZE) {
                break;
            }
            smallest.add(id);
        }
        return new PreviewAnswer(partitions, complete, scanned, matched, errors, smallest);
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        new TreeSet<>(partitions).forEach(json.putArray("partitions")::add);
        json.put("complete", complete);
        json.put("scanned", scanned);
        json.put("matched", matched);
        json.put("errors", errors);
        sample.forEach(json.putArray("sample")::add);
        return json;
    }

    /** @throws IllegalArgumentException when the JSON is not such an answer */
    static PreviewAnswer fromJson(JsonNode json) {
        List<String> sample = Answers.strings(json, "sample");
        if (sample.size() > SAMPLE_SIZE) {
            throw new IllegalArgumentException("a sample of more than " + SAMPLE_SIZE + " ids");
        }
        return new PreviewAnswer(
                Answers.partitions(json),
                Answers.flag(json, "complete"),
                Answers.number(json, "scanned"),
                Answers.number(json, "matched"),
                Answers.number(json, "errors"),
                sample);
    }
}
