package io.cxflow.analytics.identity.internal;

import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.analytics.identity.IdentitySettings;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The grouping rules as one pure function of a set of links: sort the links in their canonical order
 * and join the groups of each link's two identifiers unless a limit would break. Because the order is
 * canonical (event time, source, message, priority) and not arrival order, the same links always give
 * the same groups, however they reached the graph.
 */
public final class Grouping {

    /**
     * A resulting group of identifiers.
     *
     * @param members identifier keys, sorted
     * @param userUnits the users the group holds as counted against the userId limit (aliased users
     *     count once)
     * @param customerId the group's customer ({@link #customerId}), {@code null} without routing ids
     */
    public record Group(SortedSet<String> members, int userUnits, String customerId) {}

    /**
     * @param groups every group with at least two members, by customer id order
     * @param refused links that a limit kept apart
     */
    public record Result(List<Group> groups, int refused) {}

    private final IdentitySettings settings;

    public Grouping(IdentitySettings settings) {
        this.settings = settings;
    }

    /** Groups the identifiers of {@code links} (each pair at most once, with its smallest order). */
    public Result group(Collection<Link> links) {
        return group(links, key -> true);
    }

    /**
     * Groups the identifiers of {@code links}; customer ids are derived only from identifiers {@code
     * eligible} says were seen in events (not only named by an alias).
     */
    public Result group(Collection<Link> links, java.util.function.Predicate<String> eligible) {
        List<Link> sorted = new ArrayList<>(links);
        sorted.sort((a, b) -> {
            int c = a.order().compareTo(b.order());
            if (c != 0) {
                return c;
            }
            c = a.from().compareTo(b.from());
            return c != 0 ? c : a.to().compareTo(b.to());
        });
        Map<String, State> groupOf = new HashMap<>();
        int refused = 0;
        for (Link link : sorted) {
            State a = groupOf.computeIfAbsent(link.from(), State::single);
            State b = groupOf.computeIfAbsent(link.to(), State::single);
            if (a == b) {
                continue;
            }
            if (!fits(a, b, link.alias())) {
                refused++;
                continue;
            }
            State into = a.members.size() >= b.members.size() ? a : b;
            State from = into == a ? b : a;
            into.userUnits = link.alias() ? Math.max(a.userUnits, b.userUnits) : a.userUnits + b.userUnits;
            from.counts.forEach((type, n) -> into.counts.merge(type, n, Integer::sum));
            into.members.addAll(from.members);
            for (String member : from.members) {
                groupOf.put(member, into);
            }
        }
        Map<String, Group> byCustomer = new TreeMap<>();
        List<Group> orphans = new ArrayList<>();
        for (State state : Set.copyOf(groupOf.values())) {
            if (state.members.size() < 2) {
                continue;
            }
            String customerId = customerId(state.members, eligible);
            Group group = new Group(new TreeSet<>(state.members), state.userUnits, customerId);
            if (customerId == null) {
                orphans.add(group);
            } else {
                byCustomer.put(customerId, group);
            }
        }
        List<Group> groups = new ArrayList<>(byCustomer.values());
        orphans.sort((x, y) -> x.members().first().compareTo(y.members().first()));
        groups.addAll(orphans);
        return new Result(groups, refused);
    }

    /** Whether joining two groups keeps every limit. */
    boolean fits(State a, State b, boolean alias) {
        if (!alias && a.userUnits + b.userUnits > settings.limits().get(IdentitySettings.USER_ID)) {
            return false;
        }
        for (Map.Entry<String, Integer> count : a.counts.entrySet()) {
            String type = count.getKey();
            if (IdentitySettings.USER_ID.equals(type)) {
                continue;
            }
            Integer limit = settings.limits().get(type);
            if (limit != null && count.getValue() + b.counts.getOrDefault(type, 0) > limit) {
                return false;
            }
        }
        return true;
    }

    /** Whether joining the groups with these members keeps every limit (the fast path of the graph). */
    public boolean fits(Collection<String> a, int unitsA, Collection<String> b, int unitsB, boolean alias) {
        return fits(State.of(a, unitsA), State.of(b, unitsB), alias);
    }

    /**
     * The customer of a group: the smallest derived id of its {@code userId} members, else of its
     * {@code anonymousId} members; {@code null} when it has neither.
     */
    public static String customerId(Collection<String> members) {
        return customerId(members, key -> true);
    }

    /** {@link #customerId(Collection)} over the members {@code eligible} accepts (all when none is). */
    public static String customerId(Collection<String> members, java.util.function.Predicate<String> eligible) {
        boolean any = false;
        for (String member : members) {
            if (IdentifierKeys.isRouting(member) && eligible.test(member)) {
                any = true;
                break;
            }
        }
        java.util.function.Predicate<String> allowed = any ? eligible : key -> true;
        String best = null;
        boolean bestIsUser = false;
        for (String member : members) {
            if (!IdentifierKeys.isRouting(member) || !allowed.test(member)) {
                continue;
            }
            boolean user = IdentifierKeys.isUser(member);
            if (bestIsUser && !user) {
                continue;
            }
            String derived = CustomerIds.derive(member);
            if (best == null || (user && !bestIsUser) || derived.compareTo(best) < 0) {
                best = derived;
                bestIsUser = user;
            }
        }
        return best;
    }

    /** Users a lone identifier counts as: 1 for a userId, else 0. */
    public static int unitsOf(String key) {
        return IdentifierKeys.isUser(key) ? 1 : 0;
    }

    static final class State {
        final Set<String> members = new TreeSet<>();
        final Map<String, Integer> counts = new HashMap<>();
        int userUnits;

        static State single(String key) {
            return of(List.of(key), unitsOf(key));
        }

        static State of(Collection<String> members, int userUnits) {
            State state = new State();
            state.members.addAll(members);
            for (String member : members) {
                state.counts.merge(IdentifierKeys.type(member), 1, Integer::sum);
            }
            state.userUnits = userUnits;
            return state;
        }
    }
}
