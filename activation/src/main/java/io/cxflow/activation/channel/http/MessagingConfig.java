package io.cxflow.activation.channel.http;

import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration shared by the provider-agnostic HTTP adapters (SMS, push): the endpoint, and an
 * optional HMAC secret for {@code X-Cx-Signature}.
 *
 * @param endpoint where requests go and how they authenticate
 * @param signer signs request bodies, when a secret is configured
 */
public record MessagingConfig(HttpEndpoint endpoint, Optional<RequestSigner> signer) {

    public MessagingConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(signer, "signer");
    }

    /** The keys under {@code prefix}: the endpoint's ({@link HttpEndpoint#keys}) and {@code .signing-secret}. */
    public static Keys keys(String prefix, String what) {
        return new Keys(prefix, what);
    }

    /** The keys of one adapter. */
    public static final class Keys {
        public final HttpEndpoint.Keys endpoint;
        public final ConfigKey<String> signingSecret;

        private Keys(String prefix, String what) {
            endpoint = HttpEndpoint.keys(prefix, what);
            signingSecret = ConfigKey.secret(
                    prefix + ".signing-secret",
                    null,
                    "HMAC-SHA256 secret for the X-Cx-Signature header of " + what + "; unset sends them unsigned");
        }

        public List<ConfigKey<?>> all() {
            List<ConfigKey<?>> all = new ArrayList<>(endpoint.all());
            all.add(signingSecret);
            return List.copyOf(all);
        }

        /** The adapter's configuration, or empty when its URL is unset (the channel is off). */
        public Optional<MessagingConfig> read(ConfigSource source) {
            source.validate(all());
            return endpoint.read(source).map(e -> new MessagingConfig(e, signer(source)));
        }

        private Optional<RequestSigner> signer(ConfigSource source) {
            Optional<String> secret = source.find(signingSecret).filter(s -> !s.isBlank());
            if (source.raw(signingSecret.name()).isPresent() && secret.isEmpty()) {
                throw new ConfigException(signingSecret.name(), signingSecret.name() + " must not be empty");
            }
            return secret.map(RequestSigner::new);
        }
    }
}
