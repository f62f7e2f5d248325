package io.cxflow.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.platform.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The segments API of analytics ({@code /v1/segments}) as the command line calls it: one request per
 * call, the admin token as a bearer token, and every failure turned into a {@link CliFailure} whose
 * message says what went wrong and what to do.
 */
final class SegmentsClient implements AutoCloseable {

    /** What analytics answered: the status and the JSON body (null for an empty body). */
    record Answer(int status, JsonNode body) {}

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String baseUrl;
    private final String token;
    private final HttpClient http;

    /**
     * @param baseUrl {@code http://host:port} of an analytics instance
     * @param token the admin token
     */
    SegmentsClient(String baseUrl, String token) {
        this.baseUrl = stripSlash(Objects.requireNonNull(baseUrl, "baseUrl"));
        this.token = Objects.requireNonNull(token, "token");
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Answer list() {
        return send("GET", "/v1/segments", null);
    }

    Answer get(String id) {
        return send("GET", "/v1/segments/" + encode(id), null);
    }

    Answer put(String id, JsonNode body) {
        return send("PUT", "/v1/segments/" + encode(id), body);
    }

    Answer delete(String id) {
        return send("DELETE", "/v1/segments/" + encode(id), null);
    }

    Answer preview(String id, JsonNode body, long timeoutMs) {
        return send("POST", "/v1/segments/" + encode(id) + ":preview?timeoutMs=" + timeoutMs, body);
    }

    Answer members(String id, int limit, String cursor) {
        return send(
                "GET",
                "/v1/segments/" + encode(id) + "/members?limit=" + limit
                        + (cursor == null ? "" : "&cursor=" + encode(cursor)),
                null);
    }

    /**
     * Sends a request; a 2xx answer is returned, anything else becomes a {@link CliFailure} naming the
     * error analytics gave.
     */
    private Answer send(String method, String path, JsonNode body) {
        URI uri = URI.create(baseUrl + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException e) {
            throw new CliFailure("cannot reach analytics at " + baseUrl + " (connection refused). Is it running"
                    + " ('cx up')? Another address: --url http://host:port");
        } catch (HttpConnectTimeoutException e) {
            throw new CliFailure("cannot reach analytics at " + baseUrl + " (no connection within "
                    + CONNECT_TIMEOUT.toSeconds() + " s). Another address: --url http://host:port");
        } catch (HttpTimeoutException e) {
            throw new CliFailure(
                    "analytics at " + baseUrl + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new CliFailure("cannot talk to analytics at " + baseUrl + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliFailure("interrupted");
        }
        JsonNode json = parse(response);
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new Answer(status, json);
        }
        throw failure(method, path, status, json);
    }

    private CliFailure failure(String method, String path, int status, JsonNode json) {
        String code = json == null ? "" : json.path("error").asText("");
        String message = json == null ? "" : json.path("message").asText("");
        if (status == 401) {
            return new CliFailure("analytics wants the admin token: give --token TOKEN or set CX_ADMIN_TOKEN");
        }
        if (status == 403) {
            return new CliFailure(
                    "analytics refused the admin token: give the right one with --token or CX_ADMIN_TOKEN");
        }
        if (code.equals("invalid_condition")) {
            return new CliFailure("the condition does not compile, at line "
                    + json.path("line").asInt() + ", column "
                    + json.path("column").asInt() + ":\n" + message);
        }
        if (status == 404 && code.isEmpty()) {
            return new CliFailure(
                    "analytics at " + baseUrl + " has no " + path + " (is this the analytics address? --url)");
        }
        StringBuilder text = new StringBuilder();
        text.append(message.isEmpty() ? method + " " + path + " failed" : message)
                .append(" (HTTP ")
                .append(status)
                .append(code.isEmpty() ? "" : " " + code)
                .append(')');
        if (status == 503) {
            text.append("; retry in a moment");
        }
        return new CliFailure(text.toString());
    }

    private static JsonNode parse(HttpResponse<String> response) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new CliFailure("analytics answered HTTP " + response.statusCode() + " with a body that is not JSON");
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    @Override
    public void close() {
        http.close();
    }

    /** A failure the command line reports as {@code cx: <message>} with exit code 1. */
    static final class CliFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CliFailure(String message) {
            super(message, null, false, false);
        }
    }
}
