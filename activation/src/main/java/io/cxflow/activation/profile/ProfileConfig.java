package io.cxflow.activation.profile;

import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where activation reads a customer's latest profile at send time ({@code activation.profiles.*}): the
 * analytics query API ({@code GET /v1/profiles/{customerId}}, {@code GET /v1/profiles?userId=…}).
 * Unset, activation judges and renders from the snapshot its triggers carry, and event triggers are
 * not available.
 *
 * @param url the analytics base URL, e.g. {@code http://127.0.0.1:8081}; empty when unset
 * @param requestTimeout bound on one request, connection included
 * @param maxWait how long one decision keeps retrying an unavailable analytics before its trigger is
 *     left to be processed again later
 */
public record ProfileConfig(Optional<URI> url, Duration requestTimeout, Duration maxWait) {

    private static final String POSITIVE = "greater than 0";

    public static final ConfigKey<String> URL = ConfigKey.string(
            "activation.profiles.url",
            null,
            "base URL of the analytics query API (http://host:port) activation reads the latest profile from at send"
                    + " time and resolves event triggers with; unset = the trigger's snapshot only, no event triggers");
    public static final ConfigKey<Duration> REQUEST_TIMEOUT = ConfigKey.duration(
                    "activation.profiles.request-timeout",
                    Duration.ofSeconds(2),
                    "bound on one profile request to analytics, connection included")
            .check(POSITIVE, d -> !d.isZero() && !d.isNegative());
    public static final ConfigKey<Duration> MAX_WAIT = ConfigKey.duration(
                    "activation.profiles.max-wait",
                    Duration.ofSeconds(10),
                    "how long a decision retries an unavailable analytics before its trigger is processed again later")
            .check(POSITIVE, d -> !d.isZero() && !d.isNegative());

    /** Every key. */
    public static final List<ConfigKey<?>> KEYS = List.of(URL, REQUEST_TIMEOUT, MAX_WAIT);

    public ProfileConfig {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(maxWait, "maxWait");
    }

    /** No profile source: the snapshot only. */
    public static ProfileConfig none() {
        return new ProfileConfig(Optional.empty(), REQUEST_TIMEOUT.defaultValue(), MAX_WAIT.defaultValue());
    }

    /**
     * Reads the keys.
     *
     * @throws ConfigException naming the key of any problem
     */
    public static ProfileConfig from(ConfigSource source) {
        source.validate(KEYS);
        Optional<URI> url = source.find(URL).filter(u -> !u.isBlank()).map(ProfileConfig::parseUrl);
        return new ProfileConfig(url, source.get(REQUEST_TIMEOUT), source.get(MAX_WAIT));
    }

    private static URI parseUrl(String text) {
        String trimmed = text.trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        try {
            URI uri = new URI(trimmed);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                    || uri.getHost() == null
                    || uri.getUserInfo() != null
                    || uri.getQuery() != null
                    || uri.getFragment() != null) {
                throw new ConfigException(
                        URL.name(),
                        URL.name() + " must be http(s)://host:port of analytics, without credentials, query"
                                + " or fragment; got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException(URL.name(), URL.name() + " is not a URL: '" + text + "'");
        }
    }

    /** Whether profiles are read at send time. */
    public boolean enabled() {
        return url.isPresent();
    }

    @Override
    public String toString() {
        return "ProfileConfig[url=" + url.map(URI::toString).orElse("(none)") + ", requestTimeout=" + requestTimeout
                + ", maxWait=" + maxWait + "]";
    }
}
