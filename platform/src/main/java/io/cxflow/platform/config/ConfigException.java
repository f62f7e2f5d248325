package io.cxflow.platform.config;

import java.util.List;
import java.util.Objects;

/**
 * A configuration value is missing or invalid. The message names the key, where the value came from,
 * the value itself (masked for secrets) and the rule it broke, so a service can fail at startup with a
 * line an operator can act on.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> keys;

    public ConfigException(String key, String message) {
        this(List.of(Objects.requireNonNull(key, "key")), message, null);
    }

    public ConfigException(String key, String message, Throwable cause) {
        this(List.of(Objects.requireNonNull(key, "key")), message, cause);
    }

    ConfigException(List<String> keys, String message, Throwable cause) {
        super(message, cause);
        this.keys = List.copyOf(keys);
    }

    /** The first key at fault. */
    public String key() {
        return keys.get(0);
    }

    /** Every key at fault (more than one when {@link ConfigSource#validate} collects several problems). */
    public List<String> keys() {
        return keys;
    }
}
