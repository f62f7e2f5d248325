package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.avro.RejectedEvent;

/** What the aggregation made of one event: a profile change, or a rejection. Exactly one is set. */
public record ProfileOutcome(ProfileChange change, RejectedEvent rejection) {

    public ProfileOutcome {
        if ((change == null) == (rejection == null)) {
            throw new IllegalArgumentException("exactly one of change and rejection must be set");
        }
    }

    public static ProfileOutcome changed(ProfileChange change) {
        return new ProfileOutcome(change, null);
    }

    public static ProfileOutcome rejected(RejectedEvent rejection) {
        return new ProfileOutcome(null, rejection);
    }

    public boolean isRejected() {
        return rejection != null;
    }
}
