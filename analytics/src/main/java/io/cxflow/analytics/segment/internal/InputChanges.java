package io.cxflow.analytics.segment.internal;

import io.cxflow.analytics.segment.ProfileView;
import io.cxflow.avro.ActivityBucket;
import io.cxflow.avro.CustomerProfile;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Which inputs of segment conditions differ between two versions of one customer's profile, as {@link
 * ProfileView} and {@link ProfileHistory} show them: a top-level field ({@link #field}), or the history
 * of an event name ({@link #name}: its activity buckets or its newest event). Each field is compared on
 * first use; the changed names are found once, by walking both activity lists (kept sorted by name).
 * Anything it cannot compare counts as changed.
 */
public final class InputChanges {

    private final CustomerProfile before;
    private final CustomerProfile after;
    /** Compared once: asked for every condition of the change. */
    private final boolean otherCustomer;
    /**
     * The top-level fields compared, by bit: {@link #mask} gives a set of them as an int ({@code segments}
     * always counts as changed: a condition reading it reads everything anyway).
     */
    static final List<String> FIELDS = ProfileView.FIELDS;

    /** Fields compared so far, and those of them found changed, as bits of {@link #FIELDS}. */
    private int known;

    private int changed;
    private Set<String> names;
    private boolean namesUnknown;

    private InputChanges(CustomerProfile before, CustomerProfile after) {
        this.before = before;
        this.after = after;
        this.otherCustomer = !before.getCustomerId().equals(after.getCustomerId());
    }

    /** The changes from {@code before} to {@code after}, two versions of the same customer's profile. */
    public static InputChanges between(CustomerProfile before, CustomerProfile after) {
        return new InputChanges(Objects.requireNonNull(before, "before"), Objects.requireNonNull(after, "after"));
    }

    /** Whether everything counts as changed (different customers). */
    boolean everything() {
        return otherCustomer;
    }

    /** The bits of {@code fields} in a mask, or -1 when one of them is not compared here. */
    static int mask(java.util.Collection<String> fields) {
        int mask = 0;
        for (String field : fields) {
            int index = FIELDS.indexOf(field);
            if (index < 0) {
                return -1;
            }
            mask |= 1 << index;
        }
        return mask;
    }

    /** Whether the top-level field {@code name} (contract name) differs; an unknown field counts as changed. */
    public boolean field(String name) {
        int mask = mask(List.of(name));
        return mask < 0 || anyField(mask);
    }

    /** Whether any field of {@code mask} ({@link #mask}) differs; each field is compared once. */
    boolean anyField(int mask) {
        int unknown = mask & ~known;
        while (unknown != 0) {
            int bit = Integer.lowestOneBit(unknown);
            unknown &= ~bit;
            if (compare(FIELDS.get(Integer.numberOfTrailingZeros(bit)))) {
                changed |= bit;
            }
            known |= bit;
        }
        return (changed & mask) != 0;
    }

    /** Whether the history of event {@code name} differs. */
    public boolean name(String name) {
        changedNames();
        return namesUnknown || names.contains(name);
    }

    /** Whether the history of any event name differs. */
    public boolean anyName() {
        changedNames();
        return namesUnknown || !names.isEmpty();
    }

    private boolean compare(String field) {
        return switch (field) {
            case "customerId" -> !before.getCustomerId().equals(after.getCustomerId());
            case "identities" -> !before.getIdentities().equals(after.getIdentities());
            case "traits" ->
                differ(before.getTraits(), after.getTraits(), (x, y) -> x.getValue()
                        .equals(y.getValue()));
            case "firstSeen" -> !before.getFirstSeen().equals(after.getFirstSeen());
            case "lastSeen" -> !before.getLastSeen().equals(after.getLastSeen());
            case "eventCount" -> before.getEventCount() != after.getEventCount();
            case "events" -> !before.getEvents().equals(after.getEvents());
            case "channels" ->
                differ(
                        before.getChannels(),
                        after.getChannels(),
                        (x, y) -> x.getEventCount() == y.getEventCount()
                                && x.getFirstSeen().equals(y.getFirstSeen())
                                && x.getLastSeen().equals(y.getLastSeen()));
            case "orders" ->
                before.getOrders().getCount() != after.getOrders().getCount()
                        || !before.getOrders()
                                .getRevenue()
                                .equals(after.getOrders().getRevenue());
            case "consent" ->
                differ(before.getConsent(), after.getConsent(), (x, y) -> x.getGranted() == y.getGranted());
            case "timezone" -> !Objects.equals(before.getTimezone(), after.getTimezone());
            case "locale" -> !Objects.equals(before.getLocale(), after.getLocale());
            default -> true;
        };
    }

    /** Whether two maps differ in their keys or in a value, as {@code same} compares values. */
    private static <V> boolean differ(Map<String, V> a, Map<String, V> b, BiPredicate<V, V> same) {
        if (a.size() != b.size()) {
            return true;
        }
        for (Map.Entry<String, V> entry : a.entrySet()) {
            V other = b.get(entry.getKey());
            if (other == null || !same.test(entry.getValue(), other)) {
                return true;
            }
        }
        return false;
    }

    /** The names whose buckets or newest event differ; unknown when an activity list is not sorted by name. */
    private void changedNames() {
        if (names != null) {
            return;
        }
        names = new HashSet<>();
        Map<String, java.time.Instant> lastBefore = before.getLastEvents();
        Map<String, java.time.Instant> lastAfter = after.getLastEvents();
        lastAfter.forEach((name, at) -> {
            if (!at.equals(lastBefore.get(name))) {
                names.add(name);
            }
        });
        lastBefore.keySet().forEach(name -> {
            if (!lastAfter.containsKey(name)) {
                names.add(name);
            }
        });
        List<ActivityBucket> a = before.getActivity();
        List<ActivityBucket> b = after.getActivity();
        int i = 0;
        int j = 0;
        String previous = null;
        while (i < a.size() || j < b.size()) {
            String nameA = i < a.size() ? a.get(i).getName() : null;
            String nameB = j < b.size() ? b.get(j).getName() : null;
            String name = nameA == null ? nameB : nameB == null ? nameA : nameA.compareTo(nameB) <= 0 ? nameA : nameB;
            if (previous != null && name.compareTo(previous) <= 0) {
                namesUnknown = true; // not sorted by name: no run of one name can be compared
                return;
            }
            previous = name;
            int endA = runEnd(a, i, name);
            int endB = runEnd(b, j, name);
            if (endA - i != endB - j || !sameBuckets(a, i, b, j, endA - i)) {
                names.add(name);
            }
            i = endA;
            j = endB;
        }
    }

    private static int runEnd(List<ActivityBucket> list, int from, String name) {
        int end = from;
        while (end < list.size() && list.get(end).getName().equals(name)) {
            end++;
        }
        return end;
    }

    private static boolean sameBuckets(List<ActivityBucket> a, int i, List<ActivityBucket> b, int j, int length) {
        for (int k = 0; k < length; k++) {
            ActivityBucket x = a.get(i + k);
            ActivityBucket y = b.get(j + k);
            if (x.getCount() != y.getCount()
                    || x.getWidth() != y.getWidth()
                    || !x.getStart().equals(y.getStart())
                    || !x.getSums().equals(y.getSums())) {
                return false;
            }
        }
        return true;
    }
}
