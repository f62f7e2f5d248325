package io.cxflow.activation.channel.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How a provider endpoint authenticates requests: nothing, {@code Authorization: Bearer <token>}, or
 * {@code Authorization: Basic base64(user:password)}. The credentials never appear in {@link
 * #toString()}.
 */
public final class HttpAuth {

    /** The authentication scheme. */
    public enum Scheme {
        NONE,
        BEARER,
        BASIC
    }

    private static final HttpAuth NONE = new HttpAuth(Scheme.NONE, null);

    private final Scheme scheme;
    private final String headerValue;

    private HttpAuth(Scheme scheme, String headerValue) {
        this.scheme = scheme;
        this.headerValue = headerValue;
    }

    public static HttpAuth none() {
        return NONE;
    }

    /** @param token the bearer token; must not be blank */
    public static HttpAuth bearer(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a bearer token must not be empty");
        }
        return new HttpAuth(Scheme.BEARER, "Bearer " + token.trim());
    }

    /** @param user the user name; must not be blank nor contain ':' */
    public static HttpAuth basic(String user, String password) {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("a basic-auth user must not be empty");
        }
        if (user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a basic-auth user must not contain ':'");
        }
        String pair = user + ':' + Objects.requireNonNullElse(password, "");
        return new HttpAuth(
                Scheme.BASIC, "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    public Scheme scheme() {
        return scheme;
    }

    /** The {@code Authorization} header value, unless the scheme is {@link Scheme#NONE}. */
    public Optional<String> authorization() {
        return Optional.ofNullable(headerValue);
    }

    @Override
    public String toString() {
        return scheme == Scheme.NONE ? "none" : scheme.name().toLowerCase(Locale.ROOT) + " ****";
    }
}
