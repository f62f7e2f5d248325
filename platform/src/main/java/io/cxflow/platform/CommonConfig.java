package io.cxflow.platform;

import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.util.List;
import java.util.Set;

/**
 * Settings every cxflow service shares: where Kafka and the schema registry are, the topic prefix, the admin token
 * and the deployment profile.
 *
 * @param profile {@code local} for the all-in-one development default, {@code production} otherwise
 * @param bootstrapServers Kafka bootstrap servers
 * @param registryUrl schema registry base URL
 * @param topicPrefix prepended to every catalog topic name
 * @param adminToken bearer token of the admin routes (segments, workflows, privacy)
 */
public record CommonConfig(
        Profile profile, String bootstrapServers, String registryUrl, String topicPrefix, String adminToken) {

    /** Deployment profile. */
    public enum Profile {
        /** The all-in-one development default ({@code cx up}): documented development keys are allowed. */
        LOCAL,
        /** Anything else: development keys and tokens are refused. */
        PRODUCTION
    }

    /** The documented development write keys of the local default (write key == source id). */
    public static final Set<String> DEV_WRITE_KEYS =
            Set.of("dev-web", "dev-mobile", "dev-pos", "dev-email", "dev-call-center");

    /** The documented development admin token of the local default. */
    public static final String DEV_ADMIN_TOKEN = "dev-admin";

    public static final ConfigKey<Profile> PROFILE = ConfigKey.enumeration(
            "cx.profile",
            Profile.class,
            Profile.PRODUCTION,
            "local (development default, accepts the documented dev keys) or production");
    public static final ConfigKey<String> BOOTSTRAP_SERVERS =
            ConfigKey.string("kafka.bootstrap.servers", "127.0.0.1:9092", "Kafka bootstrap servers");
    public static final ConfigKey<String> REGISTRY_URL =
            ConfigKey.string("registry.url", "http://127.0.0.1:8085", "schema registry base URL (Apicurio)");
    public static final ConfigKey<String> TOPIC_PREFIX =
            ConfigKey.string("topics.prefix", "", "prefix of every catalog topic name (empty in most deployments)");
    public static final ConfigKey<String> ADMIN_TOKEN = ConfigKey.secret(
                    "admin.token", null, "bearer token of the admin routes (segments, workflows, privacy)")
            .required();

    public static final List<ConfigKey<?>> KEYS =
            List.of(PROFILE, BOOTSTRAP_SERVERS, REGISTRY_URL, TOPIC_PREFIX, ADMIN_TOKEN);

    public static CommonConfig from(ConfigSource source) {
        CommonConfig config = new CommonConfig(
                source.get(PROFILE),
                source.get(BOOTSTRAP_SERVERS),
                source.get(REGISTRY_URL),
                source.get(TOPIC_PREFIX),
                source.get(ADMIN_TOKEN));
        config.refuseDevelopmentSecret(ADMIN_TOKEN.name(), config.adminToken());
        return config;
    }

    /** Whether this is the local development default. */
    public boolean isLocal() {
        return profile == Profile.LOCAL;
    }

    /**
     * Fails when a documented development key or token is used outside the local profile.
     *
     * @param key the config key that holds the secret (named in the error, the value is not)
     * @param secret the secret to check
     */
    public void refuseDevelopmentSecret(String key, String secret) {
        if (isLocal() || secret == null) {
            return;
        }
        if (DEV_ADMIN_TOKEN.equals(secret) || DEV_WRITE_KEYS.contains(secret)) {
            throw new ConfigException(
                    key,
                    "uses a documented development key; only cx.profile=local may use it. Choose your own secret.");
        }
    }
}
