package io.cxflow.analytics.query;

import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.http.Routes;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The routes one instance calls on another ({@link PeerClient}); each answers from this instance's
 * stores only ({@link LocalStoreReads}) and never forwards, so a forwarded question ends here:
 *
 * <ul>
 *   <li>{@code GET /internal/v1/profile?customerId=} — the profile document stored under exactly this id;
 *   <li>{@code GET /internal/v1/memberships?customerId=} — its memberships document (404 without a
 *       profile);
 *   <li>{@code GET /internal/v1/identity?key=<type>:<value>} — {@code {"customerId": …}}, the customer
 *       the identifier belongs to, redirects followed;
 *   <li>{@code GET /internal/v1/redirect?customerId=} — {@code {"customerId": …}}, the customer the id
 *       now belongs to (itself unless absorbed).
 * </ul>
 *
 * Every answer but a 503 carries {@value #SERVED_BY_HEADER}: this instance's advertised address. A key
 * this instance does not host (the caller's metadata is older than this instance's) answers 503.
 */
final class InternalRoutes {

    /** Response header naming the instance ({@code host:port}, as advertised) whose store answered. */
    static final String SERVED_BY_HEADER = "X-Cx-Served-By";

    static final String PREFIX = "/internal/v1/";
    static final String PROFILE = PREFIX + "profile";
    static final String MEMBERSHIPS = PREFIX + "memberships";
    static final String IDENTITY = PREFIX + "identity";
    static final String REDIRECT = PREFIX + "redirect";
    static final String CUSTOMER_ID = "customerId";
    static final String KEY = "key";

    private final StreamsNode node;
    private final LocalStoreReads reads;

    private InternalRoutes(StreamsNode node, LocalStoreReads reads) {
        this.node = Objects.requireNonNull(node, "node");
        this.reads = Objects.requireNonNull(reads, "reads");
    }

    static void register(Routes routes, StreamsNode node, LocalStoreReads reads) {
        InternalRoutes handlers = new InternalRoutes(node, reads);
        routes.before(PREFIX + "*", ctx -> ctx.header(SERVED_BY_HEADER, node.address()))
                .get(PROFILE, handlers::profile)
                .get(MEMBERSHIPS, handlers::memberships)
                .get(IDENTITY, handlers::identity)
                .get(REDIRECT, handlers::redirect);
    }

    private void profile(Context ctx) {
        String customerId = required(ctx, CUSTOMER_ID);
        send(ctx, reads.profile(customerId), "no profile stored under " + customerId);
    }

    private void memberships(Context ctx) {
        String customerId = required(ctx, CUSTOMER_ID);
        send(ctx, reads.memberships(customerId), "no profile stored under " + customerId);
    }

    private void identity(Context ctx) {
        String key = required(ctx, KEY);
        int colon = key.indexOf(':');
        if (colon <= 0 || colon == key.length() - 1) {
            throw HttpProblem.badRequest("invalid_request", "key must be <type>:<value>, not " + key);
        }
        IdentifierKey identifier = new IdentifierKey(key.substring(0, colon), key.substring(colon + 1));
        String customerId = reads.customerOf(identifier)
                .orElseThrow(() -> HttpProblem.notFound("no customer has this " + identifier.type()));
        customer(ctx, customerId);
    }

    private void redirect(Context ctx) {
        customer(ctx, reads.survivorOf(required(ctx, CUSTOMER_ID)));
    }

    private static void send(Context ctx, Optional<Document> document, String absent) {
        Document found = document.orElseThrow(() -> HttpProblem.notFound(absent));
        ctx.contentType("application/json").result(found.json());
    }

    private static void customer(Context ctx, String customerId) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("customerId", customerId);
        ctx.json(body);
    }

    private static String required(Context ctx, String parameter) {
        String value = ctx.queryParam(parameter);
        if (value == null || value.isEmpty()) {
            throw HttpProblem.badRequest("invalid_request", "query parameter " + parameter + " is required");
        }
        return value;
    }
}
