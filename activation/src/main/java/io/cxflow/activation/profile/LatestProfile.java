package io.cxflow.activation.profile;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.avro.ChannelStats;
import io.cxflow.avro.ConsentState;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.OrderStats;
import io.cxflow.avro.TraitValue;
import io.cxflow.schemas.json.JsonText;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A customer's profile as the analytics query API answers it ({@code GET /v1/profiles/{customerId}},
 * the public JSON contract), read by activation at send time. Immutable; the maps are sorted.
 *
 * @param customerId the customer the document is about (the survivor when an absorbed id was asked)
 * @param identities identifier type → values
 * @param traits trait name → its JSON value
 * @param consent channel → granted
 * @param events event name → count
 * @param ordersCount number of completed orders
 * @param revenue currency → exact amount
 * @param segments ids of the segments the customer is in
 * @param eventCount every accepted message of the customer
 * @param channels channel → activity ({@code eventCount}, {@code firstSeen}, {@code lastSeen})
 * @param timezone IANA zone, or {@code null}
 * @param locale BCP 47 tag, or {@code null}
 * @param firstSeen event time of the earliest event, or {@code null}
 * @param lastSeen event time of the latest event, or {@code null}
 * @param version the profile's version (grows with every change)
 * @param updatedAt event time of the last change, or {@code null}
 */
public record LatestProfile(
        String customerId,
        Map<String, List<String>> identities,
        Map<String, JsonNode> traits,
        Map<String, Boolean> consent,
        Map<String, Long> events,
        long ordersCount,
        Map<String, BigDecimal> revenue,
        List<String> segments,
        long eventCount,
        Map<String, Channel> channels,
        String timezone,
        String locale,
        Instant firstSeen,
        Instant lastSeen,
        long version,
        Instant updatedAt) {

    /** Activity of the customer on one channel. */
    public record Channel(long eventCount, Instant firstSeen, Instant lastSeen) {}

    public LatestProfile {
        Objects.requireNonNull(customerId, "customerId");
        identities = Collections.unmodifiableMap(new TreeMap<>(identities));
        traits = Collections.unmodifiableMap(new TreeMap<>(traits));
        consent = Collections.unmodifiableMap(new TreeMap<>(consent));
        events = Collections.unmodifiableMap(new TreeMap<>(events));
        revenue = Collections.unmodifiableMap(new TreeMap<>(revenue));
        segments = List.copyOf(segments);
        channels = Collections.unmodifiableMap(new TreeMap<>(channels));
    }

    /**
     * Reads the profile document of the analytics query API.
     *
     * @throws IllegalArgumentException naming the field when {@code json} is not a profile document
     */
    public static LatestProfile fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("a profile document is a JSON object");
        }
        JsonNode id = json.get("customerId");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw new IllegalArgumentException("a profile document has a customerId");
        }
        Map<String, List<String>> identities = new TreeMap<>();
        for (Map.Entry<String, JsonNode> type : object(json, "identities").properties()) {
            List<String> values = new ArrayList<>();
            for (JsonNode value : array(type.getValue(), "identities." + type.getKey())) {
                values.add(value.asText());
            }
            identities.put(type.getKey(), values);
        }
        Map<String, JsonNode> traits = new TreeMap<>();
        object(json, "traits").properties().forEach(e -> traits.put(e.getKey(), e.getValue()));
        Map<String, Boolean> consent = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : object(json, "consent").properties()) {
            if (!entry.getValue().isBoolean()) {
                throw new IllegalArgumentException("consent." + entry.getKey() + " must be true or false");
            }
            consent.put(entry.getKey(), entry.getValue().booleanValue());
        }
        Map<String, Long> events = new TreeMap<>();
        object(json, "events")
                .properties()
                .forEach(e -> events.put(e.getKey(), e.getValue().asLong()));
        JsonNode orders = object(json, "orders");
        Map<String, BigDecimal> revenue = new TreeMap<>();
        for (Map.Entry<String, JsonNode> amount : object(orders, "revenue").properties()) {
            if (!amount.getValue().isNumber()) {
                throw new IllegalArgumentException("orders.revenue." + amount.getKey() + " must be a number");
            }
            revenue.put(amount.getKey(), amount.getValue().decimalValue());
        }
        List<String> segments = new ArrayList<>();
        array(json.path("segments"), "segments").forEach(s -> segments.add(s.asText()));
        Map<String, Channel> channels = new TreeMap<>();
        for (Map.Entry<String, JsonNode> channel : object(json, "channels").properties()) {
            JsonNode stats = channel.getValue();
            channels.put(
                    channel.getKey(),
                    new Channel(stats.path("eventCount").asLong(), time(stats, "firstSeen"), time(stats, "lastSeen")));
        }
        return new LatestProfile(
                id.asText(),
                identities,
                traits,
                consent,
                events,
                orders.path("count").asLong(),
                revenue,
                segments,
                json.path("eventCount").asLong(),
                channels,
                text(json, "timezone"),
                text(json, "locale"),
                time(json, "firstSeen"),
                time(json, "lastSeen"),
                json.path("version").asLong(),
                time(json, "updatedAt"));
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        if (node.isMissingNode() || node.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(field + " must be a JSON object");
        }
        return node;
    }

    private static JsonNode array(JsonNode node, String field) {
        if (node.isMissingNode() || node.isNull()) {
            return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + " must be a JSON array");
        }
        return node;
    }

    private static String text(JsonNode parent, String field) {
        JsonNode node = parent.path(field);
        return node.isTextual() && !node.asText().isBlank() ? node.asText() : null;
    }

    private static Instant time(JsonNode parent, String field) {
        String text = text(parent, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 instant", e);
        }
    }

    /**
     * The value of trait {@code name} as a plain Java value (a string, a {@code Long} or {@code Double},
     * a boolean, a list or a sorted map of such values), or {@code null} when absent or JSON null.
     */
    public Object trait(String name) {
        return plain(traits.get(name));
    }

    /** Every trait as a plain Java value ({@link #trait}), sorted by name; JSON nulls are left out. */
    public Map<String, Object> plainTraits() {
        Map<String, Object> out = new TreeMap<>();
        traits.forEach((name, value) -> {
            Object plain = plain(value);
            if (plain != null) {
                out.put(name, plain);
            }
        });
        return out;
    }

    /** A JSON value as a plain Java value: numbers as {@code Long} when integral, else {@code Double}. */
    public static Object plain(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(plain(element)));
            return Collections.unmodifiableList(list);
        }
        Map<String, Object> map = new LinkedHashMap<>();
        new TreeMap<>(toMap(node)).forEach((k, v) -> map.put(k, plain(v)));
        return Collections.unmodifiableMap(map);
    }

    private static Map<String, JsonNode> toMap(JsonNode object) {
        Map<String, JsonNode> map = new TreeMap<>();
        object.properties().forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    /**
     * This document as a {@link CustomerProfile} for the channel connectors ({@code SendContext}). The
     * JSON contract does not carry where each trait and consent answer came from, per-event history or
     * recent products: traits and consent are dated {@link #updatedAt()} with an empty source, and
     * {@code activity}, {@code lastEvents} and {@code recentProducts} are empty.
     */
    public CustomerProfile toAvro() {
        Instant changed = updatedAt != null ? updatedAt : lastSeen != null ? lastSeen : Instant.EPOCH;
        Map<String, TraitValue> avroTraits = new TreeMap<>();
        traits.forEach((name, value) -> avroTraits.put(
                name,
                TraitValue.newBuilder()
                        .setValue(JsonText.write(value))
                        .setSourceId("")
                        .setUpdatedAt(changed)
                        .build()));
        Map<String, ConsentState> avroConsent = new TreeMap<>();
        consent.forEach((channel, granted) -> avroConsent.put(
                channel,
                ConsentState.newBuilder()
                        .setGranted(granted)
                        .setUpdatedAt(changed)
                        .setSourceId("")
                        .build()));
        Map<String, ChannelStats> avroChannels = new TreeMap<>();
        channels.forEach((name, stats) -> avroChannels.put(
                name,
                ChannelStats.newBuilder()
                        .setEventCount(stats.eventCount())
                        .setFirstSeen(stats.firstSeen() != null ? stats.firstSeen() : changed)
                        .setLastSeen(stats.lastSeen() != null ? stats.lastSeen() : changed)
                        .build()));
        Map<String, String> avroRevenue = new TreeMap<>();
        revenue.forEach((currency, amount) -> avroRevenue.put(currency, amount.toPlainString()));
        Map<String, List<String>> avroIdentities = new TreeMap<>();
        identities.forEach((type, values) -> avroIdentities.put(type, List.copyOf(values)));
        return CustomerProfile.newBuilder()
                .setCustomerId(customerId)
                .setIdentities(avroIdentities)
                .setTraits(avroTraits)
                .setFirstSeen(firstSeen != null ? firstSeen : changed)
                .setLastSeen(lastSeen != null ? lastSeen : changed)
                .setEventCount(eventCount)
                .setEvents(new TreeMap<>(events))
                .setChannels(avroChannels)
                .setOrders(OrderStats.newBuilder()
                        .setCount(ordersCount)
                        .setRevenue(avroRevenue)
                        .build())
                .setConsent(avroConsent)
                .setTimezone(timezone)
                .setLocale(locale)
                .setSegments(List.copyOf(segments))
                .setVersion(version)
                .setUpdatedAt(changed)
                .build();
    }

    @Override
    public String toString() {
        // traits and identities are personal data
        return "LatestProfile[v" + version + "]";
    }
}
