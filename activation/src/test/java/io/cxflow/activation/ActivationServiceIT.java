package io.cxflow.activation;

import static io.cxflow.activation.testing.Fixtures.change;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.testing.RecordingReceiver;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The activation service on a real broker and registry, calling a real webhook receiver on loopback. */
@CxIntegrationTest
class ActivationServiceIT {

    private static final String ADMIN = "it-admin-token";
    private static final String SECRET = "it-signing-secret";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private RecordingReceiver receiver;
    private ActivationService service;

    @AfterEach
    void tearDown() {
        if (service != null) {
            service.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        http.close();
    }

    private ActivationService start(TestPlatform platform) throws Exception {
        platform.createTopics();
        CommonConfig common = new CommonConfig(
                CommonConfig.Profile.LOCAL,
                platform.bootstrapServers(),
                platform.registryUrl(),
                platform.topics().prefix(),
                ADMIN);
        PlatformContext context = new PlatformContext(
                new KafkaSettings(platform.bootstrapServers(), platform.uniqueId("cx"), platform.registryUrl()),
                platform.serdes(),
                platform.topics(),
                common);
        ActivationConfig config = ActivationConfig.of(Map.of(
                "activation.port", "0",
                "activation.group.id", platform.uniqueId("activation"),
                "activation.webhook.signing-secret", SECRET,
                "activation.webhook.request-timeout", "5s",
                "activation.retry.max-attempts", "3",
                "activation.retry.initial-backoff", "50ms",
                "activation.retry.max-backoff", "200ms"));
        service = ActivationService.start(config, context);
        awaitReady();
        return service;
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        int status = 0;
        while (System.nanoTime() < deadline) {
            status = send("GET", "/health/ready", null, null).statusCode();
            if (status == 200) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("activation not ready within " + WAIT + "; last status " + status);
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> putWorkflow(String id, String url) throws Exception {
        return send("PUT", "/v1/workflows/" + id, """
                {"name": "Welcome", "segment": "high-value", "on": "ENTERED",
                 "steps": [{"id": "notify", "send": {"channel": "webhook", "url": "%s"}}]}
                """.formatted(url), ADMIN);
    }

    private static void produce(TestPlatform platform, SegmentMembershipChanged... changes) {
        List<TestPlatform.KeyValue<SegmentMembershipChanged>> records = java.util.Arrays.stream(changes)
                .map(c -> TestPlatform.KeyValue.of(c.getCustomerId(), c))
                .toList();
        platform.produce(platform.topics().segmentMembership(), records);
    }

    private static List<ActivationResult> resultsUntil(
            TestPlatform platform, String key, ActivationStatus finalStatus) {
        return platform
                .readUntil(
                        platform.topics().activations(),
                        seen -> seen.stream()
                                .anyMatch(r -> r.value().getIdempotencyKey().equals(key)
                                        && r.value().getStatus() == finalStatus),
                        WAIT)
                .stream()
                .map(ConsumerRecord::value)
                .filter(r -> r.getIdempotencyKey().equals(key))
                .toList();
    }

    @Test
    void shouldCallWebhookOnceAndRecordSentWhenCustomerEntersWatchedSegment(TestPlatform platform) throws Exception {
        // Given a running service with a workflow on high-value ENTERED
        receiver = new RecordingReceiver();
        start(platform);
        HttpResponse<String> put = putWorkflow("welcome", receiver.url("/hook"));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(MAPPER.readTree(put.body()).path("version").asLong()).isEqualTo(1);
        HttpResponse<String> get = send("GET", "/v1/workflows/welcome", null, ADMIN);
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(MAPPER.readTree(get.body())
                        .path("steps")
                        .get(0)
                        .path("send")
                        .path("url")
                        .asText())
                .isEqualTo(receiver.url("/hook"));

        // When c-1 enters high-value, c-2 enters another segment and c-3 leaves high-value
        produce(
                platform,
                change("c-1", "high-value", MembershipChange.ENTERED, 1),
                change("c-2", "churn-risk", MembershipChange.ENTERED, 1),
                change("c-3", "high-value", MembershipChange.EXITED, 2));

        // Then exactly one webhook request, for c-1, with the decision's key, a signed body and the change
        List<ActivationResult> results = resultsUntil(platform, "welcome:notify:c-1:1", ActivationStatus.SENT);
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(ActivationStatus.SENT);
            assertThat(r.getProviderStatus()).isEqualTo(200);
            assertThat(r.getLatencyMillis()).isNotNull();
            assertThat(r.getWorkflowVersion()).isEqualTo(1);
            assertThat(r.getChannel()).isEqualTo("webhook");
        });
        assertThat(receiver.requests()).hasSize(1);
        RecordingReceiver.Request request = receiver.requests().getFirst();
        assertThat(request.header("Idempotency-Key")).isEqualTo("welcome:notify:c-1:1");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(new RequestSigner(SECRET).verify(request.body(), request.header("X-Cx-Signature")))
                .isTrue();
        JsonNode body = MAPPER.readTree(request.body());
        assertThat(body.path("workflowId").asText()).isEqualTo("welcome");
        assertThat(body.path("stepId").asText()).isEqualTo("notify");
        assertThat(body.path("change").path("segmentId").asText()).isEqualTo("high-value");
        assertThat(body.path("change").path("change").asText()).isEqualTo("ENTERED");
        assertThat(body.path("customer").path("customerId").asText()).isEqualTo("c-1");
        assertThat(body.path("customer").path("email").asText()).isEqualTo("ann@example.com");

        // And the result is queryable per customer
        JsonNode activations = awaitActivations("c-1", 1);
        assertThat(activations.get(0).path("status").asText()).isEqualTo("SENT");
        assertThat(activations.get(0).path("idempotencyKey").asText()).isEqualTo("welcome:notify:c-1:1");
    }

    private JsonNode awaitActivations(String customerId, int count) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode list = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = send("GET", "/v1/activations?customerId=" + customerId, null, ADMIN);
            assertThat(response.statusCode()).isEqualTo(200);
            list = MAPPER.readTree(response.body()).path("activations");
            if (list.size() >= count) {
                return list;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("GET /v1/activations?customerId=" + customerId + " has " + list);
    }

    @Test
    void shouldRetryWithTheSameKeyAndRecordSentWhenProviderFailsOnce(TestPlatform platform) throws Exception {
        receiver = new RecordingReceiver().answering(500);
        start(platform);
        assertThat(putWorkflow("welcome", receiver.url("/flaky")).statusCode()).isEqualTo(200);

        produce(platform, change("c-9", "high-value", MembershipChange.ENTERED, 4));

        List<ActivationResult> results = resultsUntil(platform, "welcome:notify:c-9:4", ActivationStatus.SENT);
        assertThat(results)
                .extracting(
                        ActivationResult::getStatus, ActivationResult::getAttempt, ActivationResult::getProviderStatus)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ActivationStatus.RETRYING, 1, 500),
                        org.assertj.core.groups.Tuple.tuple(ActivationStatus.SENT, 2, 200));
        assertThat(receiver.requests())
                .hasSize(2)
                .extracting(r -> r.header("Idempotency-Key"))
                .containsOnly("welcome:notify:c-9:4");
    }

    @Test
    void shouldRecordFailedAndDeadLetterWithoutRetryWhenProviderRefuses(TestPlatform platform) throws Exception {
        receiver = new RecordingReceiver().answering(400);
        start(platform);
        assertThat(putWorkflow("welcome", receiver.url("/strict")).statusCode()).isEqualTo(200);

        produce(platform, change("c-5", "high-value", MembershipChange.ENTERED, 1));

        List<ActivationResult> results = resultsUntil(platform, "welcome:notify:c-5:1", ActivationStatus.FAILED);
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.getProviderStatus()).isEqualTo(400);
            assertThat(r.getReason()).contains("400");
        });
        assertThat(receiver.requests()).hasSize(1);
        List<ConsumerRecord<String, ActivationResult>> dlq =
                platform.readAtLeast(platform.topics().activationsDlq(), 1, WAIT);
        assertThat(dlq).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("c-5");
            assertThat(r.value().getStatus()).isEqualTo(ActivationStatus.FAILED);
        });
    }

    @Test
    void shouldReloadWorkflowsAndNotResendCommittedDecisionsWhenRestarted(TestPlatform platform) throws Exception {
        // Given a decision that was sent and committed by a first run
        receiver = new RecordingReceiver();
        start(platform);
        assertThat(putWorkflow("welcome", receiver.url("/hook")).statusCode()).isEqualTo(200);
        produce(platform, change("c-4", "high-value", MembershipChange.ENTERED, 1));
        resultsUntil(platform, "welcome:notify:c-4:1", ActivationStatus.SENT);
        service.close();

        // When a second run starts in the same group and c-4 leaves and re-enters the segment
        start(platform);
        produce(platform, change("c-4", "high-value", MembershipChange.EXITED, 2));
        produce(platform, change("c-4", "high-value", MembershipChange.ENTERED, 3));

        // Then the workflow came back from the topic, and only the new change was sent
        resultsUntil(platform, "welcome:notify:c-4:3", ActivationStatus.SENT);
        assertThat(receiver.requests())
                .extracting(r -> r.header("Idempotency-Key"))
                .containsExactly("welcome:notify:c-4:1", "welcome:notify:c-4:3");
    }

    @Test
    void shouldGuardValidateAndDeleteWorkflowsOverHttp(TestPlatform platform) throws Exception {
        receiver = new RecordingReceiver();
        start(platform);

        HttpResponse<String> anonymous = send("GET", "/v1/workflows", null, null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(MAPPER.readTree(anonymous.body()).path("error").asText()).isEqualTo("unauthorized");
        assertThat(send("GET", "/v1/workflows", null, "wrong").statusCode()).isEqualTo(401);

        HttpResponse<String> invalid = send(
                "PUT",
                "/v1/workflows/bad",
                "{\"segment\": \"high-value\", \"on\": \"JOINED\", \"steps\": [{\"send\": {\"channel\": \"fax\"}}]}",
                ADMIN);
        assertThat(invalid.statusCode()).isEqualTo(400);
        JsonNode problem = MAPPER.readTree(invalid.body());
        assertThat(problem.path("error").asText()).isEqualTo("invalid_workflow");
        assertThat(problem.path("errors").findValuesAsText("field"))
                .containsExactlyInAnyOrder("on", "steps[0].send.channel");

        assertThat(putWorkflow("welcome", receiver.url("/a")).statusCode()).isEqualTo(200);
        HttpResponse<String> second = putWorkflow("welcome", receiver.url("/b"));
        assertThat(MAPPER.readTree(second.body()).path("version").asLong()).isEqualTo(2);
        JsonNode list =
                MAPPER.readTree(send("GET", "/v1/workflows", null, ADMIN).body());
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("steps").get(0).path("send").path("url").asText())
                .isEqualTo(receiver.url("/b"));

        assertThat(send("DELETE", "/v1/workflows/welcome", null, ADMIN).statusCode())
                .isEqualTo(204);
        assertThat(send("GET", "/v1/workflows/welcome", null, ADMIN).statusCode())
                .isEqualTo(404);
        assertThat(send("DELETE", "/v1/workflows/welcome", null, ADMIN).statusCode())
                .isEqualTo(404);
        assertThat(MAPPER.readTree(send("GET", "/v1/workflows", null, ADMIN).body()))
                .isEmpty();
    }
}
