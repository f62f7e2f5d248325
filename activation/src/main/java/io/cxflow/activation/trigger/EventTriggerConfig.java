package io.cxflow.activation.trigger;

import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The event-trigger bridge ({@code activation.event-triggers.*}). It runs when {@code
 * activation.profiles.url} is set: resolving an event's customer needs the analytics query API.
 *
 * @param topic the internal trigger topic; empty for {@code <activation.group.id>-triggers}
 * @param groupId the bridge's consumer group on {@code cx.events.v1}; empty for {@code
 *     <activation.group.id>-event-triggers}
 * @param resolveTimeout how long the bridge waits for analytics to know an event's customer before
 *     the event is skipped
 * @param maxAge events older than this (event time) trigger nothing
 * @param concurrency customers resolved at the same time
 */
public record EventTriggerConfig(
        Optional<String> topic, Optional<String> groupId, Duration resolveTimeout, Duration maxAge, int concurrency) {

    public static final ConfigKey<String> TOPIC = ConfigKey.string(
            "activation.event-triggers.topic",
            null,
            "internal topic of resolved event occurrences, keyed by customer id (default <activation.group.id>-triggers;"
                    + " created at start, partitioned like cx.segment-membership.v1)");
    public static final ConfigKey<String> GROUP_ID = ConfigKey.string(
            "activation.event-triggers.group.id",
            null,
            "consumer group of the event-trigger bridge on cx.events.v1 (default <activation.group.id>-event-triggers)");
    public static final ConfigKey<Duration> RESOLVE_TIMEOUT = ConfigKey.duration(
                    "activation.event-triggers.resolve-timeout",
                    Duration.ofSeconds(30),
                    "how long an event waits for analytics to know its customer before it is skipped")
            .check(
                    "between 1s and 2m",
                    d -> d.compareTo(Duration.ofSeconds(1)) >= 0 && d.compareTo(Duration.ofMinutes(2)) <= 0);
    public static final ConfigKey<Duration> MAX_AGE = ConfigKey.duration(
                    "activation.event-triggers.max-age",
                    Duration.ofHours(24),
                    "events older than this (event time) trigger nothing: a backlog or a replay does not send stale"
                            + " messages")
            .check("at least 1m", d -> d.compareTo(Duration.ofMinutes(1)) >= 0);
    public static final ConfigKey<Integer> CONCURRENCY = ConfigKey.integer(
            "activation.event-triggers.concurrency", 8, 1, 256, "events whose customer is resolved at the same time");

    /** Every key. */
    public static final List<ConfigKey<?>> KEYS = List.of(TOPIC, GROUP_ID, RESOLVE_TIMEOUT, MAX_AGE, CONCURRENCY);

    public EventTriggerConfig {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(resolveTimeout, "resolveTimeout");
        Objects.requireNonNull(maxAge, "maxAge");
    }

    /**
     * Reads the keys.
     *
     * @throws io.cxflow.platform.config.ConfigException naming the key of any problem
     */
    public static EventTriggerConfig from(ConfigSource source) {
        source.validate(KEYS);
        return new EventTriggerConfig(
                source.find(TOPIC).filter(t -> !t.isBlank()),
                source.find(GROUP_ID).filter(g -> !g.isBlank()),
                source.get(RESOLVE_TIMEOUT),
                source.get(MAX_AGE),
                source.get(CONCURRENCY));
    }

    /** The trigger topic for the activation group {@code activationGroup}. */
    public String topicFor(String activationGroup) {
        return topic.orElse(activationGroup + "-triggers");
    }

    /** The bridge's consumer group for the activation group {@code activationGroup}. */
    public String groupFor(String activationGroup) {
        return groupId.orElse(activationGroup + "-event-triggers");
    }
}
