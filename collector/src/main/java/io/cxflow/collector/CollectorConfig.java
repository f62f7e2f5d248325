package io.cxflow.collector;

import io.cxflow.collector.source.Channels;
import io.cxflow.collector.source.Source;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.json.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The collector's configuration, parsed once from a {@link ConfigSource} ({@code collector.*} keys, each
 * overridable by its {@code CX_COLLECTOR_*} environment variable).
 *
 * <p>Sources are declared under {@code collector.sources.<id>.}: {@code write-key} (secret, required),
 * {@code channel} (required), {@code allowed-origins}, {@code rate-limit}, {@code burst}, {@code
 * enabled}. When none is declared, the documented development sources of the local profile are used
 * ({@link #DEV_SOURCES}: {@code dev-web}, {@code dev-mobile}, {@code dev-pos}, {@code dev-email}, {@code
 * dev-call-center}, each with its id as write key); {@link CollectorService#start} refuses them (and any
 * other use of a documented development key) outside the local profile.
 */
public final class CollectorConfig {

    public static final String SOURCES_PREFIX = "collector.sources.";

    public static final ConfigKey<String> HOST =
            ConfigKey.string("collector.host", "127.0.0.1", "address the tracking API listens on");
    public static final ConfigKey<Integer> PORT =
            ConfigKey.port("collector.port", 8080, "port of the tracking API (0 picks a free port)");
    public static final ConfigKey<Long> MAX_MESSAGE_SIZE = ConfigKey.size(
                    "collector.max-message-size",
                    32L * 1024,
                    "largest single message, alone or inside a batch (after gzip decoding); larger -> 413")
            .check("between 1KB and 1MB", v -> v >= 1024 && v <= 1024 * 1024);
    public static final ConfigKey<Long> MAX_BATCH_SIZE = ConfigKey.size(
                    "collector.max-batch-size", 500L * 1024, "largest batch body (after gzip decoding); larger -> 413")
            .check("between 1KB and 16MB", v -> v >= 1024 && v <= 16L * 1024 * 1024);
    public static final ConfigKey<Integer> JSON_MAX_DEPTH = ConfigKey.integer(
            "collector.json-max-depth",
            64,
            4,
            64,
            "deepest JSON nesting accepted (at most 64, the stored-document limit)");
    public static final ConfigKey<Integer> JSON_MAX_NUMBER_LENGTH = ConfigKey.integer(
            "collector.json-max-number-length", 100, 10, 10_000, "longest JSON number literal, in characters");
    public static final ConfigKey<Integer> JSON_MAX_NAME_LENGTH = ConfigKey.integer(
            "collector.json-max-name-length", 1_000, 16, 100_000, "longest JSON object key, in characters");
    public static final ConfigKey<Duration> PUBLISH_TIMEOUT = ConfigKey.duration(
                    "collector.publish-timeout",
                    Duration.ofSeconds(5),
                    "how long a request waits for the broker's acknowledgement before it is answered 503")
            .check("between 100ms and 60s", d -> d.toMillis() >= 100 && d.toMillis() <= 60_000);
    public static final ConfigKey<Duration> RETRY_AFTER = ConfigKey.duration(
                    "collector.retry-after", Duration.ofSeconds(5), "the Retry-After sent with 503")
            .check("at least 1s", d -> d.toSeconds() >= 1);
    public static final ConfigKey<Long> MAX_IN_FLIGHT = ConfigKey.size(
                    "collector.max-in-flight-bytes",
                    16L * 1024 * 1024,
                    "serialized event bytes waiting for the broker at most; above it requests wait, then get 503")
            .check("between 1MB and 1GB", v -> v >= 1024 * 1024 && v <= 1024L * 1024 * 1024);
    public static final ConfigKey<Duration> DELIVERY_TIMEOUT = ConfigKey.duration(
                    "collector.delivery-timeout",
                    Duration.ofSeconds(30),
                    "how long the producer keeps retrying a record (delivery.timeout.ms); at least publish-timeout")
            .check("between 1s and 10m", d -> d.toMillis() >= 1000 && d.toMillis() <= 600_000);
    public static final ConfigKey<Boolean> TRUST_FORWARDED_FOR = ConfigKey.bool(
            "collector.trust-forwarded-for",
            false,
            "take the client address for context.ip from X-Forwarded-For (only behind a trusted proxy)");
    public static final ConfigKey<Duration> CORS_MAX_AGE = ConfigKey.duration(
            "collector.cors-max-age", Duration.ofMinutes(10), "how long browsers may cache a CORS preflight");

    /** Every fixed key, for the startup report and typo detection. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            HOST,
            PORT,
            MAX_MESSAGE_SIZE,
            MAX_BATCH_SIZE,
            JSON_MAX_DEPTH,
            JSON_MAX_NUMBER_LENGTH,
            JSON_MAX_NAME_LENGTH,
            PUBLISH_TIMEOUT,
            RETRY_AFTER,
            MAX_IN_FLIGHT,
            DELIVERY_TIMEOUT,
            TRUST_FORWARDED_FOR,
            CORS_MAX_AGE);

    /** Keys of one source, relative to {@code collector.sources.<id>.}. */
    public static final ConfigKey<String> SOURCE_WRITE_KEY = ConfigKey.secret(
                    "write-key", null, "the source's write key (HTTP Basic user name)")
            .required();

    public static final ConfigKey<String> SOURCE_CHANNEL = ConfigKey.string(
                    "channel", null, "default channel of the source's events")
            .required()
            .check("one of " + Channels.KNOWN, Channels::isKnown);
    public static final ConfigKey<List<String>> SOURCE_ALLOWED_ORIGINS =
            ConfigKey.list("allowed-origins", List.of(), "browser origins allowed to send with this key, or * for any");
    public static final ConfigKey<Integer> SOURCE_RATE_LIMIT =
            ConfigKey.integer("rate-limit", 0, 0, 10_000_000, "sustained events per second; 0 for no limit");
    public static final ConfigKey<Integer> SOURCE_BURST = ConfigKey.integer(
            "burst", 0, 0, 100_000_000, "events accepted at once above the rate; 0 for one second's worth");
    public static final ConfigKey<Boolean> SOURCE_ENABLED =
            ConfigKey.bool("enabled", true, "false revokes the source: its key is refused");

    public static final List<ConfigKey<?>> SOURCE_KEYS = List.of(
            SOURCE_WRITE_KEY, SOURCE_CHANNEL, SOURCE_ALLOWED_ORIGINS, SOURCE_RATE_LIMIT, SOURCE_BURST, SOURCE_ENABLED);

    /** The documented development sources of the local profile: id, channel; the write key is the id. */
    public static final Map<String, String> DEV_SOURCES = Map.of(
            "dev-web", "web",
            "dev-mobile", "mobile",
            "dev-pos", "pos",
            "dev-email", "email",
            "dev-call-center", "call_center");

    private final String host;
    private final int port;
    private final int maxMessageBytes;
    private final int maxBatchBytes;
    private final Json.Limits jsonLimits;
    private final Duration publishTimeout;
    private final Duration retryAfter;
    private final int maxInFlightBytes;
    private final Duration deliveryTimeout;
    private final boolean trustForwardedFor;
    private final Duration corsMaxAge;
    private final List<Source> sources;
    private final boolean devSources;
    private final String report;

    private CollectorConfig(ConfigSource config) {
        config.validate(KEYS);
        this.host = config.get(HOST);
        this.port = config.get(PORT);
        this.maxMessageBytes = Math.toIntExact(config.get(MAX_MESSAGE_SIZE));
        this.maxBatchBytes = Math.toIntExact(config.get(MAX_BATCH_SIZE));
        if (maxMessageBytes > maxBatchBytes) {
            throw new ConfigException(
                    MAX_MESSAGE_SIZE.name(), MAX_MESSAGE_SIZE.name() + " must not exceed " + MAX_BATCH_SIZE.name());
        }
        this.jsonLimits = new Json.Limits(
                config.get(JSON_MAX_DEPTH),
                maxBatchBytes,
                config.get(JSON_MAX_NUMBER_LENGTH),
                maxBatchBytes,
                config.get(JSON_MAX_NAME_LENGTH));
        this.publishTimeout = config.get(PUBLISH_TIMEOUT);
        this.retryAfter = config.get(RETRY_AFTER);
        this.maxInFlightBytes = Math.toIntExact(config.get(MAX_IN_FLIGHT));
        this.deliveryTimeout = config.get(DELIVERY_TIMEOUT);
        if (deliveryTimeout.compareTo(publishTimeout) < 0) {
            throw new ConfigException(
                    DELIVERY_TIMEOUT.name(), DELIVERY_TIMEOUT.name() + " must be at least " + PUBLISH_TIMEOUT.name());
        }
        this.trustForwardedFor = config.get(TRUST_FORWARDED_FOR);
        this.corsMaxAge = config.get(CORS_MAX_AGE);

        Set<String> ids = config.childNames(SOURCES_PREFIX);
        List<Source> parsed = new ArrayList<>();
        for (String id : ids) {
            parsed.add(source(config, id));
        }
        this.devSources = parsed.isEmpty();
        if (devSources) {
            DEV_SOURCES.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e ->
                            parsed.add(new Source(e.getKey(), e.getKey(), e.getValue(), List.of("*"), 0, 0, true)));
        }
        this.sources = List.copyOf(parsed);
        this.report = describe(config);
    }

    /**
     * Reads and checks every key.
     *
     * @throws ConfigException naming the key at fault
     */
    public static CollectorConfig from(ConfigSource config) {
        return new CollectorConfig(Objects.requireNonNull(config, "config"));
    }

    private static Source source(ConfigSource config, String id) {
        ConfigSource s = config.subset(SOURCES_PREFIX + id + ".");
        s.validate(SOURCE_KEYS);
        int rate = s.get(SOURCE_RATE_LIMIT);
        int burst = s.get(SOURCE_BURST);
        try {
            return new Source(
                    id,
                    s.get(SOURCE_WRITE_KEY),
                    s.get(SOURCE_CHANNEL),
                    s.get(SOURCE_ALLOWED_ORIGINS),
                    rate,
                    burst == 0 ? rate : burst,
                    s.get(SOURCE_ENABLED));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SOURCES_PREFIX + id, e.getMessage(), e);
        }
    }

    private String describe(ConfigSource config) {
        StringBuilder sb = new StringBuilder(config.describe(KEYS));
        for (Source s : sources) {
            sb.append(System.lineSeparator()).append("  source ").append(s).append(devSources ? " (development)" : "");
        }
        return sb.toString();
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public int maxBatchBytes() {
        return maxBatchBytes;
    }

    /** The JSON parsing limits: depth, number and key lengths as configured; strings and documents bounded by the batch size. */
    public Json.Limits jsonLimits() {
        return jsonLimits;
    }

    public Duration publishTimeout() {
        return publishTimeout;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public int maxInFlightBytes() {
        return maxInFlightBytes;
    }

    public Duration deliveryTimeout() {
        return deliveryTimeout;
    }

    public boolean trustForwardedFor() {
        return trustForwardedFor;
    }

    public Duration corsMaxAge() {
        return corsMaxAge;
    }

    /** The configured sources, or the development sources when none is declared. */
    public List<Source> sources() {
        return sources;
    }

    /** Whether {@link #sources()} are the development defaults. */
    public boolean usesDevSources() {
        return devSources;
    }

    /** The effective configuration with secrets masked, for the startup log. */
    @Override
    public String toString() {
        return report;
    }
}
