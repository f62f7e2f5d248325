package io.cxflow.analytics.profile.internal;

import io.cxflow.avro.ActivityBucket;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.OrderStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The canonical form of a profile: every map sorted by key. Avro writes a map in its iteration order,
 * and a profile read back from a store (or copied with {@code newBuilder}) holds hash maps; sorting
 * just before a profile is stored and published keeps the bytes a function of the content alone.
 */
public final class ProfileCanonical {

    private ProfileCanonical() {}

    /** {@code profile} with every map sorted; the same instance when it already is. */
    public static CustomerProfile of(CustomerProfile profile) {
        if (profile == null || isCanonical(profile)) {
            return profile;
        }
        CustomerProfile copy = new CustomerProfile();
        for (org.apache.avro.Schema.Field field : profile.getSchema().getFields()) {
            copy.put(field.pos(), profile.get(field.pos()));
        }
        copy.setIdentities(sorted(profile.getIdentities()));
        copy.setTraits(sorted(profile.getTraits()));
        copy.setEvents(sorted(profile.getEvents()));
        copy.setChannels(sorted(profile.getChannels()));
        copy.setOrders(new OrderStats(
                profile.getOrders().getCount(), sorted(profile.getOrders().getRevenue())));
        copy.setConsent(sorted(profile.getConsent()));
        copy.setLastEvents(sorted(profile.getLastEvents()));
        List<ActivityBucket> activity = new ArrayList<>(profile.getActivity().size());
        for (ActivityBucket bucket : profile.getActivity()) {
            activity.add(
                    bucket.getSums() instanceof SortedMap<?, ?>
                            ? bucket
                            : new ActivityBucket(
                                    bucket.getName(),
                                    bucket.getWidth(),
                                    bucket.getStart(),
                                    bucket.getCount(),
                                    sorted(bucket.getSums())));
        }
        copy.setActivity(activity);
        return copy;
    }

    /**
     * {@code profile} with {@code segments}: a new record sharing every other field with {@code profile}
     * (not the deep copy of {@code newBuilder(profile)}); neither may be modified afterwards.
     */
    public static CustomerProfile withSegments(CustomerProfile profile, List<String> segments) {
        CustomerProfile copy = new CustomerProfile();
        for (org.apache.avro.Schema.Field field : profile.getSchema().getFields()) {
            copy.put(field.pos(), profile.get(field.pos()));
        }
        copy.setSegments(segments);
        return copy;
    }

    private static boolean isCanonical(CustomerProfile p) {
        if (!(p.getIdentities() instanceof SortedMap<?, ?>
                && p.getTraits() instanceof SortedMap<?, ?>
                && p.getEvents() instanceof SortedMap<?, ?>
                && p.getChannels() instanceof SortedMap<?, ?>
                && p.getOrders().getRevenue() instanceof SortedMap<?, ?>
                && p.getConsent() instanceof SortedMap<?, ?>
                && p.getLastEvents() instanceof SortedMap<?, ?>)) {
            return false;
        }
        for (ActivityBucket bucket : p.getActivity()) {
            if (!(bucket.getSums() instanceof SortedMap<?, ?>)) {
                return false;
            }
        }
        return true;
    }

    private static <V> Map<String, V> sorted(Map<String, V> map) {
        return map instanceof SortedMap<?, ?> ? map : new TreeMap<>(map);
    }
}
