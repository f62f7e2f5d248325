package io.cxflow.analytics.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One instance's page of a segment's members: the smallest customer ids after the cursor over the
 * partitions it answered for.
 *
 * @param partitions the partitions of {@value SegmentStores#MEMBERSHIPS} read
 * @param members at most the page size of member customer ids, ascending, each after the cursor
 * @param more whether those partitions hold further members after the last one
 */
record MembersAnswer(Set<Integer> partitions, List<String> members, boolean more) {

    MembersAnswer {
        partitions = Set.copyOf(partitions);
        members = List.copyOf(members);
    }

    /**
     * One page of members of the whole segment.
     *
     * @param members ascending customer ids
     * @param nextCursor the cursor of the next page; null on the last page
     */
    record Page(List<String> members, String nextCursor) {}

    /** Merges the answers of every instance (the caller checked their {@link Coverage}) into one page. */
    static Page merge(List<MembersAnswer> answers, int limit) {
        TreeSet<String> all = new TreeSet<>();
        boolean more = false;
        for (MembersAnswer answer : answers) {
            all.addAll(answer.members());
            more |= answer.more();
        }
        List<String> page = new ArrayList<>(limit);
        for (String member : all) {
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(member);
        }
        return new Page(page, more && !page.isEmpty() ? page.getLast() : null);
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        new TreeSet<>(partitions).forEach(json.putArray("partitions")::add);
        members.forEach(json.putArray("members")::add);
        json.put("more", more);
        return json;
    }

    /** @throws IllegalArgumentException when the JSON is not such an answer */
    static MembersAnswer fromJson(JsonNode json) {
        return new MembersAnswer(
                Answers.partitions(json), Answers.strings(json, "members"), Answers.flag(json, "more"));
    }
}
