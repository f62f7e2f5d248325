package io.cxflow.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.platform.json.Json;
import io.cxflow.platform.metrics.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real server on a free loopback port: built-in endpoints, the JSON error shape and request metrics. */
class HttpServerIT {

    record Greeting(String name) {}

    private static final HttpClient client = HttpClient.newHttpClient();
    private static Health health;
    private static Health.Flag topics;
    private static PrometheusMeterRegistry registry;
    private static HttpServer server;

    @BeforeAll
    static void start() {
        health = new Health();
        topics = health.flag("topics", "not created yet");
        health.readiness("kafka", () -> Health.Status.UP);
        registry = Metrics.create("it-service");
        server = HttpServer.start(
                HttpServer.Settings.of("it-service", "127.0.0.1", 0).withMaxRequestBytes(1024),
                health,
                registry,
                routes -> routes.get("/v1/things/{id}", ctx -> {
                            String id = ctx.pathParam("id");
                            if (id.equals("missing")) {
                                throw HttpProblem.notFound("no thing " + id);
                            }
                            ctx.json(Map.of("id", id));
                        })
                        .post("/v1/greet", ctx -> {
                            Greeting g = ctx.bodyAsClass(Greeting.class);
                            ctx.status(201).json(Map.of("hello", g.name()));
                        })
                        .post("/v1/echo", ctx -> ctx.json(ctx.bodyAsClass(JsonNode.class)))
                        .get("/v1/secret-failure", ctx -> {
                            throw new IllegalStateException("password=hunter2");
                        })
                        .before("/v1/admin/*", ctx -> {
                            if (!"Bearer t0ken".equals(ctx.header("Authorization"))) {
                                throw HttpProblem.unauthorized("an admin token is required");
                            }
                        })
                        .get("/v1/admin/stats", ctx -> ctx.json(Map.of("ok", true)))
                        .options("/v1/greet", ctx -> ctx.status(204).header("Access-Control-Allow-Methods", "POST"))
                        .get("/v1/auth", ctx -> {
                            throw HttpProblem.unauthorized("a write key is required")
                                    .withHeader("WWW-Authenticate", "Basic realm=\"cxflow\"");
                        }));
    }

    @AfterAll
    static void stop() {
        server.close();
        server.close();
    }

    @Test
    void shouldBeLiveAndReportReadinessPerCheck() throws Exception {
        HttpResponse<String> live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(json(live).get("status").asText()).isEqualTo("UP");

        // Given one readiness check down
        topics.down("not created yet");
        HttpResponse<String> notReady = get("/health/ready");
        assertThat(notReady.statusCode()).isEqualTo(503);
        JsonNode body = json(notReady);
        assertThat(body.get("service").asText()).isEqualTo("it-service");
        assertThat(body.get("status").asText()).isEqualTo("DOWN");
        assertThat(body.at("/checks/topics/status").asText()).isEqualTo("DOWN");
        assertThat(body.at("/checks/topics/detail").asText()).isEqualTo("not created yet");
        assertThat(body.at("/checks/kafka/status").asText()).isEqualTo("UP");

        // When it comes up
        topics.up();
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).get("status").asText()).isEqualTo("UP");
    }

    @Test
    void shouldServeRoutesAndParseJsonBodies() throws Exception {
        HttpResponse<String> thing = get("/v1/things/42");
        assertThat(thing.statusCode()).isEqualTo(200);
        assertThat(json(thing).get("id").asText()).isEqualTo("42");

        HttpResponse<String> greet = post("/v1/greet", "{\"name\":\"Ann\",\"extra\":1}");
        assertThat(greet.statusCode()).isEqualTo(201);
        assertThat(json(greet).get("hello").asText()).isEqualTo("Ann");
    }

    @Test
    void shouldAnswerProblemsAsJsonWithTheirStatusAndHeaders() throws Exception {
        assertProblem(get("/v1/things/missing"), 404, "not_found", "no thing missing");

        HttpResponse<String> auth = get("/v1/auth");
        assertProblem(auth, 401, "unauthorized", "a write key is required");
        assertThat(auth.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"cxflow\"");
    }

    @Test
    void shouldRunFiltersBeforeHandlersAndServeOptionsRoutes() throws Exception {
        assertProblem(get("/v1/admin/stats"), 401, "unauthorized", "an admin token is required");
        HttpResponse<String> allowed = client.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/admin/stats"))
                        .header("Authorization", "Bearer t0ken")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(allowed.statusCode()).isEqualTo(200);

        HttpResponse<String> preflight = client.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/v1/greet"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
                .contains("POST");
    }

    @Test
    void shouldAnswer404ForUnknownRoutesAnd405ForWrongMethods() throws Exception {
        assertProblem(get("/v1/nothing-here"), 404, "not_found", "no route for GET /v1/nothing-here");
        assertProblem(post("/v1/things/1", "{}"), 405, "method_not_allowed", "POST is not allowed on /v1/things/1");
    }

    @Test
    void shouldAnswer400ForInvalidJsonAnd413ForLargeBodies() throws Exception {
        HttpResponse<String> invalid = post("/v1/greet", "{\"name\": ");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).get("error").asText()).isEqualTo("invalid_json");

        HttpResponse<String> tooDeep = post("/v1/echo", "[".repeat(200) + "]".repeat(200));
        assertThat(tooDeep.statusCode()).isEqualTo(400);
        assertThat(json(tooDeep).get("error").asText()).isEqualTo("invalid_json");
        assertThat(json(tooDeep).get("message").asText()).contains("nesting depth");

        HttpResponse<String> wrongShape = post("/v1/greet", "{\"name\": {\"first\": \"Ann\"}}");
        assertProblem(
                wrongShape,
                400,
                "invalid_body",
                "request body does not have the expected shape at name: expected a string");

        HttpResponse<String> tooLarge = post("/v1/greet", "{\"name\":\"" + "x".repeat(2000) + "\"}");
        assertProblem(tooLarge, 413, "payload_too_large", "request body is larger than the limit of 1024 bytes");
    }

    @Test
    void shouldAnswer500WithoutLeakingTheCause() throws Exception {
        HttpResponse<String> failed = get("/v1/secret-failure");

        assertThat(failed.statusCode()).isEqualTo(500);
        JsonNode body = json(failed);
        assertThat(body.get("error").asText()).isEqualTo("internal_error");
        assertThat(body.get("message").asText()).contains("ref ");
        assertThat(failed.body()).doesNotContain("hunter2").doesNotContain("IllegalStateException");
    }

    @Test
    void shouldExposePrometheusMetricsWithRequestTimersByRouteTemplate() throws Exception {
        get("/v1/things/7");
        get("/v1/things/8");
        get("/v1/unknown/route");

        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("text/plain"));
        assertThat(metrics.body())
                .contains("jvm_memory_used_bytes")
                .contains("service=\"it-service\"")
                .containsPattern(
                        "http_server_requests_seconds_count\\{[^}]*route=\"/v1/things/\\{id}\"[^}]*status=\"200\"[^}]*} [2-9]")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"NOT_FOUND\"[^}]*status=\"404\"")
                .doesNotContain("/v1/things/7");
    }

    @Test
    void shouldRefuseToRegisterPlatformPaths() {
        assertThatThrownBy(() -> HttpServer.start(
                        "bad", "127.0.0.1", 0, new Health(), registry, routes -> routes.get("/metrics", ctx -> {})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("/metrics");
    }

    @Test
    void shouldFailClearlyWhenThePortIsTaken() {
        assertThatThrownBy(
                        () -> HttpServer.start("second", "127.0.0.1", server.port(), new Health(), registry, r -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("second cannot listen on 127.0.0.1:" + server.port());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String code, String message)
            throws Exception {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        JsonNode body = json(response);
        assertThat(body.size()).isEqualTo(2);
        assertThat(body.get("error").asText()).isEqualTo(code);
        assertThat(body.get("message").asText()).isEqualTo(message);
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return Json.mapper().readTree(response.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
