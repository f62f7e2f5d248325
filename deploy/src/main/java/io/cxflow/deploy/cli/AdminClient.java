package io.cxflow.deploy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine;

/**
 * The admin API of a cxflow service (analytics' segments, activation's workflows) as the command line
 * calls it: one request per call, the admin token as a bearer token, JSON in and out, and every
 * failure turned into a {@link CliFailure} whose message says what went wrong and what to do. The
 * service-specific clients ({@link SegmentsClient}, {@link WorkflowsClient}) name their routes and
 * explain their own error codes through {@link Errors}.
 */
final class AdminClient implements AutoCloseable {

    /** The environment variable holding the admin token. */
    static final String TOKEN_ENV = "CX_ADMIN_TOKEN";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> LOCAL_HOSTS = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

    /** What the service answered: the status and the JSON body (null for an empty body). */
    record Answer(int status, JsonNode body) {}

    /** Explains a service's own error answers; returns null to leave an answer to the generic text. */
    @FunctionalInterface
    interface Errors {
        CliFailure explain(int status, String code, String message, JsonNode body);

        Errors NONE = (status, code, message, body) -> null;
    }

    private final String service;
    private final String baseUrl;
    private final String token;
    private final Errors errors;
    private final HttpClient http;

    /**
     * @param service the service's name in messages, e.g. {@code analytics}
     * @param baseUrl {@code http://host:port} of an instance
     * @param token the admin token
     * @param errors explains the service's own error codes
     */
    AdminClient(String service, String baseUrl, String token, Errors errors) {
        this.service = Objects.requireNonNull(service, "service");
        this.baseUrl = stripSlash(Objects.requireNonNull(baseUrl, "baseUrl"));
        this.token = Objects.requireNonNull(token, "token");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * The host of {@code url}, after checking that it is an http(s) base URL.
     *
     * @throws CommandLine.ParameterException naming --url otherwise
     */
    static String host(String url, CommandLine cli) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new CommandLine.ParameterException(cli, "--url is not a URL: " + url);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new CommandLine.ParameterException(
                    cli, "--url must be http://host:port or https://host:port, not " + url);
        }
        return uri.getHost();
    }

    /**
     * The admin token: {@code given} (--token), else {@value #TOKEN_ENV} from {@code env}, else the
     * development token when the service is on this machine.
     *
     * @throws CommandLine.ParameterException when --token is empty, or no token is known for a remote
     *     service
     */
    static String token(
            String given, String host, Map<String, String> env, CommandLine cli, String service, String url) {
        if (given != null) {
            if (given.isBlank()) {
                throw new CommandLine.ParameterException(cli, "--token must not be empty");
            }
            return given;
        }
        String fromEnv = env.get(TOKEN_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv;
        }
        if (LOCAL_HOSTS.contains(host)) {
            return CommonConfig.DEV_ADMIN_TOKEN;
        }
        throw new CommandLine.ParameterException(
                cli, service + " at " + url + " is not local: give its admin token with --token or " + TOKEN_ENV);
    }

    /**
     * Sends a request; a 2xx answer is returned, anything else becomes a {@link CliFailure} naming the
     * error the service gave.
     */
    Answer send(String method, String path, JsonNode body) {
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
            throw new CliFailure("cannot reach " + service + " at " + baseUrl + " (connection refused). Is it running"
                    + " ('cx up')? Another address: --url http://host:port");
        } catch (HttpConnectTimeoutException e) {
            throw new CliFailure("cannot reach " + service + " at " + baseUrl + " (no connection within "
                    + CONNECT_TIMEOUT.toSeconds() + " s). Another address: --url http://host:port");
        } catch (HttpTimeoutException e) {
            throw new CliFailure(
                    service + " at " + baseUrl + " did not answer within " + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new CliFailure("cannot talk to " + service + " at " + baseUrl + ": " + describe(e));
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
            // the token is always sent: a 401 means it was missing on the way or not the admin token
            return new CliFailure(service + " did not accept the admin token: give the right one with --token TOKEN"
                    + " or set " + TOKEN_ENV);
        }
        if (status == 403) {
            return new CliFailure(
                    service + " refused the admin token: give the right one with --token or " + TOKEN_ENV);
        }
        CliFailure specific = errors.explain(status, code, message, json);
        if (specific != null) {
            return specific;
        }
        if (status == 404 && code.isEmpty()) {
            return new CliFailure(
                    service + " at " + baseUrl + " has no " + path + " (is this the " + service + " address? --url)");
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

    private JsonNode parse(HttpResponse<String> response) {
        String body = response.body();
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new CliFailure(service + " answered HTTP " + response.statusCode() + " with a body that is not JSON");
        }
    }

    private static String describe(Exception e) {
        return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** {@code text} percent-encoded as one path segment or query value. */
    static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
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
