package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.analytics.identity.internal.IdentifierKeys;
import io.cxflow.avro.ActivityBucket;
import io.cxflow.avro.ChannelStats;
import io.cxflow.avro.ConsentState;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.OrderStats;
import io.cxflow.avro.ProductActivity;
import io.cxflow.avro.TraitValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges the partial profiles of one customer (one per routing id: the events routed by that userId
 * or anonymousId) into the customer's profile. Every rule is commutative and associative, so the
 * result equals one profile fed all the events, in any order: counts add up, first/last seen are
 * min/max, traits and consent keep the newest value by event time with a fixed tie-break ({@link
 * ProfileRules}), history buckets add up ({@link History}).
 */
public final class ProfileMerger {

    private ProfileMerger() {}

    /**
     * @param customerId the customer
     * @param partials the partial profiles (at least one)
     * @param members the customer's identifiers from the identity graph, or {@code null} when the graph
     *     has no group for it (then every identifier of the partials is listed)
     */
    public static CustomerProfile merge(String customerId, Collection<CustomerProfile> partials, List<String> members) {
        if (partials.isEmpty()) {
            throw new IllegalArgumentException("nothing to merge for " + customerId);
        }
        Set<String> allowed = members == null ? null : new TreeSet<>(members);
        TreeMap<String, TreeSet<String>> identities = new TreeMap<>();
        TreeMap<String, TraitValue> traits = new TreeMap<>();
        TreeMap<String, Long> events = new TreeMap<>();
        TreeMap<String, ChannelStats> channels = new TreeMap<>();
        TreeMap<String, BigDecimal> revenue = new TreeMap<>();
        TreeMap<String, ConsentState> consent = new TreeMap<>();
        List<List<ActivityBucket>> activity = new ArrayList<>();
        List<List<ProductActivity>> products = new ArrayList<>();
        List<Map<String, Instant>> lastEvents = new ArrayList<>();
        Instant firstSeen = null;
        Instant lastSeen = null;
        long eventCount = 0;
        long orders = 0;
        long version = 0;
        String timezone = null;
        Instant timezoneAt = null;
        String locale = null;
        Instant localeAt = null;
        for (CustomerProfile partial : partials) {
            partial.getIdentities().forEach((type, values) -> {
                for (String value : values) {
                    if (allowed == null || allowed.contains(IdentifierKeys.key(type, value))) {
                        identities.computeIfAbsent(type, t -> new TreeSet<>()).add(value);
                    }
                }
            });
            partial.getTraits().forEach((name, value) -> {
                if (ProfileRules.wins(value, traits.get(name))) {
                    traits.put(name, value);
                }
            });
            partial.getEvents().forEach((name, count) -> events.merge(name, count, Long::sum));
            partial.getChannels().forEach((name, stats) -> channels.merge(name, stats, ProfileMerger::channel));
            partial.getOrders()
                    .getRevenue()
                    .forEach((currency, amount) -> revenue.merge(currency, new BigDecimal(amount), BigDecimal::add));
            partial.getConsent().forEach((channel, state) -> {
                if (ProfileRules.wins(state, consent.get(channel))) {
                    consent.put(channel, state);
                }
            });
            activity.add(partial.getActivity());
            products.add(partial.getRecentProducts());
            lastEvents.add(partial.getLastEvents());
            firstSeen = firstSeen == null || partial.getFirstSeen().isBefore(firstSeen)
                    ? partial.getFirstSeen()
                    : firstSeen;
            lastSeen = lastSeen == null || partial.getLastSeen().isAfter(lastSeen) ? partial.getLastSeen() : lastSeen;
            eventCount += partial.getEventCount();
            orders += partial.getOrders().getCount();
            version += partial.getVersion();
            if (ProfileRules.wins(partial.getTimezone(), partial.getTimezoneAt(), timezone, timezoneAt)) {
                timezone = partial.getTimezone();
                timezoneAt = partial.getTimezoneAt();
            }
            if (ProfileRules.wins(partial.getLocale(), partial.getLocaleAt(), locale, localeAt)) {
                locale = partial.getLocale();
                localeAt = partial.getLocaleAt();
            }
        }
        Map<String, List<String>> ids = new TreeMap<>();
        identities.forEach((type, values) -> ids.put(type, new ArrayList<>(values)));
        Map<String, String> revenueText = new TreeMap<>();
        revenue.forEach((currency, amount) -> revenueText.put(currency, amount.toString()));
        Set<String> absorbed = new TreeSet<>();
        for (CustomerProfile partial : partials) {
            // a partial's id is its routing key: the customer it was before any link
            String own = CustomerIds.derive(partial.getCustomerId());
            if (!own.equals(customerId)) {
                absorbed.add(own);
            }
        }
        List<String> mergedFrom = new ArrayList<>(absorbed);
        return CustomerProfile.newBuilder()
                .setCustomerId(customerId)
                .setIdentities(ids)
                .setTraits(traits)
                .setFirstSeen(firstSeen)
                .setLastSeen(lastSeen)
                .setEventCount(eventCount)
                .setEvents(events)
                .setChannels(channels)
                .setOrders(new OrderStats(orders, revenueText))
                .setConsent(consent)
                .setTimezone(timezone)
                .setLocale(locale)
                .setSegments(new ArrayList<>())
                .setMergedFrom(mergedFrom)
                .setVersion(version)
                .setUpdatedAt(lastSeen)
                .setTimezoneAt(timezoneAt)
                .setLocaleAt(localeAt)
                .setLastEvents(History.lastEvents(lastEvents))
                .setActivity(History.merge(activity, lastSeen))
                .setRecentProducts(History.products(products))
                .build();
    }

    private static ChannelStats channel(ChannelStats a, ChannelStats b) {
        return new ChannelStats(
                a.getEventCount() + b.getEventCount(),
                a.getFirstSeen().isBefore(b.getFirstSeen()) ? a.getFirstSeen() : b.getFirstSeen(),
                a.getLastSeen().isAfter(b.getLastSeen()) ? a.getLastSeen() : b.getLastSeen());
    }
}
