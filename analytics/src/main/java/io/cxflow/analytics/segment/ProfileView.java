package io.cxflow.analytics.segment;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.values.NullValue;
import dev.cel.runtime.CelFunctionResolver;
import dev.cel.runtime.CelVariableResolver;
import io.cxflow.analytics.segment.internal.BehaviourFunctions;
import io.cxflow.analytics.segment.internal.ProfileCelEnvironment;
import io.cxflow.analytics.segment.internal.ProfileHistory;
import io.cxflow.avro.ChannelStats;
import io.cxflow.avro.ConsentState;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.TraitValue;
import io.cxflow.schemas.json.JsonText;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The value of the {@code profile} variable of a segment condition: a read-only map view of a {@link
 * CustomerProfile} with the field names of the public JSON contract.
 *
 * <ul>
 *   <li>{@code customerId}, {@code timezone}, {@code locale}: string ({@code ""} when unknown)
 *   <li>{@code identities}: map of identifier type → list of string
 *   <li>{@code traits}: map of trait → its JSON value (string, number, bool, null, list, map)
 *   <li>{@code firstSeen}, {@code lastSeen}: timestamp
 *   <li>{@code eventCount}: int; {@code events}: map of event name → int
 *   <li>{@code channels}: map of channel → {@code {eventCount: int, firstSeen, lastSeen: timestamp}}
 *   <li>{@code orders}: {@code {count: int, revenue: map of currency → double}}
 *   <li>{@code consent}: map of channel → bool; {@code segments}: list of segment ids
 * </ul>
 *
 * <p>The view also carries the profile's rolling history for the behaviour functions ({@code count},
 * {@code sum}, {@code since}, {@code idle}, {@code channels}), indexed on first use. Build one view per
 * profile and evaluate every condition against it ({@link SegmentCondition#test(ProfileView, Instant)},
 * {@link SegmentCondition#nextCheck(ProfileView, Instant)}). Read-only and safe to share between threads.
 */
public final class ProfileView extends AbstractMap<String, Object> {

    private record Functions(Instant now, CelFunctionResolver resolver) {}

    private final CustomerProfile profile;
    private final Map<String, Object> fields;
    private final CelVariableResolver variables;
    private ProfileHistory history;
    private Functions functions;

    private ProfileView(CustomerProfile profile, Map<String, Object> fields) {
        this.profile = profile;
        this.fields = Collections.unmodifiableMap(fields);
        Optional<Object> value = Optional.of(this.fields);
        this.variables = name -> ProfileCelEnvironment.PROFILE_VARIABLE.equals(name) ? value : Optional.empty();
    }

    /** The view of a profile. */
    public static ProfileView of(CustomerProfile profile) {
        Objects.requireNonNull(profile, "profile");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("customerId", profile.getCustomerId());
        Map<String, List<String>> identities = new LinkedHashMap<>();
        profile.getIdentities().forEach((type, values) -> identities.put(type, List.copyOf(values)));
        view.put("identities", identities);
        Map<String, Object> traits = new LinkedHashMap<>();
        for (Map.Entry<String, TraitValue> trait : profile.getTraits().entrySet()) {
            traits.put(trait.getKey(), celValue(JsonText.read(trait.getValue().getValue())));
        }
        view.put("traits", traits);
        view.put("firstSeen", profile.getFirstSeen());
        view.put("lastSeen", profile.getLastSeen());
        view.put("eventCount", profile.getEventCount());
        view.put("events", Map.copyOf(profile.getEvents()));
        Map<String, Object> channels = new LinkedHashMap<>();
        for (Map.Entry<String, ChannelStats> channel : profile.getChannels().entrySet()) {
            ChannelStats stats = channel.getValue();
            channels.put(
                    channel.getKey(),
                    Map.of(
                            "eventCount", stats.getEventCount(),
                            "firstSeen", stats.getFirstSeen(),
                            "lastSeen", stats.getLastSeen()));
        }
        view.put("channels", channels);
        Map<String, Double> revenue = new LinkedHashMap<>();
        profile.getOrders()
                .getRevenue()
                .forEach((currency, amount) -> revenue.put(currency, new BigDecimal(amount).doubleValue()));
        view.put("orders", Map.of("count", profile.getOrders().getCount(), "revenue", revenue));
        Map<String, Boolean> consent = new LinkedHashMap<>();
        for (Map.Entry<String, ConsentState> entry : profile.getConsent().entrySet()) {
            consent.put(entry.getKey(), entry.getValue().getGranted());
        }
        view.put("consent", consent);
        view.put("segments", List.copyOf(profile.getSegments()));
        view.put("timezone", profile.getTimezone() == null ? "" : profile.getTimezone());
        view.put("locale", profile.getLocale() == null ? "" : profile.getLocale());
        return new ProfileView(profile, view);
    }

    /** The profile this is a view of. */
    public CustomerProfile profile() {
        return profile;
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return fields.entrySet();
    }

    @Override
    public Object get(Object key) {
        return fields.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return fields.containsKey(key);
    }

    @Override
    public int size() {
        return fields.size();
    }

    /** The fields as the {@code profile} variable of a condition. */
    /** The {@code profile} variable for CEL, resolved without copying a map per evaluation. */
    CelVariableResolver variables() {
        return variables;
    }

    Map<String, Object> fields() {
        return fields;
    }

    /** The rolling history, indexed on first use. */
    ProfileHistory history() {
        ProfileHistory indexed = history;
        if (indexed == null) {
            indexed = ProfileHistory.of(profile);
            history = indexed;
        }
        return indexed;
    }

    /** The behaviour functions of this profile at {@code now}; the last ones are kept for the next condition. */
    CelFunctionResolver functions(Instant now) {
        Functions last = functions;
        if (last == null || !last.now().equals(now)) {
            last = new Functions(now, BehaviourFunctions.bindings(history(), now));
            functions = last;
        }
        return last.resolver();
    }

    /** A JSON value as CEL sees it: integral numbers as int, other numbers as double. */
    static Object celValue(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (node.isTextual()) {
            return node.asText();
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
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(element -> list.add(celValue(element)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            map.put(field.getKey(), celValue(field.getValue()));
        }
        return map;
    }
}
