package io.cxflow.analytics.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.analytics.segment.InvalidConditionException;
import io.cxflow.analytics.segment.SegmentCondition;
import io.cxflow.platform.http.AdminAuth;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.http.Routes;
import io.cxflow.platform.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The routes one instance calls on another ({@link SegmentPeers}) for its part of a segment answer. Each
 * answers from this instance's active tasks only and never forwards, naming the partitions it read; each
 * needs the admin token, like the public routes whose data it returns.
 *
 * <ul>
 *   <li>{@code GET /internal/v1/segments/sizes} — {@code {"partitions":[…],"sizes":{"<id>":n}}};
 *   <li>{@code GET /internal/v1/segments/members?segment=&limit=&cursor=} — {@code
 *       {"partitions":[…],"members":[…],"more":bool}};
 *   <li>{@code POST /internal/v1/segments/preview} {@code {"condition","budgetMs"}} — {@code
 *       {"partitions":[…],"complete","scanned","matched","errors","sample":[…]}}.
 * </ul>
 */
final class SegmentInternalRoutes {

    /** Response header naming the instance that answered ({@code host:port}, as advertised). */
    static final String SERVED_BY_HEADER = "X-Cx-Served-By";

    static final String PREFIX = "/internal/v1/segments/";
    static final String SIZES = PREFIX + "sizes";
    static final String MEMBERS = PREFIX + "members";
    static final String PREVIEW = PREFIX + "preview";
    static final String SEGMENT = "segment";
    static final String LIMIT = "limit";
    static final String CURSOR = "cursor";

    /** The longest scan a peer accepts. */
    static final Duration MAX_BUDGET = SegmentRoutes.MAX_PREVIEW_TIMEOUT;

    private final LocalSegmentReads reads;
    private final Conditions conditions;
    private final Clock clock;

    private SegmentInternalRoutes(LocalSegmentReads reads, Conditions conditions, Clock clock) {
        this.reads = Objects.requireNonNull(reads, "reads");
        this.conditions = Objects.requireNonNull(conditions, "conditions");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static void register(
            Routes routes,
            SegmentNode node,
            LocalSegmentReads reads,
            Conditions conditions,
            AdminAuth auth,
            Clock clock) {
        SegmentInternalRoutes handlers = new SegmentInternalRoutes(reads, conditions, clock);
        routes.before(PREFIX + "*", ctx -> {
                    auth.filter(ctx);
                    ctx.header(SERVED_BY_HEADER, node.address());
                })
                .get(SIZES, handlers::sizes)
                .get(MEMBERS, handlers::members)
                .post(PREVIEW, handlers::preview);
    }

    private void sizes(Context ctx) {
        ctx.json(reads.sizes().toJson());
    }

    private void members(Context ctx) {
        String segment = SegmentRoutes.validId(Objects.requireNonNullElse(ctx.queryParam(SEGMENT), ""));
        int limit = SegmentRoutes.limit(ctx.queryParam(LIMIT));
        String cursor = ctx.queryParam(CURSOR);
        ctx.json(reads.members(segment, cursor == null || cursor.isEmpty() ? null : cursor, limit)
                .toJson());
    }

    private void preview(Context ctx) throws IOException {
        JsonNode body = Json.mapper().readTree(ctx.bodyAsBytes());
        if (body == null
                || !body.path("condition").isTextual()
                || !body.path("budgetMs").canConvertToLong()) {
            throw HttpProblem.badRequest("invalid_request", "the body must be {\"condition\": …, \"budgetMs\": …}");
        }
        long budget = Math.max(
                1, Math.min(MAX_BUDGET.toMillis(), body.path("budgetMs").asLong()));
        SegmentCondition condition;
        try {
            condition = conditions.compile(body.path("condition").asText());
        } catch (InvalidConditionException e) {
            SegmentRoutes.invalidCondition(ctx, e);
            return;
        }
        ctx.json(reads.preview(condition, clock.instant().plusMillis(budget)).toJson());
    }
}
