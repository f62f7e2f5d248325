package io.cxflow.activation.guard;

import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.avro.PrivacyRequest;
import io.cxflow.avro.SegmentMembershipChanged;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Customers who must not be activated: configured customer ids and identifiers (emails, phones, any
 * identity value), plus what {@code cx.privacy.v1} asks — {@code SUPPRESS} adds, {@code UNSUPPRESS}
 * removes what an earlier {@code SUPPRESS} added, {@code DELETE} adds for good. A customer is
 * suppressed when its id or any identity value of its snapshot is listed. Thread-safe.
 */
public final class SuppressionList {

    private final Set<String> configured;
    private final Set<String> requested = ConcurrentHashMap.newKeySet();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();

    /** @param configured customer ids and identifiers suppressed by configuration */
    public SuppressionList(Collection<String> configured) {
        this.configured =
                Set.copyOf(configured.stream().map(SuppressionList::normalise).toList());
    }

    private static String normalise(String value) {
        return value.trim().toLowerCase(Locale.ROOT);
    }

    /** Applies a privacy request; {@code CONSENT} requests are not about suppression and are ignored. */
    public void apply(PrivacyRequest request) {
        String value = normalise(request.getIdentifier());
        switch (request.getType()) {
            case SUPPRESS -> requested.add(value);
            case UNSUPPRESS -> requested.remove(value);
            case DELETE -> deleted.add(value);
            default -> {
                // CONSENT reaches activation through the profile snapshot
            }
        }
    }

    /** Whether the customer of {@code change} is suppressed. */
    public boolean isSuppressed(SegmentMembershipChanged change) {
        if (listed(change.getCustomerId())) {
            return true;
        }
        for (List<String> values : change.getIdentities().values()) {
            for (String value : values) {
                if (listed(value)) {
                    return true;
                }
            }
        }
        return (change.getEmail() != null && listed(change.getEmail()))
                || (change.getPhone() != null && listed(change.getPhone()));
    }

    /** Whether the customer of {@code profile} (its id or any identity value) is suppressed. */
    public boolean isSuppressed(LatestProfile profile) {
        if (listed(profile.customerId())) {
            return true;
        }
        for (List<String> values : profile.identities().values()) {
            for (String value : values) {
                if (listed(value)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean listed(String value) {
        String v = normalise(value);
        return configured.contains(v) || requested.contains(v) || deleted.contains(v);
    }
}
