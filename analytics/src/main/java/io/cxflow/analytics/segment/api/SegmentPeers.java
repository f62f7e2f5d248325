package io.cxflow.analytics.segment.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.analytics.query.QueryAddress;
import io.cxflow.platform.http.AdminAuth;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks another instance of the application, through its internal segment routes ({@link
 * SegmentInternalRoutes}), for its part of an answer. Calls carry the admin token (every instance is
 * configured with the same one). A peer that cannot be reached in time, or answers 503, makes the
 * answer unavailable (503); a peer that answers anything else unusable makes it a 502 {@code
 * bad_gateway}. Each call completes its future with the answer or with that {@link HttpProblem}.
 */
final class SegmentPeers implements AutoCloseable {

    /** Connect timeout of a call to another instance. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    /** Whole-request timeout of a sizes or members call. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http;
    private final String authorization;

    SegmentPeers(String adminToken) {
        this.authorization = "Bearer " + adminToken;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    CompletableFuture<SizeAnswer> sizes(HostInfo peer) {
        return call(peer, get(peer, SegmentInternalRoutes.SIZES), REQUEST_TIMEOUT, SizeAnswer::fromJson);
    }

    CompletableFuture<MembersAnswer> members(HostInfo peer, String segmentId, String cursor, int limit) {
        String query = SegmentInternalRoutes.SEGMENT + "=" + encode(segmentId) + "&" + SegmentInternalRoutes.LIMIT + "="
                + limit + (cursor == null ? "" : "&" + SegmentInternalRoutes.CURSOR + "=" + encode(cursor));
        return call(
                peer, get(peer, SegmentInternalRoutes.MEMBERS + "?" + query), REQUEST_TIMEOUT, MembersAnswer::fromJson);
    }

    /** Asks a peer to evaluate {@code condition} on its profiles for at most {@code budget}. */
    CompletableFuture<PreviewAnswer> preview(HostInfo peer, String condition, Duration budget) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("condition", condition);
        body.put("budgetMs", budget.toMillis());
        HttpRequest.Builder request = request(peer, SegmentInternalRoutes.PREVIEW)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        // the peer stops scanning at the budget; the margin is for the round trip
        return call(peer, request, budget.plus(REQUEST_TIMEOUT), PreviewAnswer::fromJson);
    }

    private HttpRequest.Builder get(HostInfo peer, String pathAndQuery) {
        return request(peer, pathAndQuery).GET();
    }

    private HttpRequest.Builder request(HostInfo peer, String pathAndQuery) {
        return HttpRequest.newBuilder(URI.create("http://" + QueryAddress.of(peer) + pathAndQuery))
                .header("Accept", "application/json")
                .header(AdminAuth.HEADER, authorization);
    }

    private <T> CompletableFuture<T> call(
            HostInfo peer, HttpRequest.Builder request, Duration timeout, Function<JsonNode, T> parse) {
        String address = QueryAddress.of(peer);
        return http.sendAsync(
                        request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, failure) -> {
                    if (failure != null) {
                        throw new CompletionException(unreachable(address, timeout, unwrap(failure)));
                    }
                    return answer(address, response, parse);
                });
    }

    private static <T> T answer(String address, HttpResponse<String> response, Function<JsonNode, T> parse) {
        int status = response.statusCode();
        if (status == 503) {
            throw new CompletionException(
                    SegmentNode.unavailable("instance " + address + " cannot answer now: " + errorOf(response)));
        }
        if (status != 200) {
            throw new CompletionException(
                    badGateway("instance " + address + " answered " + status + ": " + errorOf(response)));
        }
        try {
            return parse.apply(Json.mapper().readTree(response.body()));
        } catch (IOException | IllegalArgumentException e) {
            throw new CompletionException(
                    badGateway("instance " + address + " answered something unusable: " + e.getMessage()));
        }
    }

    private static HttpProblem unreachable(String address, Duration timeout, Throwable failure) {
        if (failure instanceof HttpTimeoutException) {
            return SegmentNode.unavailable(
                    "instance " + address + " did not answer within " + timeout.toMillis() + " ms");
        }
        return SegmentNode.unavailable("instance " + address + " cannot be reached: " + failure);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static HttpProblem badGateway(String message) {
        return new HttpProblem(502, "bad_gateway", message);
    }

    private static String errorOf(HttpResponse<String> response) {
        try {
            JsonNode json = Json.mapper().readTree(response.body());
            return json.path("error").asText("?") + " (" + json.path("message").asText("") + ")";
        } catch (IOException e) {
            return "a body that is not JSON";
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.close();
    }
}
