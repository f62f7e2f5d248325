package io.cxflow.activation.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.history.ActivationJson;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.http.Routes;
import io.cxflow.platform.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dead-letter replay API (admin token, like every {@code /v1} route of activation):
 *
 * <ul>
 *   <li>{@code POST /v1/activations/dlq:retry} with {@code {"workflow"?, "channel"?, "customer"?, "since"?
 *       (ISO-8601 instant), "limit"? (default 1000), "dryRun"? (default false)}} — replays the matching failed
 *       decisions ({@link DlqReplay}); answers {@code {"requestId", "dryRun", "scanned", "summary": {"replayed",
 *       "alreadyDone", "skipped"}, "decisions": [{…dead letter…, "outcome", "detail"}]}};
 *   <li>{@code POST /v1/activations/ledger:lookup} with {@code {"keys": [...]}} (at most 10,000) — the ledger
 *       state of each decision: {@code {"entries": {"<key>": {"state", "at", "retry"?} | null}}}; a replay is
 *       finished once its key's entry carries the replay's {@code requestId} and is {@code DONE} or {@code FAILED}.
 * </ul>
 */
public final class DlqRoutes {

    public static final String RETRY = "/v1/activations/dlq:retry";
    public static final String LOOKUP = "/v1/activations/ledger:lookup";
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LOOKUP_KEYS = 10_000;

    private final DlqReplay replay;

    private DlqRoutes(DlqReplay replay) {
        this.replay = replay;
    }

    /** Registers the routes; the admin filter on {@code /v1/*} is registered by the workflow API. */
    public static void register(Routes routes, DlqReplay replay) {
        DlqRoutes api = new DlqRoutes(replay);
        routes.post(RETRY, api::retry);
        routes.post(LOOKUP, api::lookup);
        routes.exception(DlqReplay.ReplayException.class, (e, ctx) -> {
            ctx.header("Retry-After", "1");
            ctx.status(503)
                    .json(JsonNodeFactory.instance
                            .objectNode()
                            .put("error", "unavailable")
                            .put("message", e.getMessage()));
        });
    }

    private void retry(Context ctx) throws IOException, InterruptedException {
        JsonNode body = body(ctx);
        DlqReplay.Filter filter = new DlqReplay.Filter(
                text(body, "workflow"),
                text(body, "channel"),
                text(body, "customer"),
                instant(body, "since"),
                limit(body),
                bool(body, "dryRun"));
        DlqReplay.Report report = replay.replay(filter);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("requestId", report.requestId());
        out.put("dryRun", report.dryRun());
        out.put("scanned", report.scanned());
        ObjectNode summary = out.putObject("summary");
        summary.put(
                "replayed",
                report.count(report.dryRun() ? DlqReplay.Outcome.WOULD_REPLAY : DlqReplay.Outcome.REPLAYED));
        summary.put("alreadyDone", report.count(DlqReplay.Outcome.ALREADY_DONE));
        summary.put("skipped", report.count(DlqReplay.Outcome.SKIPPED));
        var decisions = out.putArray("decisions");
        for (DlqReplay.Item item : report.items()) {
            ObjectNode d = ActivationJson.render(item.deadLetter());
            d.put("outcome", item.outcome().name().toLowerCase(java.util.Locale.ROOT));
            d.put("detail", item.detail());
            decisions.add(d);
        }
        ctx.json(out);
    }

    private void lookup(Context ctx) throws IOException {
        JsonNode keys = body(ctx).path("keys");
        if (!keys.isArray()) {
            throw HttpProblem.badRequest("invalid_parameter", "keys must be an array of idempotency keys");
        }
        if (keys.size() > MAX_LOOKUP_KEYS) {
            throw HttpProblem.badRequest("invalid_parameter", "keys holds more than " + MAX_LOOKUP_KEYS + " keys");
        }
        List<String> list = new ArrayList<>();
        for (JsonNode key : keys) {
            if (!key.isTextual()) {
                throw HttpProblem.badRequest("invalid_parameter", "keys must hold strings only");
            }
            list.add(key.asText());
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode entries = out.putObject("entries");
        for (Map.Entry<String, Optional<DlqReplay.Lookup>> e :
                replay.lookup(list).entrySet()) {
            if (e.getValue().isEmpty()) {
                entries.putNull(e.getKey());
                continue;
            }
            DlqReplay.Lookup found = e.getValue().get();
            ObjectNode n = entries.putObject(e.getKey());
            n.put("state", found.state().name());
            n.put("at", found.at().toString());
            if (found.retry() != null) {
                n.put("retry", found.retry());
            }
        }
        ctx.json(out);
    }

    private static JsonNode body(Context ctx) throws IOException {
        byte[] bytes = ctx.bodyAsBytes();
        if (bytes.length == 0) {
            return JsonNodeFactory.instance.objectNode();
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw HttpProblem.badRequest("invalid_json", "the body is not JSON: " + e.getOriginalMessage());
        }
        if (body == null || !body.isObject()) {
            throw HttpProblem.badRequest("invalid_json", "the body must be a JSON object");
        }
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw HttpProblem.badRequest("invalid_parameter", field + " must be a non-empty string");
        }
        return n.asText();
    }

    private static Instant instant(JsonNode body, String field) {
        String text = text(body, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw HttpProblem.badRequest(
                    "invalid_parameter", field + " must be an ISO-8601 instant like 2026-11-23T08:00:00Z, not " + text);
        }
    }

    private static int limit(JsonNode body) {
        JsonNode n = body.path("limit");
        if (n.isMissingNode() || n.isNull()) {
            return DEFAULT_LIMIT;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1) {
            throw HttpProblem.badRequest("invalid_parameter", "limit must be a whole number of at least 1");
        }
        return n.asInt();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode n = body.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return false;
        }
        if (!n.isBoolean()) {
            throw HttpProblem.badRequest("invalid_parameter", field + " must be true or false");
        }
        return n.asBoolean();
    }
}
