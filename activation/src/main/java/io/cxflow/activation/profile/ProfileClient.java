package io.cxflow.activation.profile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads profiles from the analytics query API, one request per call: {@code GET /v1/profiles/{customerId}}
 * (an absorbed id answers the survivor's document) and {@code GET /v1/profiles?<type>=<value>} (the
 * customer an identifier belongs to). Any analytics instance answers every query. {@code 200} is the
 * document, {@code 404} is "no such profile"; anything else — a connection failure, a timeout, {@code
 * 503} while analytics starts or rebalances, another status, a body that is not a profile — is a
 * {@link ProfileUnavailableException}. Thread-safe.
 */
public final class ProfileClient implements AutoCloseable {

    /** Answers larger than this are not profile documents. */
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private final URI baseUrl;
    private final Duration requestTimeout;
    private final ObjectMapper mapper;
    private final HttpClient http;

    /**
     * @param baseUrl the analytics base URL, without a trailing slash
     * @param requestTimeout bound on one request, connection included
     */
    public ProfileClient(URI baseUrl, Duration requestTimeout, ObjectMapper mapper) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.http = HttpClient.newBuilder()
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /**
     * The latest profile of {@code customerId}; empty when analytics has none.
     *
     * @throws ProfileUnavailableException when analytics cannot answer now
     * @throws InterruptedException when the service is stopping
     */
    public Optional<LatestProfile> profile(String customerId) throws InterruptedException {
        return get("/v1/profiles/" + encode(customerId));
    }

    /**
     * The profile identifier {@code type} = {@code value} belongs to (e.g. {@code userId}); empty when
     * analytics knows no profile with it (yet).
     *
     * @throws ProfileUnavailableException when analytics cannot answer now
     * @throws InterruptedException when the service is stopping
     */
    public Optional<LatestProfile> lookup(String type, String value) throws InterruptedException {
        return get("/v1/profiles?" + encode(type) + "=" + encode(value));
    }

    private Optional<LatestProfile> get(String path) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(requestTimeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new ProfileUnavailableException(
                    "analytics at " + baseUrl + " did not answer within " + requestTimeout.toMillis() + " ms");
        } catch (IOException e) {
            throw new ProfileUnavailableException("cannot reach analytics at " + baseUrl + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 404) {
                return Optional.empty();
            }
            if (status != 200) {
                throw new ProfileUnavailableException("analytics at " + baseUrl + " answered HTTP " + status);
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new ProfileUnavailableException(
                        "analytics answered a profile larger than " + MAX_BYTES + " bytes");
            }
            JsonNode json = mapper.readTree(bytes);
            return Optional.of(LatestProfile.fromJson(json));
        } catch (IOException e) {
            throw new ProfileUnavailableException("cannot read the answer of analytics at " + baseUrl + ": "
                    + e.getClass().getSimpleName());
        } catch (IllegalArgumentException e) {
            throw new ProfileUnavailableException(
                    "analytics at " + baseUrl + " answered something that is not a profile: " + e.getMessage());
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The analytics base URL. */
    public URI baseUrl() {
        return baseUrl;
    }

    @Override
    public void close() {
        http.close();
    }
}
