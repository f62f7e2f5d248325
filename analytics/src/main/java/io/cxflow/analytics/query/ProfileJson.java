package io.cxflow.analytics.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.ChannelStats;
import io.cxflow.avro.ConsentState;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.TraitValue;
import io.cxflow.schemas.json.JsonText;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Renders a profile as the public JSON document of {@code GET /v1/profiles/{customerId}}: the contract
 * fields first ({@code customerId, identities, traits, firstSeen, lastSeen, eventCount, events,
 * channels, orders, consent, segments}), then {@code mergedFrom} (the customer ids absorbed into this
 * one), {@code timezone, locale, version, updatedAt}. Revenue is
 * written as exact JSON numbers; times as ISO-8601 UTC.
 */
public final class ProfileJson {

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ProfileJson() {}

    public static ObjectNode profile(CustomerProfile profile) {
        ObjectNode json = NODES.objectNode();
        json.put("customerId", profile.getCustomerId());
        ObjectNode identities = json.putObject("identities");
        for (Map.Entry<String, List<String>> identity : profile.getIdentities().entrySet()) {
            ArrayNode values = identities.putArray(identity.getKey());
            identity.getValue().forEach(values::add);
        }
        ObjectNode traits = json.putObject("traits");
        for (Map.Entry<String, TraitValue> trait : profile.getTraits().entrySet()) {
            JsonNode value = JsonText.read(trait.getValue().getValue());
            traits.set(trait.getKey(), value == null ? NODES.nullNode() : value);
        }
        json.put("firstSeen", time(profile.getFirstSeen()));
        json.put("lastSeen", time(profile.getLastSeen()));
        json.put("eventCount", profile.getEventCount());
        ObjectNode events = json.putObject("events");
        profile.getEvents().forEach(events::put);
        ObjectNode channels = json.putObject("channels");
        for (Map.Entry<String, ChannelStats> channel : profile.getChannels().entrySet()) {
            ObjectNode stats = channels.putObject(channel.getKey());
            stats.put("eventCount", channel.getValue().getEventCount());
            stats.put("firstSeen", time(channel.getValue().getFirstSeen()));
            stats.put("lastSeen", time(channel.getValue().getLastSeen()));
        }
        ObjectNode orders = json.putObject("orders");
        orders.put("count", profile.getOrders().getCount());
        ObjectNode revenue = orders.putObject("revenue");
        profile.getOrders().getRevenue().forEach((currency, amount) -> revenue.put(currency, new BigDecimal(amount)));
        ObjectNode consent = json.putObject("consent");
        for (Map.Entry<String, ConsentState> entry : profile.getConsent().entrySet()) {
            consent.put(entry.getKey(), entry.getValue().getGranted());
        }
        ArrayNode segments = json.putArray("segments");
        profile.getSegments().forEach(segments::add);
        ArrayNode mergedFrom = json.putArray("mergedFrom");
        profile.getMergedFrom().forEach(mergedFrom::add);
        json.put("timezone", profile.getTimezone());
        json.put("locale", profile.getLocale());
        json.put("version", profile.getVersion());
        json.put("updatedAt", time(profile.getUpdatedAt()));
        return json;
    }

    /** {@code {"customerId": …, "segments": [{"id", "name", "member", "membershipVersion", "changedAt"}]}}. */
    public static ObjectNode memberships(String customerId, List<Membership> memberships) {
        ObjectNode json = NODES.objectNode();
        json.put("customerId", customerId);
        ArrayNode segments = json.putArray("segments");
        for (Membership membership : memberships) {
            ObjectNode segment = segments.addObject();
            segment.put("id", membership.segmentId());
            segment.put("name", membership.name());
            segment.put("member", membership.member());
            segment.put("membershipVersion", membership.membershipVersion());
            segment.put("changedAt", time(membership.changedAt()));
        }
        return json;
    }

    private static String time(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
