package io.cxflow.analytics.query;

import io.cxflow.analytics.profile.IdentifierType;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.http.Routes;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * The profile query API:
 *
 * <ul>
 *   <li>{@code GET /v1/profiles/{customerId}} — the profile document;
 *   <li>{@code GET /v1/profiles?userId=|anonymousId=|email=|phone=} — the same document, found by one
 *       identifier;
 *   <li>{@code GET /v1/profiles/{customerId}/segments} — the customer's segment memberships.
 * </ul>
 *
 * Absent: 404 {@code not_found}. Stores not queryable (starting, rebalancing): 503 {@code unavailable}
 * with {@code Retry-After}.
 */
public final class ProfileRoutes {

    public static final String PROFILE = "/v1/profiles/{customerId}";
    public static final String LOOKUP = "/v1/profiles";
    public static final String SEGMENTS = "/v1/profiles/{customerId}/segments";

    private final ProfileQueries queries;

    private ProfileRoutes(ProfileQueries queries) {
        this.queries = Objects.requireNonNull(queries, "queries");
    }

    /** Registers the routes answering from {@code queries}. */
    public static void register(Routes routes, ProfileQueries queries) {
        ProfileRoutes handlers = new ProfileRoutes(queries);
        routes.get(PROFILE, handlers::profile)
                .get(LOOKUP, handlers::lookup)
                .get(SEGMENTS, handlers::segments)
                .exception(ProfileQueries.UnavailableException.class, (e, ctx) -> unavailable(ctx, e.getMessage()))
                .exception(
                        InvalidStateStoreException.class,
                        (e, ctx) -> unavailable(ctx, "profile stores are not queryable now"));
    }

    private void profile(Context ctx) {
        String customerId = ctx.pathParam("customerId");
        CustomerProfile profile = queries.profile(customerId)
                .orElseThrow(() -> HttpProblem.notFound("no profile for customer " + customerId));
        ctx.json(ProfileJson.profile(profile));
    }

    private void lookup(Context ctx) {
        List<IdentifierType> given = new ArrayList<>();
        for (IdentifierType type : IdentifierType.values()) {
            if (ctx.queryParam(type.contractName()) != null) {
                given.add(type);
            }
        }
        if (given.size() != 1) {
            throw HttpProblem.badRequest(
                    "invalid_request", "give exactly one of the query parameters userId, anonymousId, email, phone");
        }
        IdentifierType type = given.getFirst();
        String value = type.normalize(ctx.queryParam(type.contractName()))
                .orElseThrow(() -> HttpProblem.badRequest(
                        "invalid_identifier", type.contractName() + " is not a valid " + type.contractName()));
        Optional<CustomerProfile> profile = queries.lookup(type, value);
        ctx.json(ProfileJson.profile(
                profile.orElseThrow(() -> HttpProblem.notFound("no profile has this " + type.contractName()))));
    }

    private void segments(Context ctx) {
        String customerId = ctx.pathParam("customerId");
        if (queries.profile(customerId).isEmpty()) {
            throw HttpProblem.notFound("no profile for customer " + customerId);
        }
        ctx.json(ProfileJson.memberships(customerId, queries.memberships(customerId)));
    }

    private static void unavailable(Context ctx, String message) {
        ctx.header("Retry-After", "1");
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", "unavailable");
        body.put("message", message);
        ctx.status(503).json(body);
    }
}
