package io.cxflow.activation.channel.sms;

import io.cxflow.activation.channel.http.MessagingConfig;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of the {@code sms} channel ({@code activation.sms.*}, environment {@code
 * CX_ACTIVATION_SMS_*}). The channel is off while {@code activation.sms.url} is unset.
 *
 * @param provider endpoint, auth and signing of the provider
 * @param from the sender id or number put in {@code from}, if any
 */
public record SmsConfig(MessagingConfig provider, Optional<String> from) {

    public static final String PREFIX = "activation.sms";

    public static final MessagingConfig.Keys PROVIDER = MessagingConfig.keys(PREFIX, "SMS requests");
    public static final ConfigKey<String> FROM = ConfigKey.string(
            PREFIX + ".from", null, "sender id or number sent as 'from'; unset lets the provider choose");

    /** Every key of the channel. */
    public static final List<ConfigKey<?>> KEYS;

    static {
        List<ConfigKey<?>> keys = new ArrayList<>(PROVIDER.all());
        keys.add(FROM);
        KEYS = List.copyOf(keys);
    }

    public SmsConfig {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(from, "from");
    }

    /** The channel's configuration, or empty when {@code activation.sms.url} is unset. */
    public static Optional<SmsConfig> from(ConfigSource source) {
        source.validate(KEYS);
        return PROVIDER.read(source).map(p -> new SmsConfig(p, source.find(FROM).map(String::trim)));
    }
}
