package io.cxflow.analytics.segment.internal;

import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.avro.SegmentMembershipChanged;
import java.util.List;

/**
 * The result of evaluating every segment on one profile (after a change, when time alone changed the
 * answer, or in a backfill after a definition changed).
 *
 * @param change the profile change, with {@code profile.segments} set
 * @param membershipChanges ENTERED / EXITED records
 * @param fanOut for each membership change, whether it also goes to {@code cx.segment.<id>.v1}
 */
public record SegmentEvaluation(
        ProfileChange change, List<SegmentMembershipChanged> membershipChanges, List<Boolean> fanOut) {

    public SegmentEvaluation {
        membershipChanges = List.copyOf(membershipChanges);
        fanOut = List.copyOf(fanOut);
        if (fanOut.size() != membershipChanges.size()) {
            throw new IllegalArgumentException("one fan-out flag per membership change");
        }
    }

    /** A membership change and whether it goes to the segment's own topic. */
    public record Output(SegmentMembershipChanged change, boolean fanOut) {}

    public List<Output> outputs() {
        List<Output> out = new java.util.ArrayList<>(membershipChanges.size());
        for (int i = 0; i < membershipChanges.size(); i++) {
            out.add(new Output(membershipChanges.get(i), fanOut.get(i)));
        }
        return out;
    }
}
