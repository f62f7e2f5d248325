package io.cxflow.activation.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.channel.email.TrackingLinks;
import io.cxflow.activation.feedback.DeliveryReceipt;
import io.cxflow.activation.feedback.Feedback;
import io.cxflow.activation.feedback.FeedbackWriteException;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.http.Routes;
import io.javalin.http.Context;
import java.util.Base64;
import java.util.Optional;

/**
 * The public feedback endpoints of activation — reached by providers, mail clients and customers,
 * so they carry no admin token; each checks its own signature or token instead:
 *
 * <ul>
 *   <li>{@code POST /v1/feedback/{channel}} — delivery receipts, signed with {@code X-Cx-Signature};
 *   <li>{@code GET /t/o/{token}.gif} — the open pixel (a 1×1 transparent GIF, never cached);
 *   <li>{@code GET /t/c/{token}?u=<url>} — the click redirect ({@code 302} to {@code u} when the token
 *       was signed for it);
 *   <li>{@code GET /v1/unsubscribe?token=} — a page asking to confirm; {@code POST /v1/unsubscribe?token=}
 *       — the unsubscribe itself (also RFC 8058 one-click {@code POST}s from mail clients).
 * </ul>
 *
 * Invalid tokens are {@code 404} with the same answer whatever is wrong with them. {@code HEAD}
 * requests of the tracking endpoints (link scanners) answer like {@code GET} but record nothing.
 */
public final class FeedbackRoutes {

    public static final String RECEIPTS = "/v1/feedback/{channel}";
    public static final String PIXEL = TrackingLinks.OPEN_PATH + "{file}";
    public static final String CLICK = TrackingLinks.CLICK_PATH + "{token}";
    public static final String UNSUBSCRIBE = "/v1/unsubscribe";

    /** The 1×1 transparent GIF of the open pixel (43 bytes). */
    static final byte[] PIXEL_GIF =
            Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    private static final String NO_CACHE = "no-store, no-cache, must-revalidate, max-age=0";
    private static final String NOT_FOUND = "no such link";

    private final Feedback feedback;

    private FeedbackRoutes(Feedback feedback) {
        this.feedback = feedback;
    }

    /** Whether {@code path} is a public feedback path under {@code /v1} (no admin token). */
    public static boolean isPublic(String path) {
        return path.startsWith("/v1/feedback/") || path.equals(UNSUBSCRIBE);
    }

    /** Registers the endpoints. */
    public static void register(Routes routes, Feedback feedback) {
        FeedbackRoutes api = new FeedbackRoutes(feedback);
        routes.post(RECEIPTS, api::receipts);
        routes.get(PIXEL, ctx -> api.pixel(ctx, true));
        routes.head(PIXEL, ctx -> api.pixel(ctx, false));
        routes.get(CLICK, ctx -> api.click(ctx, true));
        routes.head(CLICK, ctx -> api.click(ctx, false));
        routes.get(UNSUBSCRIBE, api::unsubscribePage);
        routes.post(UNSUBSCRIBE, api::unsubscribe);
        routes.exception(Feedback.InvalidReceipts.class, (e, ctx) -> invalidReceipts(ctx, e));
    }

    private void receipts(Context ctx) throws InterruptedException {
        Feedback.ReceiptAnswer answer =
                feedback.receipts(ctx.pathParam("channel"), ctx.bodyAsBytes(), ctx.header(RequestSigner.HEADER));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("accepted", answer.accepted());
        ArrayNode ignored = out.putArray("ignored");
        for (Feedback.Ignored i : answer.ignored()) {
            ignored.addObject()
                    .put("index", i.index())
                    .put("idempotencyKey", i.idempotencyKey())
                    .put("reason", i.reason());
        }
        problems(out.putArray("rejected"), answer.rejected());
        ctx.status(200).json(out);
    }

    private static void invalidReceipts(Context ctx, Feedback.InvalidReceipts e) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("error", "invalid_receipts");
        out.put("message", e.getMessage());
        problems(out.putArray("rejected"), e.problems());
        ctx.status(400).json(out);
    }

    private static void problems(ArrayNode out, java.util.List<DeliveryReceipt.Problem> problems) {
        for (DeliveryReceipt.Problem p : problems) {
            out.addObject().put("index", p.index()).put("field", p.field()).put("message", p.message());
        }
    }

    private void pixel(Context ctx, boolean record) {
        String file = ctx.pathParam("file");
        String token = file.endsWith(TrackingLinks.PIXEL_SUFFIX)
                ? file.substring(0, file.length() - TrackingLinks.PIXEL_SUFFIX.length())
                : null;
        boolean valid = record ? feedback.open(token) : feedback.isOpenToken(token);
        if (!valid) {
            throw HttpProblem.notFound(NOT_FOUND);
        }
        noCache(ctx);
        ctx.status(200).contentType("image/gif").result(PIXEL_GIF);
    }

    private void click(Context ctx, boolean record) {
        String token = ctx.pathParam("token");
        String url = ctx.queryParam(TrackingLinks.URL_PARAMETER);
        Optional<String> target = record ? feedback.click(token, url) : feedback.clickTarget(token, url);
        if (target.isEmpty()) {
            throw HttpProblem.notFound(NOT_FOUND);
        }
        noCache(ctx);
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Location", target.get());
        ctx.status(302);
    }

    private void unsubscribePage(Context ctx) {
        String token = ctx.queryParam("token");
        if (!feedback.isUnsubscribeToken(token)) {
            page(ctx, 404, "Link not valid", "<p>This unsubscribe link is not valid.</p>");
            return;
        }
        page(
                ctx,
                200,
                "Unsubscribe",
                "<p>Stop receiving these emails?</p><form method=\"post\">"
                        + "<input type=\"hidden\" name=\"token\" value=\"" + escape(token) + "\">"
                        + "<button type=\"submit\">Unsubscribe</button></form>");
    }

    private void unsubscribe(Context ctx) throws InterruptedException {
        String token = ctx.queryParam("token");
        if (token == null) {
            token = ctx.formParam("token");
        }
        Feedback.Unsubscribe outcome;
        try {
            outcome = feedback.unsubscribe(token);
        } catch (FeedbackWriteException e) {
            ctx.header("Retry-After", "5");
            page(ctx, 503, "Please try again", "<p>We could not record your request just now. Please try again.</p>");
            return;
        }
        switch (outcome) {
            case DONE, DELETED ->
                page(
                        ctx,
                        200,
                        "Unsubscribed",
                        "<p>You are unsubscribed: you will receive no more of these emails.</p>");
            case INVALID -> page(ctx, 404, "Link not valid", "<p>This unsubscribe link is not valid.</p>");
            case UNKNOWN_CUSTOMER ->
                page(
                        ctx,
                        404,
                        "Link not recognised",
                        "<p>We could not find who this link belongs to. Please reply to the email to unsubscribe.</p>");
        }
    }

    private static void page(Context ctx, int status, String title, String body) {
        noCache(ctx);
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("X-Robots-Tag", "noindex");
        ctx.status(status)
                .contentType("text/html; charset=utf-8")
                .result("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + title
                        + "</title><meta name=\"viewport\" content=\"width=device-width\"></head><body>" + body
                        + "</body></html>");
    }

    private static void noCache(Context ctx) {
        ctx.header("Cache-Control", NO_CACHE);
        ctx.header("Pragma", "no-cache");
        ctx.header("Expires", "0");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("\"", "&quot;")
                .replace("<", "&lt;")
                .replace(">", "&gt;");
    }
}
