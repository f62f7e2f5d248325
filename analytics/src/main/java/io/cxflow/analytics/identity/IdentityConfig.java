package io.cxflow.analytics.identity;

import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The identity resolution keys ({@code analytics.identity.*}, environment {@code CX_ANALYTICS_IDENTITY_*}):
 *
 * <pre>
 * analytics.identity.external-ids=loyaltyId:traits.loyaltyId,crmId:context.traits.crmId
 * analytics.identity.priority=userId,loyaltyId,crmId,email,phone,anonymousId
 * analytics.identity.limit.anonymous-id=100
 * analytics.identity.limit.email=5
 * analytics.identity.default-region=IT
 * analytics.identity.max-component-size=10000
 * </pre>
 */
public final class IdentityConfig {

    public static final ConfigKey<List<String>> EXTERNAL_IDS = ConfigKey.list(
            "analytics.identity.external-ids",
            List.of(),
            "external identifiers as name:path, path traits.<field> (identify traits or context.traits) or"
                    + " context.traits.<field>, e.g. loyaltyId:traits.loyaltyId");

    public static final ConfigKey<List<String>> PRIORITY = ConfigKey.list(
            "analytics.identity.priority",
            List.of(),
            "identifier types from most to least trusted (default userId, external ids, email, phone, anonymousId)");

    public static final ConfigKey<String> DEFAULT_REGION = ConfigKey.string(
                    "analytics.identity.default-region",
                    "",
                    "ISO 3166 region for phone numbers without a country code; empty: only international numbers")
            .check("empty or an ISO 3166 code like IT", r -> r.isEmpty() || r.matches("[A-Z]{2}"));

    public static final ConfigKey<Integer> MAX_COMPONENT_SIZE = ConfigKey.integer(
            "analytics.identity.max-component-size",
            IdentitySettings.DEFAULT_MAX_COMPONENT_SIZE,
            2,
            10_000_000,
            "most identifiers one connected group of links may hold before new links into it are refused");

    private IdentityConfig() {}

    /**
     * {@code analytics.identity.limit.<type in kebab case>} (e.g. {@code limit.anonymous-id}): the most
     * identifiers of that type one customer may hold.
     */
    public static ConfigKey<Integer> limitKey(String type, int defaultLimit) {
        return ConfigKey.integer(
                "analytics.identity.limit." + kebab(type),
                defaultLimit,
                1,
                1_000_000,
                "most " + type + " identifiers one customer may hold (userId: alias lifts it)");
    }

    /**
     * Reads the identity rules.
     *
     * @throws ConfigException naming the key at fault
     */
    public static IdentitySettings from(ConfigSource source) {
        List<IdentitySettings.ExternalId> externals = new ArrayList<>();
        for (String entry : source.get(EXTERNAL_IDS)) {
            int colon = entry.indexOf(':');
            if (colon <= 0) {
                throw new ConfigException(EXTERNAL_IDS.name(), "expected name:path, got " + entry);
            }
            try {
                externals.add(new IdentitySettings.ExternalId(
                        entry.substring(0, colon).trim(),
                        entry.substring(colon + 1).trim()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(EXTERNAL_IDS.name(), e.getMessage());
            }
        }
        String region = source.get(DEFAULT_REGION);
        IdentitySettings settings = IdentitySettings.withExternalIds(externals, region.isEmpty() ? null : region);
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (String type : settings.types()) {
            ConfigKey<Integer> key = limitKey(type, settings.limits().get(type));
            limits.put(type, source.get(key));
        }
        List<String> priority = source.get(PRIORITY);
        try {
            settings = settings.withLimits(limits).withMaxComponentSize(source.get(MAX_COMPONENT_SIZE));
            if (!priority.isEmpty()) {
                settings = settings.withPriority(priority);
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(PRIORITY.name(), e.getMessage());
        }
        return settings;
    }

    /** {@code anonymousId} → {@code anonymous-id}, {@code crm_id} → {@code crm-id}. */
    static String kebab(String type) {
        StringBuilder out = new StringBuilder();
        for (char c : type.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c == '_' ? '-' : c);
            }
        }
        return out.toString();
    }

    /** Every key, for documentation and {@code --help}. */
    public static List<ConfigKey<?>> keys() {
        return List.of(EXTERNAL_IDS, PRIORITY, DEFAULT_REGION, MAX_COMPONENT_SIZE);
    }
}
