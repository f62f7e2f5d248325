package io.cxflow.analytics.query;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks another instance of the same application, through its internal routes ({@link InternalRoutes}),
 * for a key that instance hosts. Short timeouts: a peer that does not answer quickly makes the request
 * {@linkplain ProfileQueries.UnavailableException unavailable} (503, retry), as does a peer that answers
 * 503 itself (it lost the key in a rebalance, or is restoring). Every answer of an internal route carries
 * {@value InternalRoutes#SERVED_BY_HEADER}; one without it did not come from an analytics instance and
 * is refused (502).
 */
final class PeerClient implements AutoCloseable {

    /** Connect timeout of a call to another instance. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    /** Whole-request timeout of a call to another instance. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http;

    PeerClient() {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    Optional<Document> profile(HostInfo peer, String customerId) {
        return document(peer, InternalRoutes.PROFILE, InternalRoutes.CUSTOMER_ID, customerId);
    }

    Optional<Document> memberships(HostInfo peer, String customerId) {
        return document(peer, InternalRoutes.MEMBERSHIPS, InternalRoutes.CUSTOMER_ID, customerId);
    }

    Optional<String> customerOf(HostInfo peer, IdentifierKey identifier) {
        return get(peer, InternalRoutes.IDENTITY, InternalRoutes.KEY, identifier.key())
                .map(response -> customerId(peer, response));
    }

    String survivorOf(HostInfo peer, String customerId) {
        return get(peer, InternalRoutes.REDIRECT, InternalRoutes.CUSTOMER_ID, customerId)
                .map(response -> customerId(peer, response))
                .orElseThrow(() -> new ProfileQueries.ForwardingException(
                        "instance " + QueryAddress.of(peer) + " answered 404 to a redirect question"));
    }

    private Optional<Document> document(HostInfo peer, String path, String parameter, String customerId) {
        return get(peer, path, parameter, customerId)
                .map(response -> new Document(customerId, response.body(), servedBy(response)));
    }

    private String customerId(HostInfo peer, HttpResponse<String> response) {
        JsonNode id = parse(peer, response).path("customerId");
        if (!id.isTextual()) {
            throw new ProfileQueries.ForwardingException(
                    "instance " + QueryAddress.of(peer) + " answered without a customerId");
        }
        return id.asText();
    }

    /** 200: the response; 404 from an internal route: empty; anything else: an exception. */
    private Optional<HttpResponse<String>> get(HostInfo peer, String path, String parameter, String value) {
        String address = QueryAddress.of(peer);
        URI uri = URI.create(QueryAddress.baseUrl(peer) + path + "?" + parameter + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ProfileQueries.UnavailableException(
                    "instance " + address + " hosting the key did not answer within " + REQUEST_TIMEOUT.toMillis()
                            + " ms",
                    e);
        } catch (IOException e) {
            throw new ProfileQueries.UnavailableException(
                    "instance " + address + " hosting the key cannot be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProfileQueries.UnavailableException("interrupted while asking instance " + address, e);
        }
        int status = response.statusCode();
        if (status == 503) {
            throw new ProfileQueries.UnavailableException(
                    "instance " + address + " cannot answer now: " + errorMessage(response));
        }
        if (response.headers().firstValue(InternalRoutes.SERVED_BY_HEADER).isEmpty()) {
            throw new ProfileQueries.ForwardingException("instance " + address + " answered " + status + " without "
                    + InternalRoutes.SERVED_BY_HEADER + ": it does not serve the internal query API");
        }
        if (status == 200) {
            return Optional.of(response);
        }
        if (status == 404) {
            return Optional.empty();
        }
        throw new ProfileQueries.ForwardingException(
                "instance " + address + " answered " + status + ": " + errorMessage(response));
    }

    private static JsonNode parse(HostInfo peer, HttpResponse<String> response) {
        try {
            return Json.mapper().readTree(response.body());
        } catch (IOException e) {
            throw new ProfileQueries.ForwardingException(
                    "instance " + QueryAddress.of(peer) + " answered a body that is not JSON");
        }
    }

    private static String errorMessage(HttpResponse<String> response) {
        try {
            JsonNode json = Json.mapper().readTree(response.body());
            return json.path("error").asText("?") + " (" + json.path("message").asText("") + ")";
        } catch (IOException e) {
            return "a body that is not JSON";
        }
    }

    private static String servedBy(HttpResponse<String> response) {
        return response.headers()
                .firstValue(InternalRoutes.SERVED_BY_HEADER)
                .orElseThrow(() -> new IllegalStateException("checked in get"));
    }

    @Override
    public void close() {
        http.close();
    }
}
