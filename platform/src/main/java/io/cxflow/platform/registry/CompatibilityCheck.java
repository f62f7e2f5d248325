package io.cxflow.platform.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Checks and registers schemas through the registry's Confluent-compatible API ({@code
 * /apis/ccompat/v7}), with the JDK HTTP client only. It answers exactly what any Confluent-format
 * producer would be told, so {@code cx schemas} and tests can prove a schema change is safe before a
 * producer meets it.
 */
public final class CompatibilityCheck {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(16 * 1024 * 1024)
                    .maxNestingDepth(200)
                    .build())
            .build());
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private CompatibilityCheck() {}

    /**
     * Whether {@code schemaJson} (Avro) may become the next version of {@code subject} under the
     * subject's compatibility rule (the registry's global rule unless the subject has its own). A
     * subject that does not exist yet accepts any valid schema.
     *
     * @param ccompatUrl e.g. {@code http://127.0.0.1:8085/apis/ccompat/v7}
     * @throws SchemaRegistryException when the registry cannot be reached or refuses the request itself
     *     (for example an unparsable schema)
     */
    public static boolean isCompatible(String ccompatUrl, String subject, String schemaJson) {
        HttpResponse<String> response = post(
                ccompatUrl, "/compatibility/subjects/" + segment(subject) + "/versions/latest", subject, schemaJson);
        JsonNode body = parse(response.body());
        if (response.statusCode() == 200) {
            return body.path("is_compatible").asBoolean(false);
        }
        if (response.statusCode() == 404 && isSubjectOrVersionMissing(body)) {
            return true; // nothing registered yet: the first version is always compatible
        }
        throw refusal(ccompatUrl, "check the schema of subject '" + subject + "'", response, body);
    }

    /**
     * Registers {@code schemaJson} (Avro) under {@code subject} and returns its id: the id Confluent-format
     * records written with this schema carry. Registering a schema the subject already has returns its
     * existing id.
     *
     * @throws SchemaRegistryException with status 409 when the schema breaks the subject's compatibility
     *     rule, 422 when it is not a valid schema, or another status/0 when the registry fails
     */
    public static int register(String ccompatUrl, String subject, String schemaJson) {
        HttpResponse<String> response =
                post(ccompatUrl, "/subjects/" + segment(subject) + "/versions", subject, schemaJson);
        JsonNode body = parse(response.body());
        if (response.statusCode() == 200 && body.path("id").canConvertToInt()) {
            return body.path("id").asInt();
        }
        throw refusal(ccompatUrl, "register the schema of subject '" + subject + "'", response, body);
    }

    private static HttpResponse<String> post(String ccompatUrl, String path, String subject, String schemaJson) {
        Objects.requireNonNull(ccompatUrl, "ccompatUrl");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schemaJson, "schemaJson");
        if (subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schemaJson, "schemaType", "AVRO"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot encode the schema as JSON", e);
        }
        URI uri = URI.create(stripTrailingSlash(ccompatUrl) + path);
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Content-Type", CONTENT_TYPE)
                .header("Accept", CONTENT_TYPE + ", application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException(
                    "Schema registry at " + redact(ccompatUrl) + " is not reachable: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("Interrupted while calling the schema registry", e);
        }
    }

    private static boolean isSubjectOrVersionMissing(JsonNode body) {
        int code = body.path("error_code").asInt(0);
        return code == 40401 || code == 40402;
    }

    private static SchemaRegistryException refusal(
            String ccompatUrl, String action, HttpResponse<String> response, JsonNode body) {
        String detail = body.path("message").asText("");
        if (detail.isBlank()) {
            detail = response.body() == null || response.body().isBlank() ? "(no details)" : response.body();
        }
        int status = response.statusCode();
        String reason = status == 409
                ? "it is incompatible with the registered versions (compatibility rule)"
                : "HTTP " + status;
        return new SchemaRegistryException(
                status,
                body.path("error_code").asInt(0),
                "Schema registry at " + redact(ccompatUrl) + " refused to " + action + ": " + reason + ": " + detail);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return JSON.createObjectNode();
        }
    }

    private static String segment(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The URL without user info, for messages. */
    static String redact(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getUserInfo() == null) {
                return url;
            }
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
        } catch (IllegalArgumentException | URISyntaxException e) {
            return "(unparsable URL)";
        }
    }
}
