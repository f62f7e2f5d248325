package io.cxflow.analytics.query;

import io.cxflow.analytics.identity.IdentitySettings;
import io.cxflow.analytics.profile.Identifiers;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.http.Routes;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * The public profile query API, answered by any instance (the instance hosting the key answers, see
 * {@link ProfileQueryApi}):
 *
 * <ul>
 *   <li>{@code GET /v1/profiles/{customerId}} — the profile document;
 *   <li>{@code GET /v1/profiles?userId=|anonymousId=|email=|phone=|<external id>=} — the same document,
 *       found by one identifier;
 *   <li>{@code GET /v1/profiles/{customerId}/segments} — the customer's segment memberships.
 * </ul>
 *
 * An id absorbed by a merge answers 200 with the survivor's document and {@code Content-Location:
 * /v1/profiles/<survivor>} (lookups always name the profile they found that way). Every document carries
 * {@value ProfileQueryApi#SERVED_BY_HEADER}, the instance whose store answered. Absent: 404 {@code
 * not_found}. Stores not queryable (starting, rebalancing, restoring, owner unreachable): 503 {@code
 * unavailable} with {@code Retry-After}. The owner answered something unusable: 502 {@code bad_gateway}.
 */
public final class ProfileRoutes {

    public static final String PROFILE = "/v1/profiles/{customerId}";
    public static final String LOOKUP = "/v1/profiles";
    public static final String SEGMENTS = "/v1/profiles/{customerId}/segments";

    /** Seconds a client waits before retrying a 503. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final ProfileQueries queries;
    private final IdentitySettings identity;

    private ProfileRoutes(ProfileQueries queries, IdentitySettings identity) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.identity = Objects.requireNonNull(identity, "identity");
    }

    /**
     * Registers the routes answering from {@code queries}, and the mapping of the query exceptions to
     * responses (for every route of the server).
     *
     * @param identity the identity rules of the topology: its external ids are lookup parameters too, and
     *     phones are normalized in its default region
     */
    static void register(Routes routes, ProfileQueries queries, IdentitySettings identity) {
        ProfileRoutes handlers = new ProfileRoutes(queries, identity);
        routes.get(PROFILE, handlers::profile)
                .get(LOOKUP, handlers::lookup)
                .get(SEGMENTS, handlers::segments)
                .exception(ProfileQueries.UnavailableException.class, (e, ctx) -> unavailable(ctx, e.getMessage()))
                .exception(
                        InvalidStateStoreException.class,
                        (e, ctx) -> unavailable(ctx, "profile stores are not queryable now"))
                .exception(
                        ProfileQueries.ForwardingException.class,
                        (e, ctx) -> problem(ctx, 502, "bad_gateway", e.getMessage()))
                .exception(
                        ProfileQueries.RedirectChainException.class,
                        (e, ctx) -> problem(ctx, 500, "redirect_loop", e.getMessage()));
    }

    private void profile(Context ctx) {
        String customerId = ctx.pathParam("customerId");
        Document document = queries.profile(customerId)
                .orElseThrow(() -> HttpProblem.notFound("no profile for customer " + customerId));
        if (!document.customerId().equals(customerId)) {
            ctx.header("Content-Location", profilePath(document.customerId()));
        }
        send(ctx, document);
    }

    private void lookup(Context ctx) {
        IdentifierKey identifier = identifier(ctx.queryParamMap(), identity);
        Document document = queries.lookup(identifier)
                .orElseThrow(() -> HttpProblem.notFound("no profile has this " + identifier.type()));
        ctx.header("Content-Location", profilePath(document.customerId()));
        send(ctx, document);
    }

    private void segments(Context ctx) {
        String customerId = ctx.pathParam("customerId");
        Document document = queries.memberships(customerId)
                .orElseThrow(() -> HttpProblem.notFound("no profile for customer " + customerId));
        if (!document.customerId().equals(customerId)) {
            ctx.header("Content-Location", profilePath(document.customerId()) + "/segments");
        }
        send(ctx, document);
    }

    /**
     * The one identifier of a lookup, normalized as the topology stores it.
     *
     * @throws HttpProblem 400 {@code invalid_request} unless exactly one identifier parameter is given
     *     once, 400 {@code invalid_identifier} when its value cannot be an identifier of that type
     */
    static IdentifierKey identifier(Map<String, List<String>> query, IdentitySettings identity) {
        List<String> names = new ArrayList<>(List.of(
                IdentitySettings.USER_ID,
                IdentitySettings.ANONYMOUS_ID,
                IdentitySettings.EMAIL,
                IdentitySettings.PHONE));
        identity.externalIds().forEach(external -> names.add(external.name()));
        List<String> given = names.stream().filter(query::containsKey).toList();
        if (given.size() != 1) {
            throw HttpProblem.badRequest(
                    "invalid_request", "give exactly one of the query parameters " + String.join(", ", names));
        }
        String type = given.getFirst();
        List<String> values = query.get(type);
        if (values.size() != 1) {
            throw HttpProblem.badRequest("invalid_request", "give " + type + " once");
        }
        Optional<String> value = normalize(type, values.getFirst(), identity);
        return new IdentifierKey(
                type,
                value.orElseThrow(
                        () -> HttpProblem.badRequest("invalid_identifier", type + " is not a valid " + type)));
    }

    /** As the topology stores identifiers: email lower-cased, phone in E.164, the others trimmed. */
    private static Optional<String> normalize(String type, String raw, IdentitySettings identity) {
        if (type.equals(IdentitySettings.EMAIL)) {
            return Identifiers.email(raw);
        }
        if (type.equals(IdentitySettings.PHONE)) {
            return Identifiers.phone(raw, identity.defaultRegion());
        }
        return trimmed(raw);
    }

    private static Optional<String> trimmed(String raw) {
        String value = raw == null ? "" : raw.trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static void send(Context ctx, Document document) {
        ctx.header(ProfileQueryApi.SERVED_BY_HEADER, document.servedBy());
        ctx.contentType("application/json").result(document.json());
    }

    /** {@code /v1/profiles/<id>}, the id percent-encoded as one path segment. */
    static String profilePath(String customerId) {
        StringBuilder path = new StringBuilder("/v1/profiles/");
        for (byte b : customerId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                path.append(c);
            } else {
                path.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return path.toString();
    }

    private static void unavailable(Context ctx, String message) {
        ctx.header("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        problem(ctx, 503, "unavailable", message);
    }

    private static void problem(Context ctx, int status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        ctx.status(status).json(body);
    }
}
