package io.cxflow.platform.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.ExceptionHandler;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a service registers on its {@link HttpServer}: handlers by method and path template ({@code
 * /v1/profiles/{customerId}}), filters, and mappings of its own exceptions. Handlers receive Javalin's
 * {@link io.javalin.http.Context}; to refuse a request, throw {@link HttpProblem}.
 *
 * <p>The paths {@code /health/...} and {@code /metrics} belong to the server and cannot be registered.
 * A {@code Routes} is only usable inside the callback given to {@link HttpServer#start}.
 */
public final class Routes {

    private final RoutesConfig routes;
    private final List<String> registered = new ArrayList<>();
    private boolean open = true;

    Routes(RoutesConfig routes) {
        this.routes = routes;
    }

    public Routes get(String path, Handler handler) {
        return add(HandlerType.GET, path, handler);
    }

    public Routes post(String path, Handler handler) {
        return add(HandlerType.POST, path, handler);
    }

    public Routes put(String path, Handler handler) {
        return add(HandlerType.PUT, path, handler);
    }

    public Routes patch(String path, Handler handler) {
        return add(HandlerType.PATCH, path, handler);
    }

    public Routes delete(String path, Handler handler) {
        return add(HandlerType.DELETE, path, handler);
    }

    /** An {@code OPTIONS} handler, e.g. a CORS preflight answer. */
    public Routes options(String path, Handler handler) {
        return add(HandlerType.OPTIONS, path, handler);
    }

    /** An explicit {@code HEAD} handler (without one, {@code HEAD} of a {@code GET} route is answered by the server). */
    public Routes head(String path, Handler handler) {
        return add(HandlerType.HEAD, path, handler);
    }

    /**
     * A filter run before the handlers of matching paths ({@code /v1/*}), e.g. authentication. It may
     * throw {@link HttpProblem}; the route's handler then does not run.
     */
    public Routes before(String pathPattern, Handler filter) {
        checkOpen();
        checkPath(pathPattern);
        routes.beforeMatched(pathPattern, Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /**
     * Maps an exception type of the service to a response. The most specific registered type wins;
     * unmapped exceptions become a 500 {@code internal_error} without details.
     */
    public <E extends Exception> Routes exception(Class<E> type, ExceptionHandler<? super E> handler) {
        checkOpen();
        Objects.requireNonNull(type, "type");
        if (type == Exception.class || type == HttpProblem.class) {
            throw new IllegalArgumentException(type.getSimpleName() + " is mapped by the server");
        }
        routes.exception(type, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    private Routes add(HandlerType method, String path, Handler handler) {
        checkOpen();
        checkPath(path);
        routes.addHttpHandler(method, path, Objects.requireNonNull(handler, "handler"));
        registered.add(method + " " + path);
        return this;
    }

    private void checkOpen() {
        if (!open) {
            throw new IllegalStateException("routes can only be registered while the server is being built");
        }
    }

    private static void checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("paths start with '/': " + path);
        }
        if (HttpServer.isReserved(path)) {
            throw new IllegalArgumentException(path + " is served by the platform (health and metrics)");
        }
    }

    void close() {
        open = false;
    }

    List<String> registered() {
        return List.copyOf(registered);
    }
}
