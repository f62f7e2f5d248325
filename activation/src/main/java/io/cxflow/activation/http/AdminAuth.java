package io.cxflow.activation.http;

import io.cxflow.platform.http.HttpProblem;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;

/**
 * Checks {@code Authorization: Bearer <admin token>} on admin routes. The comparison is constant-time
 * over SHA-256 digests, so neither the token's content nor its length leaks through timing.
 */
public final class AdminAuth {

    private static final String SCHEME = "Bearer ";

    private final byte[] expectedDigest;

    public AdminAuth(String adminToken) {
        Objects.requireNonNull(adminToken, "adminToken");
        if (adminToken.isBlank()) {
            throw new IllegalArgumentException("the admin token must not be empty");
        }
        this.expectedDigest = sha256(adminToken);
    }

    /** Whether an {@code Authorization} header value carries the admin token. */
    public boolean accepts(String authorization) {
        if (authorization == null
                || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        String token = authorization.substring(SCHEME.length()).trim();
        return MessageDigest.isEqual(expectedDigest, sha256(token));
    }

    /**
     * Throws 401 unless {@code authorization} carries the admin token.
     *
     * @throws HttpProblem 401 {@code unauthorized} with {@code WWW-Authenticate: Bearer}
     */
    public void require(String authorization) {
        if (!accepts(authorization)) {
            throw new HttpProblem(
                    401,
                    "unauthorized",
                    "this route needs the header Authorization: Bearer <admin token>",
                    Map.of("WWW-Authenticate", "Bearer realm=\"cxflow\""));
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "AdminAuth[token=****]";
    }
}
