package io.cxflow.testkit.population;

import io.cxflow.avro.EventType;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the expected customers from what the generator knows: which person owns which identifier,
 * which of a person's devices they logged in on, and the one contested decision the rules make for this
 * population — a device several persons link to joins the person whose link has the smallest order key
 * {@code (event time, sourceId, messageId, priority of the linked type)}. No edge is grouped here; the
 * generator only writes events whose links agree with these owners (every contact link comes after the
 * person's first login, nobody but the owner uses an email or phone, except the refused bad imports).
 */
final class ExpectedBuilder {

    /** The order key of a link, as the rules define it. */
    static final Comparator<Draft> ORDER_KEY = Comparator.comparingLong((Draft d) -> d.ts)
            .thenComparing(d -> d.source.id())
            .thenComparing(d -> d.messageId)
            .thenComparingInt(d -> d.claimPriority);

    private final Map<String, Group> byMember = new TreeMap<>();
    private final List<Group> groups = new ArrayList<>();
    private final Map<Person, Group> personGroups = new LinkedHashMap<>();
    /** Shared device → the link that won it. */
    final Map<Device, Draft> winningLinks = new LinkedHashMap<>();

    final ExpectedResult result;

    ExpectedBuilder(Generator generator, List<Generator.Entry> log, String defaultCurrency) {
        for (Person p : generator.persons) {
            owners(p);
        }
        for (Device shared : generator.sharedDevices) {
            contested(shared);
        }
        Set<String> counted = new HashSet<>();
        for (Generator.Entry entry : log) {
            Draft d = entry.draft();
            Group group = byMember.get(d.routingKey());
            if (group == null) {
                throw new IllegalStateException("no expected customer owns the routing id " + d.routingKey());
            }
            group.routingIds.add(d.routingKey());
            if (!counted.add(d.source.id() + '\u0000' + d.messageId)) {
                if (!entry.redelivery()) {
                    throw new IllegalStateException("two different events share (sourceId, messageId) (" + d.source.id()
                            + ", " + d.messageId + ")");
                }
                continue;
            }
            if (entry.redelivery()) {
                throw new IllegalStateException("a redelivery comes before its original: " + d.messageId);
            }
            group.add(d);
        }
        if (counted.size() != generator.drafts.size()) {
            throw new IllegalStateException("the log holds " + counted.size() + " distinct events, the generator wrote "
                    + generator.drafts.size());
        }
        List<ExpectedCustomer> customers = new ArrayList<>();
        for (Group group : groups) {
            customers.add(group.customer());
        }
        customers.sort(Comparator.comparing(ExpectedCustomer::customerId));
        SortedMap<String, SortedSet<String>> spellings = new TreeMap<>();
        for (Person p : generator.persons) {
            if (p.email != null && !p.emailSpellings.isEmpty()) {
                spellings.put("email:" + p.email, new TreeSet<>(p.emailSpellings));
            }
            if (p.phone != null && !p.phoneSpellings.isEmpty()) {
                spellings.put("phone:" + p.phone, new TreeSet<>(p.phoneSpellings));
            }
        }
        result = new ExpectedResult(customers, spellings, counted.size(), defaultCurrency);
    }

    /** The group of identifiers each person owns. */
    private void owners(Person p) {
        switch (p.kind) {
            case IDENTIFIED -> {
                Group group = group(p.describe());
                add(group, "userId:" + p.userId);
                if (p.newUserId != null) {
                    add(group, "userId:" + p.newUserId);
                    // alias(userId = new, previousId = old) also links anonymousId:<old>; nobody sends it as one
                    add(group, "anonymousId:" + p.userId);
                    group.aliasOnly.add("anonymousId:" + p.userId);
                }
                if (p.email != null) {
                    add(group, "email:" + p.email);
                }
                if (p.phone != null) {
                    add(group, "phone:" + p.phone);
                }
                for (Device d : p.devices) {
                    add(d.willLink ? group : group(p.describe() + ", a device never logged in on"), d.key());
                }
                personGroups.put(p, group);
            }
            case LEAD -> {
                Group group = group(p.describe());
                add(group, p.devices.get(0).key());
                add(group, "email:" + p.email);
                if (p.phone != null) {
                    add(group, "phone:" + p.phone);
                }
                personGroups.put(p, group);
            }
            case ANONYMOUS -> {
                for (Device d : p.devices) {
                    add(group(p.describe() + ", device " + d.anonymousId), d.key());
                }
            }
        }
    }

    /**
     * A device several persons may link to joins the person whose link has the smallest order key. Each
     * link is made after the linking person's first login, so at that point their group already holds
     * their userId and the union is the one the userId limit allows; every later link from another
     * person would put two userIds together and is refused.
     */
    private void contested(Device shared) {
        if (shared.claims.isEmpty()) {
            throw new IllegalStateException("shared device " + shared.anonymousId + " is linked by nobody");
        }
        for (Draft link : shared.claims) {
            Person p = link.actor;
            if (p.kind != Person.Kind.IDENTIFIED || link.ts <= p.anchor.ts) {
                throw new IllegalStateException("the link of " + p.describe() + " to " + shared.anonymousId
                        + " is not after their first login");
            }
        }
        Draft winner = shared.claims.stream().min(ORDER_KEY).orElseThrow();
        add(personGroups.get(winner.actor), shared.key());
        winningLinks.put(shared, winner);
    }

    private Group group(String description) {
        Group g = new Group(description);
        groups.add(g);
        return g;
    }

    private void add(Group group, String key) {
        Group previous = byMember.putIfAbsent(key, group);
        if (previous != null && previous != group) {
            throw new IllegalStateException(
                    key + " is owned by both " + previous.description + " and " + group.description);
        }
        group.members.add(key);
    }

    /** One expected customer being accumulated. */
    private static final class Group {
        final String description;
        final SortedSet<String> members = new TreeSet<>();
        final Set<String> aliasOnly = new TreeSet<>();
        final SortedSet<String> routingIds = new TreeSet<>();
        final Set<String> seen = new TreeSet<>();
        final SortedMap<String, Long> events = new TreeMap<>();
        final SortedMap<String, long[]> channels = new TreeMap<>();
        final SortedMap<String, BigDecimal> revenue = new TreeMap<>();
        long eventCount;
        long orders;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;

        Group(String description) {
            this.description = description;
        }

        void add(Draft d) {
            eventCount++;
            String name = d.countedName();
            if (name != null) {
                events.merge(name, 1L, Long::sum);
            }
            long[] channel = channels.computeIfAbsent(d.channel(), c -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
            channel[0]++;
            channel[1] = Math.min(channel[1], d.ts);
            channel[2] = Math.max(channel[2], d.ts);
            first = Math.min(first, d.ts);
            last = Math.max(last, d.ts);
            if (d.type == EventType.TRACK && "Order Completed".equals(d.event)) {
                orders++;
                revenue.merge(d.currency, d.amount, BigDecimal::add);
            }
            seen.addAll(d.carried);
        }

        ExpectedCustomer customer() {
            if (routingIds.isEmpty()) {
                throw new IllegalStateException(description + " has no event routed to it");
            }
            String customerId = anchorId("userId:");
            if (customerId == null) {
                customerId = anchorId("anonymousId:");
            }
            SortedMap<String, List<String>> identities = new TreeMap<>();
            for (String member : members) {
                if (seen.contains(member) && !aliasOnly.contains(member)) {
                    int colon = member.indexOf(':');
                    identities
                            .computeIfAbsent(member.substring(0, colon), t -> new ArrayList<>())
                            .add(member.substring(colon + 1));
                }
            }
            Set<String> listed = new TreeSet<>(members);
            listed.removeAll(aliasOnly);
            listed.removeAll(seenMembers());
            if (!listed.isEmpty()) {
                throw new IllegalStateException(description + ": members never seen in its events " + listed);
            }
            List<String> mergedFrom = new ArrayList<>();
            for (String routingId : routingIds) {
                String id = ExpectedCustomerIds.derive(routingId);
                if (!id.equals(customerId)) {
                    mergedFrom.add(id);
                }
            }
            SortedMap<String, ExpectedCustomer.Channel> channelStats = new TreeMap<>();
            channels.forEach((name, s) -> channelStats.put(
                    name, new ExpectedCustomer.Channel(s[0], Instant.ofEpochMilli(s[1]), Instant.ofEpochMilli(s[2]))));
            SortedMap<String, String> revenueText = new TreeMap<>();
            revenue.forEach((currency, sum) -> revenueText.put(currency, sum.toString()));
            return new ExpectedCustomer(
                    customerId,
                    identities,
                    members,
                    routingIds,
                    mergedFrom,
                    eventCount,
                    events,
                    channelStats,
                    orders,
                    revenueText,
                    Instant.ofEpochMilli(first),
                    Instant.ofEpochMilli(last),
                    description);
        }

        private Set<String> seenMembers() {
            Set<String> out = new TreeSet<>(members);
            out.retainAll(seen);
            return out;
        }

        /** The smallest derived id over the members of one routing type, or null when there is none. */
        private String anchorId(String prefix) {
            String best = null;
            for (String member : members) {
                if (member.startsWith(prefix)) {
                    String id = ExpectedCustomerIds.derive(member);
                    if (best == null || id.compareTo(best) < 0) {
                        best = id;
                    }
                }
            }
            return best;
        }
    }
}
