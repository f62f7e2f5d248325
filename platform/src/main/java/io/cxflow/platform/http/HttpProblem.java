package io.cxflow.platform.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A request that cannot be served, answered as {@code {"error": "<code>", "message": "<what and why>"}}
 * with {@link #status()}. Handlers throw it; {@link HttpServer} renders it. The message is shown to the
 * client: say what was wrong and why, never include secrets or another customer's data.
 */
public class HttpProblem extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9_]*");

    private final int status;
    private final String code;
    private final transient Map<String, String> headers;

    /**
     * @param status an HTTP status from 400 to 599
     * @param code a stable, machine-readable snake_case code, e.g. {@code invalid_event}
     * @param message a human-readable explanation
     */
    public HttpProblem(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    /**
     * @param headers response headers to send with the problem, e.g. {@code WWW-Authenticate} or {@code
     *     Retry-After}
     */
    public HttpProblem(int status, String code, String message, Map<String, String> headers) {
        super(Objects.requireNonNull(message, "message"), null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem has a 4xx or 5xx status: " + status);
        }
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("problem codes are snake_case: " + code);
        }
        this.status = status;
        this.code = code;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** A copy with one more response header. */
    public HttpProblem withHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new HttpProblem(status, code, getMessage(), more);
    }

    /** 400 with the given code. */
    public static HttpProblem badRequest(String code, String message) {
        return new HttpProblem(400, code, message);
    }

    /** 401 {@code unauthorized}. */
    public static HttpProblem unauthorized(String message) {
        return new HttpProblem(401, "unauthorized", message);
    }

    /** 403 {@code forbidden}. */
    public static HttpProblem forbidden(String message) {
        return new HttpProblem(403, "forbidden", message);
    }

    /** 404 {@code not_found}. */
    public static HttpProblem notFound(String message) {
        return new HttpProblem(404, "not_found", message);
    }

    /** 409 with the given code. */
    public static HttpProblem conflict(String code, String message) {
        return new HttpProblem(409, code, message);
    }

    /** 503 {@code unavailable}: the service cannot serve now; the client may retry. */
    public static HttpProblem unavailable(String message) {
        return new HttpProblem(503, "unavailable", message);
    }

    /** The code cxflow uses for a status when nothing more specific is known. */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 408 -> "request_timeout";
            case 409 -> "conflict";
            case 411 -> "length_required";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "unprocessable";
            case 429 -> "too_many_requests";
            case 500 -> "internal_error";
            case 501 -> "not_implemented";
            case 502 -> "bad_gateway";
            case 503 -> "unavailable";
            case 504 -> "gateway_timeout";
            default -> status >= 500 ? "server_error" : "client_error";
        };
    }
}
