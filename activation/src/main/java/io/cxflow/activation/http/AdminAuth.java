package io.cxflow.activation.http;

import java.util.Objects;

/**
 * The admin-token check of the activation routes, {@link io.cxflow.platform.http.AdminAuth} applied as
 * activation answers it: every request without the admin token, missing or wrong, is 401 {@code
 * unauthorized} with {@code WWW-Authenticate: Bearer}.
 */
public final class AdminAuth {

    private final io.cxflow.platform.http.AdminAuth auth;

    public AdminAuth(String adminToken) {
        this.auth = new io.cxflow.platform.http.AdminAuth(Objects.requireNonNull(adminToken, "adminToken"));
    }

    /** Whether an {@code Authorization} header value carries the admin token. */
    public boolean accepts(String authorization) {
        return auth.accepts(authorization);
    }

    /**
     * Throws 401 unless {@code authorization} carries the admin token.
     *
     * @throws io.cxflow.platform.http.HttpProblem 401 {@code unauthorized} with {@code WWW-Authenticate:
     *     Bearer}
     */
    public void require(String authorization) {
        if (!auth.accepts(authorization)) {
            throw io.cxflow.platform.http.AdminAuth.unauthorized();
        }
    }

    @Override
    public String toString() {
        return "AdminAuth[token=****]";
    }
}
