package io.cxflow.analytics;

import io.cxflow.analytics.dedupe.DedupeTopology;
import io.cxflow.analytics.identity.IdentityConfig;
import io.cxflow.analytics.identity.IdentitySettings;
import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.query.QueryAddress;
import io.cxflow.analytics.segment.InvalidConditionException;
import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentCondition;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The typed, immutable configuration of the analytics service, read once from a {@link ConfigSource}
 * ({@code analytics.*} keys; environment {@code CX_ANALYTICS_*}).
 *
 * <p>Segments: {@code analytics.segments} lists the segment ids; each id has {@code
 * analytics.segment.<id>.condition} (CEL over {@code profile}, compiled at startup: a bad condition fails
 * startup naming the key and position), optional {@code .name} and {@code .version}. The built-in
 * {@code engaged} segment has the default condition {@code profile.eventCount >= 3}.
 */
public record AnalyticsConfig(
        String applicationId,
        String host,
        int port,
        String advertisedHost,
        Path stateDir,
        int streamThreads,
        ProfileSettings profiles,
        SegmentSettings segments,
        IdentitySettings identity) {

    public static final String ENGAGED_SEGMENT = "engaged";
    public static final String ENGAGED_DEFAULT_CONDITION = "profile.eventCount >= 3";

    public static final ConfigKey<String> APPLICATION_ID = ConfigKey.string(
                    "analytics.application-id",
                    "cx-analytics",
                    "Kafka Streams application id: names the consumer group, the changelog topics and the state folder")
            .check("made of letters, digits, '.', '_' and '-'", id -> id.matches("[A-Za-z0-9._-]+"));

    public static final ConfigKey<String> HOST =
            ConfigKey.string("analytics.host", "127.0.0.1", "address the query API binds to");

    public static final ConfigKey<Integer> PORT =
            ConfigKey.port("analytics.port", 8081, "port of the query API; 0 picks a free port");

    public static final ConfigKey<String> ADVERTISED_HOST = ConfigKey.string(
                    "analytics.advertised-host",
                    null,
                    "host name or address other instances of the application reach this one's query API at"
                            + " (Kafka Streams application.server, with the bound port); default analytics.host")
            .check(
                    "a host name or IP address other instances can call (no scheme, port or wildcard)",
                    QueryAddress::isAdvertisable);

    public static final ConfigKey<Path> STATE_DIR = ConfigKey.path(
            "analytics.state-dir",
            Path.of(System.getProperty("user.home"), ".cxflow", "state", "analytics"),
            "folder of the Kafka Streams state stores (RocksDB); rebuilt from the changelogs when lost");

    public static final ConfigKey<Integer> STREAM_THREADS =
            ConfigKey.integer("analytics.stream-threads", 1, 1, 32, "Kafka Streams threads of this instance");

    public static final ConfigKey<String> DEFAULT_CURRENCY = ConfigKey.string(
                    "analytics.default-currency",
                    "EUR",
                    "ISO 4217 currency of an Order Completed event without properties.currency")
            .check("an ISO 4217 code like EUR", ProfileSettings::isCurrency);

    public static final ConfigKey<Duration> DEDUPE_WINDOW = ConfigKey.duration(
                    "analytics.dedupe.window",
                    DedupeTopology.DEFAULT_WINDOW,
                    "the same (sourceId, messageId) counts once when its copies were received within this window"
                            + " (collector receivedAt); the dedupe store keeps about this much of every source's"
                            + " messageIds")
            .check("between 1ms and 3650d", DedupeTopology::isValidWindow);

    public static final ConfigKey<List<String>> SEGMENTS = ConfigKey.list(
                    "analytics.segments",
                    List.of(ENGAGED_SEGMENT),
                    "ids of the segments to evaluate; each needs analytics.segment.<id>.condition (engaged has a default)")
            .check("ids made of a-z, 0-9 and '-' (at most 63)", ids -> ids.stream()
                    .allMatch(Segment::isValidId));

    public static final ConfigKey<Boolean> INCREMENTAL_SEGMENTS = ConfigKey.bool(
            "analytics.segments.incremental",
            true,
            "on a profile change, evaluate only the segment conditions that read something it changed (the others"
                    + " keep their answer: same results, less CPU); false evaluates every condition on every change");

    /** The condition of the built-in segment {@code engaged}. */
    public static final ConfigKey<String> ENGAGED_CONDITION = conditionKey(ENGAGED_SEGMENT, ENGAGED_DEFAULT_CONDITION);

    /** Every fixed key, for the startup report. Per-segment keys: {@link #keys()}. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            APPLICATION_ID,
            HOST,
            PORT,
            ADVERTISED_HOST,
            STATE_DIR,
            STREAM_THREADS,
            DEFAULT_CURRENCY,
            DEDUPE_WINDOW,
            SEGMENTS,
            INCREMENTAL_SEGMENTS,
            ENGAGED_CONDITION);

    public AnalyticsConfig {
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(segments, "segments");
    }

    /** The key of a segment's condition: {@code analytics.segment.<id>.condition}. */
    public static ConfigKey<String> conditionKey(String segmentId, String defaultCondition) {
        return ConfigKey.string(
                "analytics.segment." + segmentId + ".condition",
                defaultCondition,
                "CEL condition over profile of segment " + segmentId);
    }

    /** The key of a segment's display name: {@code analytics.segment.<id>.name}. */
    public static ConfigKey<String> nameKey(String segmentId) {
        return ConfigKey.string(
                "analytics.segment." + segmentId + ".name", null, "display name of segment " + segmentId);
    }

    /** The key of a segment's definition version: {@code analytics.segment.<id>.version}. */
    public static ConfigKey<Integer> versionKey(String segmentId) {
        return ConfigKey.integer(
                "analytics.segment." + segmentId + ".version",
                1,
                1,
                Integer.MAX_VALUE,
                "definition version of segment " + segmentId + ", carried on its membership changes");
    }

    /**
     * Reads and validates every key; every segment condition is compiled.
     *
     * @throws ConfigException naming the key at fault (and the position in a bad condition)
     */
    public static AnalyticsConfig from(ConfigSource source) {
        source.validate(KEYS);
        List<String> ids = source.get(SEGMENTS);
        Set<String> seen = new HashSet<>();
        List<Segment> segments = new ArrayList<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                throw new ConfigException(SEGMENTS.name(), "segment " + id + " is listed twice in " + SEGMENTS.name());
            }
            segments.add(segment(source, id));
        }
        return new AnalyticsConfig(
                source.get(APPLICATION_ID),
                source.get(HOST),
                source.get(PORT),
                advertisedHost(source),
                source.get(STATE_DIR),
                source.get(STREAM_THREADS),
                new ProfileSettings(source.get(DEFAULT_CURRENCY), source.get(DEDUPE_WINDOW)),
                new SegmentSettings(segments, source.get(INCREMENTAL_SEGMENTS)),
                IdentityConfig.from(source));
    }

    private static String advertisedHost(ConfigSource source) {
        String host = source.get(HOST);
        return source.find(ADVERTISED_HOST).orElseGet(() -> {
            if (!QueryAddress.isAdvertisable(host)) {
                throw new ConfigException(
                        ADVERTISED_HOST.name(),
                        HOST.name() + " is " + host + ", which other instances cannot call: set "
                                + ADVERTISED_HOST.name() + " to the address they reach this instance at");
            }
            return host;
        });
    }

    private static Segment segment(ConfigSource source, String id) {
        ConfigKey<String> conditionKey = ENGAGED_SEGMENT.equals(id)
                ? ENGAGED_CONDITION
                : conditionKey(id, null).required();
        String text = source.get(conditionKey);
        SegmentCondition condition;
        try {
            condition = SegmentCondition.compile(text);
        } catch (InvalidConditionException e) {
            throw new ConfigException(
                    conditionKey.name(),
                    "invalid value for " + conditionKey.name() + " (" + source.origin(conditionKey.name()) + "): "
                            + e.getMessage(),
                    e);
        }
        String name = source.find(nameKey(id)).orElse(id);
        int version = source.get(versionKey(id));
        return new Segment(id, name, condition, version);
    }

    /** Every key this configuration was read from, the segments' included, for the startup report. */
    public List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(KEYS);
        keys.addAll(IdentityConfig.keys());
        for (String type : identity.types()) {
            keys.add(IdentityConfig.limitKey(type, identity.limits().get(type)));
        }
        for (Segment segment : segments.segments()) {
            if (!ENGAGED_SEGMENT.equals(segment.id())) {
                keys.add(conditionKey(segment.id(), null));
            }
            keys.add(nameKey(segment.id()));
            keys.add(versionKey(segment.id()));
        }
        return keys;
    }

    /** A copy with another application id (tests use a unique one). */
    public AnalyticsConfig withApplicationId(String id) {
        return new AnalyticsConfig(
                id, host, port, advertisedHost, stateDir, streamThreads, profiles, segments, identity);
    }

    /** A copy with another port. */
    public AnalyticsConfig withPort(int newPort) {
        return new AnalyticsConfig(
                applicationId, host, newPort, advertisedHost, stateDir, streamThreads, profiles, segments, identity);
    }

    /** A copy with another state folder. */
    public AnalyticsConfig withStateDir(Path dir) {
        return new AnalyticsConfig(
                applicationId, host, port, advertisedHost, dir, streamThreads, profiles, segments, identity);
    }
}
