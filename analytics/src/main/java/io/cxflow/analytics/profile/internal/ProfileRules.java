package io.cxflow.analytics.profile.internal;

import io.cxflow.avro.ConsentState;
import io.cxflow.avro.TraitValue;
import java.time.Instant;

/**
 * Which of two values of the same trait, consent or context field wins: the newer by event time; on a
 * tie a fixed order of the values themselves, never arrival order, so that folding events one by one
 * and merging partial profiles give the same answer.
 */
public final class ProfileRules {

    private ProfileRules() {}

    /** Newer wins; same time: the greater source id, then the greater value text. */
    public static boolean wins(TraitValue candidate, TraitValue current) {
        if (current == null) {
            return true;
        }
        int byTime = candidate.getUpdatedAt().compareTo(current.getUpdatedAt());
        if (byTime != 0) {
            return byTime > 0;
        }
        int bySource = candidate.getSourceId().compareTo(current.getSourceId());
        if (bySource != 0) {
            return bySource > 0;
        }
        return candidate.getValue().compareTo(current.getValue()) > 0;
    }

    /** Newer wins; same time: a refusal wins over a grant, then the greater source id. */
    public static boolean wins(ConsentState candidate, ConsentState current) {
        if (current == null) {
            return true;
        }
        int byTime = candidate.getUpdatedAt().compareTo(current.getUpdatedAt());
        if (byTime != 0) {
            return byTime > 0;
        }
        if (candidate.getGranted() != current.getGranted()) {
            return !candidate.getGranted();
        }
        return candidate.getSourceId().compareTo(current.getSourceId()) > 0;
    }

    /** Newer wins; same time: the greater value. */
    public static boolean wins(String candidate, Instant candidateAt, String current, Instant currentAt) {
        if (candidate == null) {
            return false;
        }
        if (current == null || currentAt == null) {
            return true;
        }
        int byTime = candidateAt.compareTo(currentAt);
        return byTime != 0 ? byTime > 0 : candidate.compareTo(current) > 0;
    }
}
