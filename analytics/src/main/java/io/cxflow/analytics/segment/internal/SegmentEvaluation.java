package io.cxflow.analytics.segment.internal;

import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.avro.SegmentMembershipChanged;
import java.util.List;

/** The result of evaluating every segment on one profile change. */
public record SegmentEvaluation(ProfileChange change, List<SegmentMembershipChanged> membershipChanges) {

    public SegmentEvaluation {
        membershipChanges = List.copyOf(membershipChanges);
    }
}
