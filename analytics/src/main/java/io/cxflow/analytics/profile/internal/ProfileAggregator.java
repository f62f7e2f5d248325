package io.cxflow.analytics.profile.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.analytics.identity.IdentitySettings;
import io.cxflow.analytics.profile.Identifiers;
import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.avro.ActivityBucket;
import io.cxflow.avro.ChannelStats;
import io.cxflow.avro.ConsentState;
import io.cxflow.avro.Context;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.EventType;
import io.cxflow.avro.OrderStats;
import io.cxflow.avro.ProductActivity;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.avro.TraitValue;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Folds one event into a customer profile. A pure function of (previous profile, event): no clock, no
 * I/O, and every map is rebuilt sorted so that the same events always give byte-identical profiles,
 * whatever order they arrive in where the contract says order does not matter (first/last seen,
 * traits, consent).
 */
public final class ProfileAggregator {

    public static final String PAGE_VIEWED = "Page Viewed";
    public static final String SCREEN_VIEWED = "Screen Viewed";
    public static final String ORDER_COMPLETED = "Order Completed";
    public static final String CONSENT_UPDATED = "Consent Updated";

    /** Channels an event may claim through {@code context.channel}. */
    public static final Set<String> KNOWN_CHANNELS =
            Set.of("web", "mobile", "pos", "email", "call_center", "ads", "social", "server");

    private static final String CONSENT_TRAIT = "consent";

    /** The property marking an outbound event ({@link #isOutbound}). */
    public static final String OUTBOUND_PROPERTY = "cx_outbound";

    private final ProfileSettings settings;
    private final IdentitySettings identity;

    public ProfileAggregator(ProfileSettings settings) {
        this(settings, IdentitySettings.defaults());
    }

    public ProfileAggregator(ProfileSettings settings, IdentitySettings identity) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /**
     * {@link #apply(String, CustomerProfile, TouchpointEvent, List)} without collecting identifiers.
     */
    public CustomerProfile apply(String customerId, CustomerProfile before, TouchpointEvent event) {
        return apply(customerId, before, event, new ArrayList<>());
    }

    /**
     * @param customerId the customer the event belongs to (the record key)
     * @param before the stored profile, or {@code null} for a new customer
     * @param event the event to fold in
     * @param identifiers receives the identifier keys ({@code type:value}) the event carries, in the
     *     order userId, anonymousId, then traits
     * @return the new profile; {@code before} is not modified
     * @throws InvalidEventException when the event cannot be accepted
     */
    public CustomerProfile apply(
            String customerId, CustomerProfile before, TouchpointEvent event, List<String> identifiers) {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(event, "event");
        Instant at = event.getTimestamp();
        if (at == null) {
            throw new InvalidEventException("missing_field", "timestamp", "the event has no timestamp");
        }
        String sourceId = event.getSourceId();
        ObjectNode properties = EventJson.object(event.getProperties(), "properties");
        ObjectNode traits =
                event.getType() == EventType.IDENTIFY ? EventJson.object(event.getTraits(), "traits") : null;
        Context context = event.getContext();
        ObjectNode contextTraits = context == null ? null : EventJson.object(context.getTraits(), "context.traits");
        String eventName = eventName(event);
        String channel = channel(event);

        Builder profile = new Builder(customerId, before);
        profile.eventCount++;
        if (eventName != null) {
            profile.events.merge(eventName, 1L, Long::sum);
        }
        if (isOutbound(event, properties) && profile.lastSeen != null) {
            // something done to the customer (a message sent, delivered, bounced, failed), not by them:
            // counted and kept in the history, but it moves neither first/last seen nor the channels
            if (eventName != null) {
                profile.lastEvents.merge(eventName, at, (a, b) -> a.isAfter(b) ? a : b);
                profile.activity = History.add(profile.activity, eventName, at, sums(properties), profile.lastSeen);
            }
            profile.version++;
            return profile.build();
        }
        profile.firstSeen = profile.firstSeen == null || at.isBefore(profile.firstSeen) ? at : profile.firstSeen;
        profile.lastSeen = profile.lastSeen == null || at.isAfter(profile.lastSeen) ? at : profile.lastSeen;
        profile.channels.compute(
                channel,
                (name, stats) -> stats == null
                        ? new ChannelStats(1L, at, at)
                        : new ChannelStats(
                                stats.getEventCount() + 1,
                                at.isBefore(stats.getFirstSeen()) ? at : stats.getFirstSeen(),
                                at.isAfter(stats.getLastSeen()) ? at : stats.getLastSeen()));

        profile.addIdentity(IdentitySettings.USER_ID, trimToNull(event.getUserId()), identifiers);
        profile.addIdentity(IdentitySettings.ANONYMOUS_ID, trimToNull(event.getAnonymousId()), identifiers);

        // explicit identify traits win over context.traits for the same key in the same event
        Map<String, JsonNode> userTraits = new LinkedHashMap<>();
        putAll(userTraits, contextTraits);
        putAll(userTraits, traits);
        for (Map.Entry<String, JsonNode> trait : userTraits.entrySet()) {
            String key = trait.getKey();
            JsonNode value = trait.getValue();
            if (CONSENT_TRAIT.equals(key)) {
                applyConsentTrait(profile, value, sourceId, at, traits != null && traits.has(key));
                continue;
            }
            TraitValue candidate = new TraitValue(EventJson.canonical(value), sourceId, at);
            if (ProfileRules.wins(candidate, profile.traits.get(key))) {
                profile.traits.put(key, candidate);
            }
            if ("email".equals(key) && value.isTextual()) {
                Identifiers.email(value.asText())
                        .ifPresent(e -> profile.addIdentity(IdentitySettings.EMAIL, e, identifiers));
            } else if ("phone".equals(key) && value.isTextual()) {
                Identifiers.phone(value.asText(), identity.defaultRegion())
                        .ifPresent(p -> profile.addIdentity(IdentitySettings.PHONE, p, identifiers));
            }
        }
        for (IdentitySettings.ExternalId external : identity.externalIds()) {
            JsonNode value = external.readsIdentifyTraits() ? userTraits.get(external.field()) : null;
            if (value == null && contextTraits != null) {
                value = contextTraits.get(external.field());
            }
            profile.addIdentity(external.name(), externalValue(value), identifiers);
        }

        if (event.getType() == EventType.TRACK && ORDER_COMPLETED.equals(eventName)) {
            applyOrder(profile, properties);
        }
        if (event.getType() == EventType.TRACK && CONSENT_UPDATED.equals(eventName)) {
            applyConsentEvent(profile, properties, sourceId, at);
        }

        if (context != null) {
            // the newest event carrying them decides timezone and locale
            String timezone = trimToNull(context.getTimezone());
            if (ProfileRules.wins(timezone, at, profile.timezone, profile.timezoneAt)) {
                profile.timezone = timezone;
                profile.timezoneAt = at;
            }
            String locale = trimToNull(context.getLocale());
            if (ProfileRules.wins(locale, at, profile.locale, profile.localeAt)) {
                profile.locale = locale;
                profile.localeAt = at;
            }
        }
        if (eventName != null) {
            profile.lastEvents.merge(eventName, at, (a, b) -> a.isAfter(b) ? a : b);
            profile.activity = History.add(profile.activity, eventName, at, sums(properties), profile.lastSeen);
            List<ProductActivity> products = products(eventName, properties, at);
            if (!products.isEmpty()) {
                profile.recentProducts = History.products(List.of(profile.recentProducts, products));
            }
        } else if (before != null && profile.lastSeen.isAfter(before.getLastSeen())) {
            profile.activity = History.merge(List.of(profile.activity), profile.lastSeen);
        }
        profile.version++;
        profile.updatedAt = profile.lastSeen;
        return profile.build();
    }

    /**
     * Whether an event records something done to the customer rather than by them: a {@code track} with
     * {@code properties.cx_outbound = true} (activation's {@code Email Sent}, {@code SMS Delivered},
     * {@code Message Failed} …).
     */
    static boolean isOutbound(TouchpointEvent event, ObjectNode properties) {
        return event.getType() == EventType.TRACK
                && properties != null
                && properties.path(OUTBOUND_PROPERTY).asBoolean(false);
    }

    /** The configured numeric properties of an event, as exact decimals. */
    private Map<String, BigDecimal> sums(ObjectNode properties) {
        if (properties == null || settings.historySums().isEmpty()) {
            return Map.of();
        }
        Map<String, BigDecimal> sums = new TreeMap<>();
        for (String property : settings.historySums()) {
            JsonNode node = properties.get(property);
            if (node != null && !node.isNull()) {
                EventJson.decimal(node).ifPresent(v -> sums.put(property, v));
            }
        }
        return sums;
    }

    /** Products an event viewed, added or bought ({@code product_id}, {@code productId}, {@code sku} or {@code id}). */
    static List<ProductActivity> products(String eventName, ObjectNode properties, Instant at) {
        if (properties == null) {
            return List.of();
        }
        String action =
                switch (eventName) {
                    case "Product Viewed", "Product Clicked" -> "viewed";
                    case "Product Added" -> "added";
                    case ORDER_COMPLETED -> "bought";
                    default -> null;
                };
        if (action == null) {
            return List.of();
        }
        List<ProductActivity> out = new ArrayList<>();
        if (ORDER_COMPLETED.equals(eventName)) {
            JsonNode products = properties.get("products");
            if (products != null && products.isArray()) {
                for (JsonNode product : products) {
                    String id = product.isObject() ? productId((ObjectNode) product) : null;
                    if (id != null) {
                        out.add(new ProductActivity(id, action, at));
                    }
                }
            }
        } else {
            String id = productId(properties);
            if (id != null) {
                out.add(new ProductActivity(id, action, at));
            }
        }
        return out;
    }

    private static String productId(ObjectNode node) {
        for (String field : List.of("product_id", "productId", "sku", "id")) {
            JsonNode value = node.get(field);
            if (value != null && (value.isTextual() || value.isIntegralNumber())) {
                String text = value.asText().trim();
                if (!text.isEmpty() && text.length() <= 256) {
                    return text;
                }
            }
        }
        return null;
    }

    private static String externalValue(JsonNode value) {
        if (value == null || !(value.isTextual() || value.isIntegralNumber())) {
            return null;
        }
        return trimToNull(value.asText());
    }

    /** The name an event is counted under in {@code events}, or {@code null} for identify/group/alias. */
    static String eventName(TouchpointEvent event) {
        return switch (event.getType()) {
            case TRACK -> {
                String name = blankToNull(event.getEvent());
                if (name == null) {
                    throw new InvalidEventException("missing_field", "event", "a track event needs an event name");
                }
                yield name;
            }
            case PAGE -> PAGE_VIEWED;
            case SCREEN -> SCREEN_VIEWED;
            case IDENTIFY, GROUP, ALIAS -> null;
        };
    }

    /** {@code context.channel} when it names a known channel, else the source's channel. */
    static String channel(TouchpointEvent event) {
        Context context = event.getContext();
        if (context != null && context.getChannel() != null) {
            String claimed = context.getChannel().trim().toLowerCase(Locale.ROOT);
            if (KNOWN_CHANNELS.contains(claimed)) {
                return claimed;
            }
        }
        String channel = blankToNull(event.getChannel());
        if (channel == null) {
            throw new InvalidEventException("missing_field", "channel", "the event has no channel");
        }
        return channel.trim().toLowerCase(Locale.ROOT);
    }

    private void applyOrder(Builder profile, ObjectNode properties) {
        profile.orderCount++;
        JsonNode amountNode = properties == null ? null : properties.get("revenue");
        String amountField = "properties.revenue";
        if (amountNode == null || amountNode.isNull()) {
            amountNode = properties == null ? null : properties.get("total");
            amountField = "properties.total";
        }
        if (amountNode == null || amountNode.isNull()) {
            return;
        }
        String field = amountField;
        BigDecimal amount = EventJson.decimal(amountNode)
                .orElseThrow(() -> new InvalidEventException("invalid_amount", field, "order amount is not a number"));
        if (amount.signum() < 0) {
            throw new InvalidEventException("invalid_amount", field, "order amount must not be negative");
        }
        String currency = settings.defaultCurrency();
        JsonNode currencyNode = properties.get("currency");
        if (currencyNode != null && !currencyNode.isNull()) {
            String code =
                    currencyNode.isTextual() ? currencyNode.asText().trim().toUpperCase(Locale.ROOT) : null;
            if (!ProfileSettings.isCurrency(code)) {
                throw new InvalidEventException(
                        "invalid_currency", "properties.currency", "currency must be an ISO 4217 code like EUR");
            }
            currency = code;
        }
        String previous = profile.revenue.get(currency);
        BigDecimal sum = previous == null ? amount : new BigDecimal(previous).add(amount);
        profile.revenue.put(currency, sum.toString());
    }

    private static void applyConsentTrait(
            Builder profile, JsonNode value, String sourceId, Instant at, boolean explicitTrait) {
        String field = explicitTrait ? "traits.consent" : "context.traits.consent";
        if (!value.isObject()) {
            throw new InvalidEventException("invalid_consent", field, "consent must be an object of channel: boolean");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (!entry.getValue().isBoolean()) {
                throw new InvalidEventException(
                        "invalid_consent", field + "." + entry.getKey(), "consent values must be true or false");
            }
            putConsent(profile, entry.getKey(), entry.getValue().booleanValue(), sourceId, at);
        }
    }

    private static void applyConsentEvent(Builder profile, ObjectNode properties, String sourceId, Instant at) {
        JsonNode channel = properties == null ? null : properties.get("channel");
        if (channel == null || !channel.isTextual() || channel.asText().isBlank()) {
            throw new InvalidEventException(
                    "invalid_consent", "properties.channel", "Consent Updated needs properties.channel");
        }
        JsonNode granted = properties.get("granted");
        if (granted == null || !granted.isBoolean()) {
            throw new InvalidEventException(
                    "invalid_consent", "properties.granted", "Consent Updated needs properties.granted true or false");
        }
        putConsent(profile, channel.asText(), granted.booleanValue(), sourceId, at);
    }

    private static void putConsent(Builder profile, String rawChannel, boolean granted, String sourceId, Instant at) {
        String channel = rawChannel.trim().toLowerCase(Locale.ROOT);
        if (channel.isEmpty()) {
            throw new InvalidEventException("invalid_consent", "consent", "consent channel must not be empty");
        }
        ConsentState candidate = new ConsentState(granted, at, sourceId);
        if (ProfileRules.wins(candidate, profile.consent.get(channel))) {
            profile.consent.put(channel, candidate);
        }
    }

    private static void putAll(Map<String, JsonNode> target, ObjectNode source) {
        if (source == null) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            target.put(entry.getKey(), entry.getValue());
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static String trimToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** Mutable working copy of a profile; every collection sorted for a deterministic encoding. */
    private static final class Builder {
        private final String customerId;
        private final SortedMap<String, TreeSet<String>> identities = new TreeMap<>();
        private final SortedMap<String, TraitValue> traits = new TreeMap<>();
        private final SortedMap<String, Long> events = new TreeMap<>();
        private final SortedMap<String, ChannelStats> channels = new TreeMap<>();
        private final SortedMap<String, String> revenue = new TreeMap<>();
        private final SortedMap<String, ConsentState> consent = new TreeMap<>();
        private final List<String> segments;
        private final List<String> mergedFrom;
        private Instant firstSeen;
        private Instant lastSeen;
        private long eventCount;
        private long orderCount;
        private String timezone;
        private String locale;
        private Instant timezoneAt;
        private Instant localeAt;
        private long version;
        private Instant updatedAt;
        private final SortedMap<String, Instant> lastEvents = new TreeMap<>();
        private List<ActivityBucket> activity = List.of();
        private List<ProductActivity> recentProducts = List.of();

        Builder(String customerId, CustomerProfile before) {
            this.customerId = customerId;
            if (before == null) {
                segments = new ArrayList<>();
                mergedFrom = new ArrayList<>();
                return;
            }
            before.getIdentities().forEach((type, values) -> identities.put(type, new TreeSet<>(values)));
            traits.putAll(before.getTraits());
            events.putAll(before.getEvents());
            channels.putAll(before.getChannels());
            revenue.putAll(before.getOrders().getRevenue());
            consent.putAll(before.getConsent());
            segments = new ArrayList<>(before.getSegments());
            mergedFrom = new ArrayList<>(before.getMergedFrom());
            firstSeen = before.getFirstSeen();
            lastSeen = before.getLastSeen();
            eventCount = before.getEventCount();
            orderCount = before.getOrders().getCount();
            timezone = before.getTimezone();
            locale = before.getLocale();
            timezoneAt = before.getTimezoneAt();
            localeAt = before.getLocaleAt();
            version = before.getVersion();
            updatedAt = before.getUpdatedAt();
            lastEvents.putAll(before.getLastEvents());
            activity = before.getActivity();
            recentProducts = before.getRecentProducts();
        }

        void addIdentity(String type, String value, List<String> seen) {
            if (value != null) {
                identities.computeIfAbsent(type, t -> new TreeSet<>()).add(value);
                seen.add(type + ":" + value);
            }
        }

        CustomerProfile build() {
            Map<String, List<String>> ids = new TreeMap<>();
            identities.forEach((type, values) -> ids.put(type, new ArrayList<>(values)));
            return CustomerProfile.newBuilder()
                    .setCustomerId(customerId)
                    .setIdentities(ids)
                    .setTraits(new TreeMap<>(traits))
                    .setFirstSeen(firstSeen)
                    .setLastSeen(lastSeen)
                    .setEventCount(eventCount)
                    .setEvents(new TreeMap<>(events))
                    .setChannels(new TreeMap<>(channels))
                    .setOrders(new OrderStats(orderCount, new TreeMap<>(revenue)))
                    .setConsent(new TreeMap<>(consent))
                    .setTimezone(timezone)
                    .setLocale(locale)
                    .setSegments(segments)
                    .setMergedFrom(mergedFrom)
                    .setVersion(version)
                    .setUpdatedAt(updatedAt)
                    .setTimezoneAt(timezoneAt)
                    .setLocaleAt(localeAt)
                    .setLastEvents(new TreeMap<>(lastEvents))
                    .setActivity(activity)
                    .setRecentProducts(recentProducts)
                    .build();
        }
    }
}
