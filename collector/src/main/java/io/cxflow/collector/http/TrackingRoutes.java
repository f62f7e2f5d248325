package io.cxflow.collector.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.collector.source.Sources;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.http.Routes;
import io.cxflow.platform.json.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Binds the {@link TrackingApi} to the HTTP server: {@code POST /v1/track|identify|page|screen|group|alias|
 * batch|import}, the short paths {@code /v1/t|i|p|s|g|a|b}, and CORS preflight ({@code OPTIONS}) on each.
 */
public final class TrackingRoutes {

    private static final ObjectMapper JSON = Json.mapper();
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Content-Encoding";
    private static final Set<String> ALLOWED_HEADER_NAMES = Set.of("authorization", "content-type", "content-encoding");

    private final TrackingApi api;
    private final Sources sources;
    private final boolean trustForwardedFor;
    private final String corsMaxAge;

    private TrackingRoutes(TrackingApi api, Sources sources, boolean trustForwardedFor, Duration corsMaxAge) {
        this.api = api;
        this.sources = sources;
        this.trustForwardedFor = trustForwardedFor;
        this.corsMaxAge = Long.toString(corsMaxAge.toSeconds());
    }

    /**
     * Registers every tracking route.
     *
     * @param trustForwardedFor take the client address from {@code X-Forwarded-For}
     * @param corsMaxAge how long browsers may cache a preflight answer
     */
    public static void register(
            Routes routes, TrackingApi api, Sources sources, boolean trustForwardedFor, Duration corsMaxAge) {
        TrackingRoutes r = new TrackingRoutes(api, sources, trustForwardedFor, corsMaxAge);
        for (Route route : Route.values()) {
            routes.post(route.path(), ctx -> r.handle(route, ctx));
            routes.options(route.path(), r::preflight);
            if (route.shortPath() != null) {
                routes.post(route.shortPath(), ctx -> r.handle(route, ctx));
                routes.options(route.shortPath(), r::preflight);
            }
        }
    }

    private void handle(Route route, Context ctx) throws IOException {
        TrackingApi.Request request = new TrackingApi.Request(
                ctx.header("Authorization"),
                ctx.header("Origin"),
                ctx.header("Content-Encoding"),
                ctx.req().getContentLengthLong(),
                ctx.req().getInputStream(),
                clientIp(ctx));
        TrackingApi.Response response = api.handle(route, request);
        response.headers().forEach(ctx::header);
        ctx.status(response.status()).contentType("application/json").result(json(response));
    }

    private static byte[] json(TrackingApi.Response response) {
        try {
            return JSON.writeValueAsBytes(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a response", e);
        }
    }

    /** CORS preflight: allowed when some enabled source accepts the origin; the request itself is checked per source. */
    private void preflight(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            ctx.status(204);
            return;
        }
        if (!sources.anyAllowsOrigin(origin)) {
            throw new HttpProblem(403, "origin_not_allowed", "no source accepts requests from that origin");
        }
        String requested = ctx.header("Access-Control-Request-Headers");
        if (requested != null) {
            for (String h : requested.split(",")) {
                String name = h.strip().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !ALLOWED_HEADER_NAMES.contains(name)) {
                    throw new HttpProblem(403, "header_not_allowed", "request header '" + name + "' is not allowed");
                }
            }
        }
        ctx.header("Access-Control-Allow-Origin", origin);
        ctx.header("Access-Control-Allow-Methods", "POST, OPTIONS");
        ctx.header("Access-Control-Allow-Headers", ALLOWED_HEADERS);
        ctx.header("Access-Control-Max-Age", corsMaxAge);
        ctx.header("Vary", "Origin, Access-Control-Request-Headers");
        ctx.status(204);
    }

    private String clientIp(Context ctx) {
        if (trustForwardedFor) {
            String forwarded = ctx.header("X-Forwarded-For");
            if (forwarded != null && !forwarded.isBlank()) {
                int comma = forwarded.indexOf(',');
                return (comma < 0 ? forwarded : forwarded.substring(0, comma)).strip();
            }
        }
        return ctx.req().getRemoteAddr();
    }
}
