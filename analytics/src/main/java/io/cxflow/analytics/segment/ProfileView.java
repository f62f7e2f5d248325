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
 * {@link SegmentCondition#nextCheck(ProfileView, Instant)}). Read-only; its fields and history are converted on
 * first use, so one view belongs to one thread at a time.
 */
public final class ProfileView extends AbstractMap<String, Object> {

    /** The fields of the view, in the contract's order. */
    public static final List<String> FIELDS = List.of(
            "customerId",
            "identities",
            "traits",
            "firstSeen",
            "lastSeen",
            "eventCount",
            "events",
            "channels",
            "orders",
            "consent",
            "segments",
            "timezone",
            "locale");

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

    /** The view of a profile. Each field is converted when a condition first reads it. */
    public static ProfileView of(CustomerProfile profile) {
        Objects.requireNonNull(profile, "profile");
        return new ProfileView(profile, new LazyFields(profile));
    }

    /** A field of the view, converted from the profile. */
    private static Object field(CustomerProfile profile, String name) {
        return switch (name) {
            case "customerId" -> profile.getCustomerId();
            case "identities" -> {
                Map<String, List<String>> identities = new LinkedHashMap<>();
                profile.getIdentities().forEach((type, values) -> identities.put(type, List.copyOf(values)));
                yield identities;
            }
            case "traits" -> {
                Map<String, Object> traits = new LinkedHashMap<>();
                for (Map.Entry<String, TraitValue> trait : profile.getTraits().entrySet()) {
                    traits.put(
                            trait.getKey(),
                            celValue(JsonText.read(trait.getValue().getValue())));
                }
                yield traits;
            }
            case "firstSeen" -> profile.getFirstSeen();
            case "lastSeen" -> profile.getLastSeen();
            case "eventCount" -> profile.getEventCount();
            case "events" -> Map.copyOf(profile.getEvents());
            case "channels" -> {
                Map<String, Object> channels = new LinkedHashMap<>();
                for (Map.Entry<String, ChannelStats> channel :
                        profile.getChannels().entrySet()) {
                    ChannelStats stats = channel.getValue();
                    channels.put(
                            channel.getKey(),
                            Map.of(
                                    "eventCount", stats.getEventCount(),
                                    "firstSeen", stats.getFirstSeen(),
                                    "lastSeen", stats.getLastSeen()));
                }
                yield channels;
            }
            case "orders" -> {
                Map<String, Double> revenue = new LinkedHashMap<>();
                profile.getOrders()
                        .getRevenue()
                        .forEach((currency, amount) -> revenue.put(currency, new BigDecimal(amount).doubleValue()));
                yield Map.of("count", profile.getOrders().getCount(), "revenue", revenue);
            }
            case "consent" -> {
                Map<String, Boolean> consent = new LinkedHashMap<>();
                for (Map.Entry<String, ConsentState> entry :
                        profile.getConsent().entrySet()) {
                    consent.put(entry.getKey(), entry.getValue().getGranted());
                }
                yield consent;
            }
            case "segments" -> List.copyOf(profile.getSegments());
            case "timezone" -> profile.getTimezone() == null ? "" : profile.getTimezone();
            case "locale" -> profile.getLocale() == null ? "" : profile.getLocale();
            default -> throw new IllegalArgumentException("not a profile field: " + name);
        };
    }

    /**
     * The fields of the contract, in its order, each converted on first read and kept: most conditions
     * read one or two fields, and a profile change that keeps every answer reads none.
     */
    private static final class LazyFields extends AbstractMap<String, Object> {

        private static final Map<String, Integer> INDEX = index();

        private final CustomerProfile profile;
        private final Object[] values = new Object[FIELDS.size()];

        LazyFields(CustomerProfile profile) {
            this.profile = profile;
        }

        private static Map<String, Integer> index() {
            Map<String, Integer> index = new java.util.HashMap<>();
            for (int i = 0; i < FIELDS.size(); i++) {
                index.put(FIELDS.get(i), i);
            }
            return Map.copyOf(index);
        }

        private Object value(int i) {
            Object value = values[i];
            if (value == null) {
                value = field(profile, FIELDS.get(i));
                values[i] = value;
            }
            return value;
        }

        @Override
        public Object get(Object key) {
            Integer i = key instanceof String name ? INDEX.get(name) : null;
            return i == null ? null : value(i);
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String name && INDEX.containsKey(name);
        }

        @Override
        public int size() {
            return FIELDS.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            Map<String, Object> all = new LinkedHashMap<>();
            for (int i = 0; i < FIELDS.size(); i++) {
                all.put(FIELDS.get(i), value(i));
            }
            return Collections.unmodifiableMap(all).entrySet();
        }
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
