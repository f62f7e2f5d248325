package io.cxflow.activation.channel.http;

import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A provider's HTTP endpoint: where requests go, how they authenticate, and how long they may take.
 *
 * @param url the {@code http} or {@code https} URL requests are {@code POST}ed to
 * @param auth the {@code Authorization} scheme and credentials
 * @param connectTimeout bound on opening a connection
 * @param requestTimeout bound on one whole exchange, from sending to the end of the answer
 */
public record HttpEndpoint(URI url, HttpAuth auth, Duration connectTimeout, Duration requestTimeout) {

    public HttpEndpoint {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        String problem = urlProblem(url);
        if (problem != null) {
            throw new IllegalArgumentException("url " + problem);
        }
        if (connectTimeout.isZero() || connectTimeout.isNegative()) {
            throw new IllegalArgumentException("connectTimeout must be > 0");
        }
        if (requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("requestTimeout must be > 0");
        }
    }

    /** An endpoint without authentication and with the default timeouts (2 s connect, 10 s exchange). */
    public static HttpEndpoint of(String url) {
        return new HttpEndpoint(URI.create(url), HttpAuth.none(), Duration.ofSeconds(2), Duration.ofSeconds(10));
    }

    public HttpEndpoint withAuth(HttpAuth auth) {
        return new HttpEndpoint(url, auth, connectTimeout, requestTimeout);
    }

    public HttpEndpoint withRequestTimeout(Duration requestTimeout) {
        return new HttpEndpoint(url, auth, connectTimeout, requestTimeout);
    }

    /** Why {@code url} cannot be a provider endpoint, or {@code null} when it can. */
    public static String urlProblem(URI url) {
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            return "must use the http or https scheme";
        }
        if (url.getHost() == null || url.getHost().isEmpty()) {
            return "must name a host";
        }
        if (url.getRawUserInfo() != null) {
            return "must not carry credentials (use the auth settings)";
        }
        if (url.getRawFragment() != null) {
            return "must not have a fragment";
        }
        return null;
    }

    @Override
    public String toString() {
        // the query may hold a token
        return "HttpEndpoint[" + url.getScheme() + "://" + url.getAuthority() + url.getRawPath() + ", auth=" + auth
                + ", connectTimeout=" + connectTimeout + ", requestTimeout=" + requestTimeout + "]";
    }

    /**
     * The configuration keys of one endpoint under {@code prefix}: {@code <prefix>.url}, {@code
     * .auth-scheme} ({@code none}, {@code bearer}, {@code basic}), {@code .auth-token}, {@code
     * .auth-user}, {@code .auth-password}, {@code .connect-timeout}, {@code .request-timeout}.
     */
    public static Keys keys(String prefix, String what) {
        return new Keys(prefix, what);
    }

    /** The configuration keys of one endpoint; see {@link HttpEndpoint#keys}. */
    public static final class Keys {
        public final ConfigKey<String> url;
        public final ConfigKey<HttpAuth.Scheme> authScheme;
        public final ConfigKey<String> authToken;
        public final ConfigKey<String> authUser;
        public final ConfigKey<String> authPassword;
        public final ConfigKey<Duration> connectTimeout;
        public final ConfigKey<Duration> requestTimeout;

        private Keys(String prefix, String what) {
            url = ConfigKey.string(prefix + ".url", null, "http(s) URL " + what + " are POSTed to");
            authScheme = ConfigKey.enumeration(
                    prefix + ".auth-scheme",
                    HttpAuth.Scheme.class,
                    HttpAuth.Scheme.NONE,
                    "Authorization of " + what + ": none, bearer (auth-token) or basic (auth-user, auth-password)");
            authToken = ConfigKey.secret(prefix + ".auth-token", null, "bearer token of " + what);
            authUser = ConfigKey.string(prefix + ".auth-user", null, "basic-auth user of " + what);
            authPassword = ConfigKey.secret(prefix + ".auth-password", null, "basic-auth password of " + what);
            connectTimeout = ConfigKey.duration(
                            prefix + ".connect-timeout",
                            Duration.ofSeconds(2),
                            "bound on opening a connection for " + what)
                    .check("greater than 0", d -> !d.isZero());
            requestTimeout = ConfigKey.duration(
                            prefix + ".request-timeout",
                            Duration.ofSeconds(10),
                            "bound on one exchange of " + what + "; a timeout is retried")
                    .check("greater than 0", d -> !d.isZero());
        }

        public List<ConfigKey<?>> all() {
            return List.of(url, authScheme, authToken, authUser, authPassword, connectTimeout, requestTimeout);
        }

        /**
         * The endpoint configured in {@code source}, or empty when {@code url} is unset.
         *
         * @throws ConfigException naming the key when a value is invalid or a credential is missing
         */
        public Optional<HttpEndpoint> read(ConfigSource source) {
            Optional<String> text = source.find(url);
            if (text.isEmpty()) {
                return Optional.empty();
            }
            URI uri;
            try {
                uri = new URI(text.get().trim());
            } catch (URISyntaxException e) {
                throw new ConfigException(url.name(), url.name() + " is not a valid URL: " + e.getReason());
            }
            String problem = urlProblem(uri);
            if (problem != null) {
                throw new ConfigException(url.name(), url.name() + " " + problem);
            }
            HttpAuth auth =
                    switch (source.get(authScheme)) {
                        case NONE -> HttpAuth.none();
                        case BEARER -> HttpAuth.bearer(need(source, authToken, authScheme));
                        case BASIC -> {
                            String user = need(source, authUser, authScheme);
                            if (user.indexOf(':') >= 0) {
                                throw new ConfigException(authUser.name(), authUser.name() + " must not contain ':'");
                            }
                            yield HttpAuth.basic(user, need(source, authPassword, authScheme));
                        }
                    };
            return Optional.of(new HttpEndpoint(uri, auth, source.get(connectTimeout), source.get(requestTimeout)));
        }

        private static String need(ConfigSource source, ConfigKey<String> key, ConfigKey<HttpAuth.Scheme> scheme) {
            return source.find(key)
                    .filter(v -> !v.isBlank())
                    .orElseThrow(() -> new ConfigException(
                            key.name(),
                            key.name() + " is required when " + scheme.name() + " is "
                                    + scheme.format(source.get(scheme))));
        }
    }
}
