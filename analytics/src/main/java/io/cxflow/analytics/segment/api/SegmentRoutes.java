package io.cxflow.analytics.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.analytics.segment.InvalidConditionException;
import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentCondition;
import io.cxflow.platform.http.AdminAuth;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.http.Routes;
import io.cxflow.platform.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The public segments API; every route needs {@code Authorization: Bearer <admin token>} (401 without a
 * bearer token, 403 with another one):
 *
 * <ul>
 *   <li>{@code GET /v1/segments} — every segment with its live size, summed over all instances;
 *   <li>{@code GET|PUT|DELETE /v1/segments/{id}} — one definition; PUT compiles the condition (400 {@code
 *       invalid_condition} with line and column), writes version + 1 and answers 201 (created) or 200;
 *       configured segments are read-only (409 {@code segment_configured});
 *   <li>{@code GET /v1/segments/{id}/members?limit=&cursor=} — a page of member customer ids, ascending;
 *   <li>{@code POST /v1/segments/{id}:preview} (or {@code /v1/segments/{id}/preview}) with the body of a
 *       PUT — how many current profiles the condition holds for, and a sample, without saving.
 * </ul>
 */
final class SegmentRoutes {

    static final String SEGMENTS = "/v1/segments";
    static final String SEGMENT = "/v1/segments/{id}";
    static final String MEMBERS = "/v1/segments/{id}/members";
    static final String PREVIEW = "/v1/segments/{id}/preview";
    static final String PREVIEW_SUFFIX = ":preview";

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    static final Duration DEFAULT_PREVIEW_TIMEOUT = Duration.ofSeconds(5);
    static final Duration MAX_PREVIEW_TIMEOUT = Duration.ofSeconds(30);

    private final SegmentDefinitions definitions;
    private final SegmentCluster cluster;
    private final Conditions conditions;

    private SegmentRoutes(SegmentDefinitions definitions, SegmentCluster cluster, Conditions conditions) {
        this.definitions = Objects.requireNonNull(definitions, "definitions");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.conditions = Objects.requireNonNull(conditions, "conditions");
    }

    static void register(
            Routes routes,
            SegmentDefinitions definitions,
            SegmentCluster cluster,
            Conditions conditions,
            AdminAuth auth) {
        SegmentRoutes handlers = new SegmentRoutes(definitions, cluster, conditions);
        routes.before(SEGMENTS, auth::filter)
                .before(SEGMENTS + "/*", auth::filter)
                .get(SEGMENTS, handlers::list)
                .get(SEGMENT, handlers::get)
                .put(SEGMENT, handlers::put)
                .delete(SEGMENT, handlers::delete)
                .post(SEGMENT, handlers::postAction)
                .get(MEMBERS, handlers::members)
                .post(PREVIEW, ctx -> handlers.preview(ctx, ctx.pathParam("id")));
    }

    private void list(Context ctx) {
        List<SegmentEntry> all = definitions.all();
        Map<String, Long> sizes = cluster.sizes();
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (SegmentEntry entry : all) {
            ObjectNode json = entry.toJson();
            json.put("size", sizes.getOrDefault(entry.id(), 0L));
            out.add(json);
        }
        ctx.json(out);
    }

    private void get(Context ctx) {
        String id = validId(ctx.pathParam("id"));
        SegmentEntry entry = definitions.find(id).orElseThrow(() -> notFound(id));
        ctx.json(entry.toJson());
    }

    private void put(Context ctx) throws IOException {
        String id = validId(ctx.pathParam("id"));
        // refused before the body is read: the answer does not depend on it
        definitions.requireNotConfigured(id);
        SegmentRequest request = SegmentRequest.parse(id, body(ctx));
        if (!compiles(ctx, request.condition())) {
            return;
        }
        SegmentDefinitions.Outcome outcome = definitions.put(id, request);
        if (outcome.created()) {
            ctx.status(201).header("Location", SEGMENTS + "/" + id);
        }
        ctx.json(outcome.entry().toJson());
    }

    private void delete(Context ctx) {
        String id = validId(ctx.pathParam("id"));
        if (!definitions.delete(id)) {
            throw notFound(id);
        }
        ctx.status(204);
    }

    /** {@code POST /v1/segments/{id}:preview}; any other POST on a segment is refused. */
    private void postAction(Context ctx) throws IOException {
        String path = ctx.pathParam("id");
        if (!path.endsWith(PREVIEW_SUFFIX)) {
            throw new HttpProblem(
                    405,
                    "method_not_allowed",
                    "POST " + SEGMENTS + "/<id> is not a route: use PUT to save a segment, POST " + SEGMENTS
                            + "/<id>:preview to preview one");
        }
        preview(ctx, path.substring(0, path.length() - PREVIEW_SUFFIX.length()));
    }

    private void preview(Context ctx, String rawId) throws IOException {
        String id = validId(rawId);
        Duration timeout = previewTimeout(ctx.queryParam("timeoutMs"));
        SegmentRequest request = SegmentRequest.parse(id, body(ctx));
        SegmentCondition condition;
        try {
            condition = conditions.compile(request.condition());
        } catch (InvalidConditionException e) {
            invalidCondition(ctx, e);
            return;
        }
        SegmentCluster.Preview preview = cluster.preview(condition, timeout);
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id);
        json.put("condition", condition.expression());
        json.put("size", preview.total().matched());
        preview.total().sample().forEach(json.putArray("sample")::add);
        json.put("scanned", preview.total().scanned());
        json.put("errors", preview.total().errors());
        json.put("partial", preview.partial());
        preview.reasons().forEach(json.putArray("reasons")::add);
        json.put("tookMs", preview.took().toMillis());
        ctx.json(json);
    }

    private void members(Context ctx) {
        String id = validId(ctx.pathParam("id"));
        int limit = limit(ctx.queryParam("limit"));
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && cursor.isEmpty()) {
            cursor = null;
        }
        if (definitions.find(id).isEmpty()) {
            throw notFound(id);
        }
        MembersAnswer.Page page = cluster.members(id, cursor, limit);
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("id", id);
        page.members().forEach(json.putArray("members")::add);
        json.put("nextCursor", page.nextCursor());
        ctx.json(json);
    }

    /** Compiles a condition; when it does not compile, answers 400 and returns false. */
    private boolean compiles(Context ctx, String condition) {
        try {
            conditions.compile(condition);
            return true;
        } catch (InvalidConditionException e) {
            invalidCondition(ctx, e);
            return false;
        }
    }

    /**
     * 400 {@code {"error":"invalid_condition","message","line","column","problems":[{"line","column",
     * "message"}]}}: the first problem's position, 1-based, and every problem found.
     */
    static void invalidCondition(Context ctx, InvalidConditionException e) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("error", "invalid_condition");
        json.put("message", e.getMessage());
        json.put("line", e.line());
        json.put("column", e.column());
        ArrayNode problems = json.putArray("problems");
        for (InvalidConditionException.Problem problem : e.problems()) {
            problems.addObject()
                    .put("line", problem.line())
                    .put("column", problem.column())
                    .put("message", problem.message());
        }
        ctx.status(400).json(json);
    }

    /** The request body as JSON; a body that is not JSON is answered 400 {@code invalid_json} by the server. */
    private static JsonNode body(Context ctx) throws IOException {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            throw HttpProblem.badRequest(
                    "invalid_request", "the body must be a JSON object with at least \"condition\"");
        }
        return Json.mapper().readTree(bytes);
    }

    static String validId(String id) {
        if (!Segment.isValidId(id)) {
            throw HttpProblem.badRequest(
                    "invalid_id",
                    "a segment id is 1 to 63 lower-case letters, digits and '-', starting with a letter or digit"
                            + " ([a-z0-9][a-z0-9-]{0,62}); got \"" + abbreviate(id) + "\"");
        }
        return id;
    }

    static int limit(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpProblem.badRequest("invalid_request", "limit must be a number from 1 to " + MAX_LIMIT);
    }

    static Duration previewTimeout(String raw) {
        if (raw == null || raw.isEmpty()) {
            return DEFAULT_PREVIEW_TIMEOUT;
        }
        try {
            long millis = Long.parseLong(raw);
            if (millis >= 1 && millis <= MAX_PREVIEW_TIMEOUT.toMillis()) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw HttpProblem.badRequest(
                "invalid_request",
                "timeoutMs must be a number of milliseconds from 1 to " + MAX_PREVIEW_TIMEOUT.toMillis());
    }

    private static HttpProblem notFound(String id) {
        return HttpProblem.notFound("no segment " + id);
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
