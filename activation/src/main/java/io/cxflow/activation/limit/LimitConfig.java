package io.cxflow.activation.limit;

import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Workflow limits ({@code activation.limits.*}).
 *
 * @param totalLookback how far back {@code cx.activations.v1} is read at start to count each
 *     workflow's effects; the longest window a {@code total} limit may have
 */
public record LimitConfig(Duration totalLookback) {

    public static final ConfigKey<Duration> TOTAL_LOOKBACK = ConfigKey.duration(
                    "activation.limits.total-lookback",
                    Duration.ofDays(1),
                    "how far back cx.activations.v1 is read at start to count effects for workflows' total limits; the"
                            + " longest window a total limit may have")
            .check(
                    "between 1h and 30d",
                    d -> d.compareTo(Duration.ofHours(1)) >= 0 && d.compareTo(Duration.ofDays(30)) <= 0);

    /** Every key. */
    public static final List<ConfigKey<?>> KEYS = List.of(TOTAL_LOOKBACK);

    public LimitConfig {
        Objects.requireNonNull(totalLookback, "totalLookback");
    }

    /**
     * Reads the keys.
     *
     * @throws io.cxflow.platform.config.ConfigException naming the key of any problem
     */
    public static LimitConfig from(ConfigSource source) {
        source.validate(KEYS);
        return new LimitConfig(source.get(TOTAL_LOOKBACK));
    }
}
