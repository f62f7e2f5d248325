package io.cxflow.testkit.population;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One customer the identity rules must produce, with the profile aggregates it must have.
 *
 * @param customerId the expected customer id ({@link ExpectedCustomerIds#derive} of the smallest-id
 *     {@code userId:} member, else of the smallest {@code anonymousId:} member)
 * @param identities the profile's {@code identities}: type → sorted values (group members seen in the
 *     customer's events; alias-only nodes are not listed)
 * @param members every identifier key of the group, alias-only nodes included
 * @param routingIds the group's identifier keys that route events ({@code userId:…}/{@code anonymousId:…})
 * @param mergedFrom sorted ids derived from the routing ids whose derived id is not {@code customerId}
 * @param eventCount accepted messages of every type, each {@code (sourceId, messageId)} once
 * @param events track events by name, pages as {@code Page Viewed}, screens as {@code Screen Viewed}
 * @param channels channel → activity
 * @param orderCount number of {@code Order Completed} events
 * @param revenue currency → exact sum as {@link java.math.BigDecimal#toString()} text
 * @param firstSeen earliest event time
 * @param lastSeen latest event time
 * @param description who this customer is, for failure messages
 */
public record ExpectedCustomer(
        String customerId,
        SortedMap<String, List<String>> identities,
        SortedSet<String> members,
        SortedSet<String> routingIds,
        List<String> mergedFrom,
        long eventCount,
        SortedMap<String, Long> events,
        SortedMap<String, Channel> channels,
        long orderCount,
        SortedMap<String, String> revenue,
        Instant firstSeen,
        Instant lastSeen,
        String description) {

    public ExpectedCustomer {
        Objects.requireNonNull(customerId, "customerId");
        SortedMap<String, List<String>> ids = new TreeMap<>();
        identities.forEach((type, values) -> ids.put(type, List.copyOf(new TreeSet<>(values))));
        identities = Collections.unmodifiableSortedMap(ids);
        members = Collections.unmodifiableSortedSet(new TreeSet<>(members));
        routingIds = Collections.unmodifiableSortedSet(new TreeSet<>(routingIds));
        mergedFrom = List.copyOf(new TreeSet<>(mergedFrom));
        events = Collections.unmodifiableSortedMap(new TreeMap<>(events));
        channels = Collections.unmodifiableSortedMap(new TreeMap<>(channels));
        revenue = Collections.unmodifiableSortedMap(new TreeMap<>(revenue));
    }

    /** Activity on one channel. */
    public record Channel(long eventCount, Instant firstSeen, Instant lastSeen) {}

    /** The listed identities as identifier keys ({@code type:value}), sorted. */
    public List<String> identifierKeys() {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, List<String>> type : identities.entrySet()) {
            for (String value : type.getValue()) {
                keys.add(type.getKey() + ":" + value);
            }
        }
        return keys;
    }
}
