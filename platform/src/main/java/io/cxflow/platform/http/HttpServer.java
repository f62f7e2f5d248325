package io.cxflow.platform.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.cxflow.platform.json.Json;
import io.cxflow.platform.metrics.Metrics;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.util.JavalinBindException;
import io.javalin.validation.ValidationError;
import io.javalin.validation.ValidationException;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of every cxflow service: Javalin 7 on Jetty 12, one virtual thread per request.
 *
 * <p>Besides the service's own {@link Routes}, every server answers:
 *
 * <ul>
 *   <li>{@code GET /health/live} and {@code GET /health/ready}: 200 when every check of that kind is up,
 *       503 otherwise, with {@code {"service": …, "status": "UP"|"DOWN", "checks": {name: {"status": …,
 *       "detail": …}}}};
 *   <li>{@code GET /metrics}: the Prometheus text format (OpenMetrics when the scraper asks for it).
 * </ul>
 *
 * <p>Every error is JSON {@code {"error": "<code>", "message": "<what and why>"}}: an {@link HttpProblem}
 * with its status, 404 for an unknown path, 405 for a known path with another method, 400 for a body
 * that is not valid JSON or breaks the parsing limits of {@link Json}, 413 for a body over {@link
 * Settings#maxRequestBytes()}, and 500 {@code internal_error} for anything else: the stack trace is
 * logged with a reference that the response repeats, never sent.
 *
 * <p>Every request is timed in {@value Metrics#HTTP_SERVER_REQUESTS}, tagged by method, route template,
 * status and outcome.
 */
public final class HttpServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

    /** Readiness path. */
    public static final String READY_PATH = "/health/ready";
    /** Liveness path. */
    public static final String LIVE_PATH = "/health/live";
    /** Prometheus scrape path. */
    public static final String METRICS_PATH = "/metrics";

    private static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS_CONTENT_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    /**
     * How to run a server.
     *
     * @param serviceName the service, for logs and the health document (e.g. {@code collector})
     * @param host the address to bind, e.g. {@code 127.0.0.1}, or {@code 0.0.0.0} for every interface
     * @param port the port; 0 picks a free one
     * @param maxRequestBytes the largest request body accepted (413 beyond)
     */
    public record Settings(String serviceName, String host, int port, long maxRequestBytes) {

        /** Javalin's default, 1 MB: enough for a Segment batch (at most 500 KB). */
        public static final long DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;

        public Settings {
            Objects.requireNonNull(serviceName, "serviceName");
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
            }
            if (maxRequestBytes < 1) {
                throw new IllegalArgumentException("maxRequestBytes must be positive: " + maxRequestBytes);
            }
        }

        public static Settings of(String serviceName, String host, int port) {
            return new Settings(serviceName, host, port, DEFAULT_MAX_REQUEST_BYTES);
        }

        public Settings withMaxRequestBytes(long bytes) {
            return new Settings(serviceName, host, port, bytes);
        }
    }

    private final Settings settings;
    private final Javalin app;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HttpServer(Settings settings, Javalin app) {
        this.settings = settings;
        this.app = app;
    }

    /** Starts a server with {@link Settings#DEFAULT_MAX_REQUEST_BYTES}. */
    public static HttpServer start(
            String serviceName,
            String host,
            int port,
            Health health,
            PrometheusMeterRegistry registry,
            Consumer<Routes> routes) {
        return start(Settings.of(serviceName, host, port), health, registry, routes);
    }

    /**
     * Builds the routes, binds the port and returns once the server accepts connections.
     *
     * @param routes registers the service's handlers
     * @throws IllegalStateException when the port cannot be bound (the message names host and port)
     */
    public static HttpServer start(
            Settings settings, Health health, PrometheusMeterRegistry registry, Consumer<Routes> routes) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(routes, "routes");
        String service = settings.serviceName();
        AtomicReference<List<String>> registered = new AtomicReference<>(List.of());
        Javalin app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.prefer405over404 = true;
            cfg.http.maxRequestSize = settings.maxRequestBytes();
            cfg.jetty.host = settings.host();
            cfg.jetty.port = settings.port();
            cfg.jetty.modifyHttpConfiguration(http -> http.setSendServerVersion(false));
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), true));

            cfg.routes.get(LIVE_PATH, ctx -> health(ctx, service, health.live()));
            cfg.routes.get(READY_PATH, ctx -> health(ctx, service, health.ready()));
            cfg.routes.get(METRICS_PATH, ctx -> scrape(ctx, registry));

            cfg.routes.exception(HttpProblem.class, (e, ctx) -> {
                e.headers().forEach(ctx::header);
                problem(ctx, e.status(), e.code(), e.getMessage());
            });
            cfg.routes.exception(
                    HttpResponseException.class, (e, ctx) -> javalinProblem(e, ctx, settings.maxRequestBytes()));
            cfg.routes.exception(
                    ValidationException.class, (e, ctx) -> problem(ctx, 400, "invalid_request", validation(e)));
            cfg.routes.exception(JsonProcessingException.class, (e, ctx) -> problem(ctx, 400, "invalid_json", json(e)));
            cfg.routes.exception(JsonMappingException.class, HttpServer::mappingProblem);
            cfg.routes.exception(Exception.class, (e, ctx) -> unexpected(ctx, service, e));
            cfg.router.javaLangErrorHandler((res, error) -> fatal(res, service, error));

            cfg.requestLogger.http((ctx, ms) -> record(registry, ctx, ms));

            Routes serviceRoutes = new Routes(cfg.routes);
            routes.accept(serviceRoutes);
            serviceRoutes.close();
            registered.set(serviceRoutes.registered());
        });
        try {
            app.start();
        } catch (JavalinBindException e) {
            stopQuietly(app);
            throw new IllegalStateException(
                    service + " cannot listen on " + settings.host() + ":" + settings.port()
                            + ": the port is in use or the address is not local (" + rootMessage(e) + ")",
                    e);
        } catch (RuntimeException e) {
            stopQuietly(app);
            throw new IllegalStateException(
                    service + " HTTP server failed to start on " + settings.host() + ":" + settings.port() + ": "
                            + rootMessage(e),
                    e);
        }
        HttpServer server = new HttpServer(settings, app);
        log.info(
                "{} listening on {} ({} routes)",
                service,
                server.baseUrl(),
                registered.get().size());
        log.debug("{} routes: {}", service, registered.get());
        return server;
    }

    /** The bound port (the chosen one when the settings said 0). */
    public int port() {
        return app.port();
    }

    /** {@code http://<host>:<port>}, with {@code 127.0.0.1} when bound to every interface. */
    public String baseUrl() {
        String host = settings.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.isEmpty()) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port();
    }

    public String serviceName() {
        return settings.serviceName();
    }

    /** Stops accepting requests and closes connections; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            app.stop();
            log.info("{} HTTP server stopped", settings.serviceName());
        }
    }

    static boolean isReserved(String path) {
        String p = path.toLowerCase(Locale.ROOT);
        return p.equals("/health") || p.startsWith("/health/") || p.equals(METRICS_PATH) || p.startsWith("/metrics/");
    }

    // ------------------------------------------------------------------------------------- built-ins

    private static void health(Context ctx, String service, Health.Report report) {
        Map<String, Object> checks = new LinkedHashMap<>();
        report.checks().forEach((name, status) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", status.up() ? "UP" : "DOWN");
            if (status.detail() != null) {
                entry.put("detail", status.detail());
            }
            checks.put(name, entry);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("service", service);
        body.put("status", report.up() ? "UP" : "DOWN");
        body.put("checks", checks);
        ctx.header("Cache-Control", "no-store");
        ctx.status(report.up() ? 200 : 503).json(body);
    }

    private static void scrape(Context ctx, PrometheusMeterRegistry registry) {
        String accept = ctx.header("Accept");
        String contentType = accept != null && accept.contains("application/openmetrics-text")
                ? OPENMETRICS_CONTENT_TYPE
                : PROMETHEUS_CONTENT_TYPE;
        ctx.header("Cache-Control", "no-store");
        ctx.contentType(contentType).result(registry.scrape(contentType));
    }

    // ---------------------------------------------------------------------------------------- errors

    private static void problem(Context ctx, int status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        ctx.status(status).json(body);
    }

    private static void javalinProblem(HttpResponseException e, Context ctx, long maxRequestBytes) {
        int status = e.getStatus();
        String message = e.getMessage();
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        if (status == 404 && matched == null) {
            message = "no route for " + ctx.method() + " " + ctx.path();
        } else if (status == 405) {
            message = ctx.method() + " is not allowed on " + ctx.path();
        } else if (status == 413) {
            message = "request body is larger than the limit of " + maxRequestBytes + " bytes";
        }
        problem(ctx, status, HttpProblem.codeFor(status), message == null ? HttpProblem.codeFor(status) : message);
    }

    private static String validation(ValidationException e) {
        return e.getErrors().entrySet().stream()
                .map(entry -> entry.getKey() + ": "
                        + entry.getValue().stream()
                                .map(ValidationError::getMessage)
                                .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("; "));
    }

    /** The body is JSON but not of the expected shape, or a parse error surfaced through data binding. */
    private static void mappingProblem(JsonMappingException e, Context ctx) {
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException parse && !(cause instanceof JsonMappingException)) {
            problem(ctx, 400, "invalid_json", json(parse));
            return;
        }
        StringBuilder message = new StringBuilder("request body does not have the expected shape");
        String path = path(e.getPath());
        if (!path.isEmpty()) {
            message.append(" at ").append(path);
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            message.append(": expected ").append(describe(mismatch.getTargetType()));
        }
        problem(ctx, 400, "invalid_body", message.toString());
    }

    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** A type as a client thinks of it; Java class names stay on the server. */
    private static String describe(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
            return "a string";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum()) {
            return "one of "
                    + java.util.Arrays.stream(type.getEnumConstants())
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "));
        }
        return "an object";
    }

    private static String json(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where =
                at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return "request body is not valid JSON" + where + ": " + e.getOriginalMessage();
    }

    private static void unexpected(Context ctx, String service, Exception e) {
        String ref = reference();
        log.error("{} {} {} failed (ref {})", service, ctx.method(), routeOf(ctx), ref, e);
        problem(
                ctx,
                500,
                "internal_error",
                "the request failed unexpectedly; the server log has details under ref " + ref);
    }

    private static void fatal(HttpServletResponse res, String service, Error error) {
        String ref = reference();
        log.error("{} request failed with a JVM error (ref {})", service, ref, error);
        if (res.isCommitted()) {
            return;
        }
        try {
            res.reset();
            res.setStatus(500);
            res.setContentType("application/json");
            res.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", "internal_error");
            body.put("message", "the request failed unexpectedly; the server log has details under ref " + ref);
            res.getOutputStream().write(Json.mapper().writeValueAsBytes(body));
        } catch (IOException | IllegalStateException e) {
            log.debug("could not write the error response (ref {})", ref, e);
        }
    }

    private static String reference() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    // --------------------------------------------------------------------------------------- metrics

    private static void record(PrometheusMeterRegistry registry, Context ctx, Float ms) {
        int status = ctx.statusCode();
        Timer.builder(Metrics.HTTP_SERVER_REQUESTS)
                .description("HTTP requests served")
                .tag("method", ctx.method().name())
                .tag("route", routeOf(ctx))
                .tag("status", Integer.toString(status))
                .tag("outcome", outcome(status))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry)
                .record(Math.round(ms.doubleValue() * 1_000_000d), TimeUnit.NANOSECONDS);
    }

    private static String routeOf(Context ctx) {
        Endpoint matched = ctx.endpoints().matchedHttpEndpoint();
        if (matched != null) {
            return matched.path;
        }
        return ctx.statusCode() == 404 ? Metrics.ROUTE_NOT_FOUND : Metrics.ROUTE_UNMATCHED;
    }

    private static String outcome(int status) {
        if (status < 200) {
            return "INFORMATIONAL";
        }
        if (status < 300) {
            return "SUCCESS";
        }
        if (status < 400) {
            return "REDIRECTION";
        }
        return status < 500 ? "CLIENT_ERROR" : "SERVER_ERROR";
    }

    private static void stopQuietly(Javalin app) {
        try {
            app.stop();
        } catch (RuntimeException e) {
            log.debug("stopping a server that failed to start", e);
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
