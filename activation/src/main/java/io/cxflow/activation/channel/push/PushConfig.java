package io.cxflow.activation.channel.push;

import io.cxflow.activation.channel.http.MessagingConfig;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of the {@code push} channel ({@code activation.push.*}, environment {@code
 * CX_ACTIVATION_PUSH_*}). The channel is off while {@code activation.push.url} is unset.
 *
 * @param provider endpoint, auth and signing of the provider
 * @param toIdentity the identity type whose values address the customer's devices at the provider
 *     (default {@code userId}: the provider maps external user ids to devices)
 */
public record PushConfig(MessagingConfig provider, String toIdentity) {

    public static final String PREFIX = "activation.push";

    public static final MessagingConfig.Keys PROVIDER = MessagingConfig.keys(PREFIX, "push requests");
    public static final ConfigKey<String> TO_IDENTITY = ConfigKey.string(
            PREFIX + ".to-identity",
            "userId",
            "identity type whose values are sent as 'to' (e.g. userId, or a device-token identity)");

    /** Every key of the channel. */
    public static final List<ConfigKey<?>> KEYS;

    static {
        List<ConfigKey<?>> keys = new ArrayList<>(PROVIDER.all());
        keys.add(TO_IDENTITY);
        KEYS = List.copyOf(keys);
    }

    public PushConfig {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(toIdentity, "toIdentity");
        if (toIdentity.isBlank()) {
            throw new IllegalArgumentException("toIdentity must not be blank");
        }
    }

    /** The channel's configuration, or empty when {@code activation.push.url} is unset. */
    public static Optional<PushConfig> from(ConfigSource source) {
        source.validate(KEYS);
        return PROVIDER.read(source)
                .map(p -> new PushConfig(p, source.get(TO_IDENTITY).trim()));
    }
}
