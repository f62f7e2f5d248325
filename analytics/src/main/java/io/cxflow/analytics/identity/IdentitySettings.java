package io.cxflow.analytics.identity;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The identity resolution rules: which identifiers exist, their priority, and the limits that keep a
 * shared device or a bad import from merging unrelated customers.
 *
 * @param externalIds configured external identifiers, e.g. {@code loyaltyId} read from {@code
 *     traits.loyaltyId}
 * @param priority identifier types from most to least trusted; orders the links of one event
 * @param limits per identifier type, the most identifiers of that type one customer may hold ({@code
 *     userId}: linked users; {@code alias} lifts that limit)
 * @param defaultRegion ISO 3166 region for phone numbers written without a country code, or {@code
 *     null} to accept only international numbers
 * @param maxComponentSize the most identifiers a connected group of links (accepted or refused) may
 *     hold before new links into it are refused outright
 */
public record IdentitySettings(
        List<ExternalId> externalIds,
        List<String> priority,
        Map<String, Integer> limits,
        String defaultRegion,
        int maxComponentSize) {

    public static final String USER_ID = "userId";
    public static final String ANONYMOUS_ID = "anonymousId";
    public static final String EMAIL = "email";
    public static final String PHONE = "phone";

    /** The identifier types every deployment has. */
    public static final Set<String> BUILT_IN = Set.of(USER_ID, ANONYMOUS_ID, EMAIL, PHONE);

    public static final int DEFAULT_MAX_COMPONENT_SIZE = 10_000;

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");
    private static final Pattern REGION = Pattern.compile("[A-Z]{2}");

    /**
     * An external identifier.
     *
     * @param name the identifier type, e.g. {@code loyaltyId} (also the lookup parameter)
     * @param path where it is read: {@code traits.<field>} (identify traits or context.traits) or
     *     {@code context.traits.<field>}
     */
    public record ExternalId(String name, String path) {
        public ExternalId {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(path, "path");
            if (!NAME.matcher(name).matches() || BUILT_IN.contains(name)) {
                throw new IllegalArgumentException(
                        "external id name must be a letter followed by letters, digits or _ and not a built-in type: "
                                + name);
            }
            if (!(path.startsWith("traits.") || path.startsWith("context.traits."))
                    || path.endsWith(".")
                    || path.substring(path.lastIndexOf('.') + 1).isEmpty()) {
                throw new IllegalArgumentException(
                        "external id path must be traits.<field> or context.traits.<field>: " + path);
            }
        }

        /** The trait field the value is read from. */
        public String field() {
            return path.substring(path.lastIndexOf('.') + 1);
        }

        /** Whether identify {@code traits} are read too (not only {@code context.traits}). */
        public boolean readsIdentifyTraits() {
            return path.startsWith("traits.");
        }
    }

    public IdentitySettings {
        externalIds = List.copyOf(Objects.requireNonNull(externalIds, "externalIds"));
        priority = List.copyOf(Objects.requireNonNull(priority, "priority"));
        limits = Map.copyOf(Objects.requireNonNull(limits, "limits"));
        if (defaultRegion != null && !REGION.matcher(defaultRegion).matches()) {
            throw new IllegalArgumentException("defaultRegion must be an ISO 3166 code like IT: " + defaultRegion);
        }
        if (maxComponentSize < 2) {
            throw new IllegalArgumentException("maxComponentSize must be at least 2: " + maxComponentSize);
        }
        List<String> types = new ArrayList<>(BUILT_IN);
        externalIds.forEach(e -> types.add(e.name()));
        if (priority.size() != types.size() || !priority.containsAll(types)) {
            throw new IllegalArgumentException(
                    "priority must list every identifier type exactly once " + types + ": " + priority);
        }
        for (String type : types) {
            Integer limit = limits.get(type);
            if (limit == null || limit < 1) {
                throw new IllegalArgumentException("limit for " + type + " must be at least 1: " + limit);
            }
        }
        if (!types.containsAll(limits.keySet())) {
            throw new IllegalArgumentException("limits name an unknown identifier type: " + limits.keySet());
        }
    }

    /** The defaults: no external ids, no default region. */
    public static IdentitySettings defaults() {
        return withExternalIds(List.of(), null);
    }

    /**
     * Default priority ({@code userId}, external ids in the given order, {@code email}, {@code phone},
     * {@code anonymousId}) and default limits (userId 1, anonymousId 100, email 5, phone 5, each external
     * id 1).
     */
    public static IdentitySettings withExternalIds(List<ExternalId> externalIds, String defaultRegion) {
        List<String> priority = new ArrayList<>();
        priority.add(USER_ID);
        externalIds.forEach(e -> priority.add(e.name()));
        priority.addAll(List.of(EMAIL, PHONE, ANONYMOUS_ID));
        Map<String, Integer> limits = new LinkedHashMap<>(defaultLimits());
        externalIds.forEach(e -> limits.put(e.name(), 1));
        return new IdentitySettings(externalIds, priority, limits, defaultRegion, DEFAULT_MAX_COMPONENT_SIZE);
    }

    /** userId 1, anonymousId 100, email 5, phone 5. */
    public static Map<String, Integer> defaultLimits() {
        return Map.of(USER_ID, 1, ANONYMOUS_ID, 100, EMAIL, 5, PHONE, 5);
    }

    /** The position of a type in {@link #priority} (0 = most trusted). */
    public int priorityOf(String type) {
        int index = priority.indexOf(type);
        if (index < 0) {
            throw new IllegalArgumentException("unknown identifier type: " + type);
        }
        return index;
    }

    /** Every identifier type, built-in and external. */
    public List<String> types() {
        return priority;
    }

    public IdentitySettings withLimits(Map<String, Integer> newLimits) {
        Map<String, Integer> merged = new LinkedHashMap<>(limits);
        merged.putAll(newLimits);
        return new IdentitySettings(externalIds, priority, merged, defaultRegion, maxComponentSize);
    }

    public IdentitySettings withPriority(List<String> newPriority) {
        return new IdentitySettings(externalIds, newPriority, limits, defaultRegion, maxComponentSize);
    }

    public IdentitySettings withMaxComponentSize(int size) {
        return new IdentitySettings(externalIds, priority, limits, defaultRegion, size);
    }
}
