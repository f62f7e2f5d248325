package io.cxflow.platform.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Objects;

/**
 * Checks {@code Authorization: Bearer <admin token>} on admin routes (segments, workflows, privacy). The
 * comparison is constant-time over SHA-256 digests, so neither the token's content nor its length leaks
 * through timing.
 *
 * <ul>
 *   <li>no {@code Authorization} header, another scheme, or an empty token: 401 {@code unauthorized} with
 *       {@code WWW-Authenticate: Bearer realm="cxflow"};
 *   <li>a bearer token that is not the admin token: 403 {@code forbidden}.
 * </ul>
 *
 * <pre>{@code
 * AdminAuth auth = new AdminAuth(platform.common().adminToken());
 * routes.before("/v1/segments/*", auth::filter);
 * }</pre>
 */
public final class AdminAuth {

    /** The request header carrying the token. */
    public static final String HEADER = "Authorization";

    private static final String SCHEME = "Bearer ";

    private final byte[] expectedDigest;

    /** @param adminToken the admin token; not blank */
    public AdminAuth(String adminToken) {
        Objects.requireNonNull(adminToken, "adminToken");
        if (adminToken.isBlank()) {
            throw new IllegalArgumentException("the admin token must not be empty");
        }
        this.expectedDigest = sha256(adminToken);
    }

    /** What an {@code Authorization} header value is. */
    public enum Verdict {
        /** It carries the admin token. */
        ACCEPTED,
        /** No header, another scheme than {@code Bearer}, or an empty token. */
        MISSING,
        /** A bearer token that is not the admin token. */
        WRONG_TOKEN
    }

    /** Judges an {@code Authorization} header value (null when the request has none). */
    public Verdict check(String authorization) {
        if (authorization == null
                || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Verdict.MISSING;
        }
        String token = authorization.substring(SCHEME.length()).trim();
        if (token.isEmpty()) {
            return Verdict.MISSING;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(token)) ? Verdict.ACCEPTED : Verdict.WRONG_TOKEN;
    }

    /** Whether an {@code Authorization} header value carries the admin token. */
    public boolean accepts(String authorization) {
        return check(authorization) == Verdict.ACCEPTED;
    }

    /**
     * Returns when {@code authorization} carries the admin token.
     *
     * @throws HttpProblem 401 {@code unauthorized} (with {@code WWW-Authenticate}) without a bearer token,
     *     403 {@code forbidden} with another token
     */
    public void require(String authorization) {
        Verdict verdict = check(authorization);
        if (verdict == Verdict.MISSING) {
            throw unauthorized();
        }
        if (verdict == Verdict.WRONG_TOKEN) {
            throw HttpProblem.forbidden("the bearer token is not the admin token");
        }
    }

    /** A filter for {@link Routes#before}: {@link #require} on the request's {@code Authorization} header. */
    public void filter(Context ctx) {
        require(ctx.header(HEADER));
    }

    /** 401 {@code unauthorized} with {@code WWW-Authenticate: Bearer realm="cxflow"}. */
    public static HttpProblem unauthorized() {
        return new HttpProblem(
                401,
                "unauthorized",
                "this route needs the header Authorization: Bearer <admin token>",
                Map.of("WWW-Authenticate", "Bearer realm=\"cxflow\""));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "AdminAuth[token=****]";
    }
}
