package io.cxflow.activation.channel.task;

import io.cxflow.activation.channel.http.MessagingConfig;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of the {@code agent_task} channel ({@code activation.agent-task.*}, environment
 * {@code CX_ACTIVATION_AGENT_TASK_*}): an HTTP endpoint, a Kafka topic, or both (a step then picks one
 * with its {@code delivery} setting). The channel is off while neither is set.
 *
 * @param http the task webhook and its signing, if any
 * @param topic the Kafka topic tasks are produced to, if any
 * @param sendTimeout bound on waiting for the broker's acknowledgement of a task record
 * @param recentProducts the most recent products listed in a task
 */
public record AgentTaskConfig(
        Optional<MessagingConfig> http, Optional<String> topic, Duration sendTimeout, int recentProducts) {

    public static final String PREFIX = "activation.agent-task";

    public static final MessagingConfig.Keys HTTP = MessagingConfig.keys(PREFIX, "agent tasks");
    public static final ConfigKey<String> TOPIC = ConfigKey.string(
            PREFIX + ".topic", null, "Kafka topic agent tasks are produced to (key: customer id, value: JSON)");
    public static final ConfigKey<Duration> SEND_TIMEOUT = ConfigKey.duration(
                    PREFIX + ".send-timeout",
                    Duration.ofSeconds(10),
                    "bound on waiting for the brokers to acknowledge a task record; a timeout is retried")
            .check("greater than 0", d -> !d.isZero());
    public static final ConfigKey<Integer> RECENT_PRODUCTS =
            ConfigKey.integer(PREFIX + ".recent-products", 10, 0, 20, "most recent products listed in a task");

    /** Every key of the channel. */
    public static final List<ConfigKey<?>> KEYS;

    static {
        List<ConfigKey<?>> keys = new ArrayList<>(HTTP.all());
        keys.addAll(List.of(TOPIC, SEND_TIMEOUT, RECENT_PRODUCTS));
        KEYS = List.copyOf(keys);
    }

    public AgentTaskConfig {
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(sendTimeout, "sendTimeout");
    }

    /** The channel's configuration, or empty when neither {@code url} nor {@code topic} is set. */
    public static Optional<AgentTaskConfig> from(ConfigSource source) {
        source.validate(KEYS);
        Optional<MessagingConfig> http = HTTP.read(source);
        Optional<String> topic = source.find(TOPIC).map(String::trim).filter(t -> !t.isEmpty());
        if (http.isEmpty() && topic.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new AgentTaskConfig(http, topic, source.get(SEND_TIMEOUT), source.get(RECENT_PRODUCTS)));
    }
}
