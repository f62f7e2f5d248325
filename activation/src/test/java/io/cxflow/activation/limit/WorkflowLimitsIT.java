package io.cxflow.activation.limit;

import static io.cxflow.activation.testing.Fixtures.change;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.activation.ActivationConfig;
import io.cxflow.activation.ActivationService;
import io.cxflow.activation.testing.RecordingReceiver;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.platform.PlatformContext;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A workflow's total limit on the real broker: the count of effects survives a restart of the service. */
@CxIntegrationTest
class WorkflowLimitsIT {

    private static final String ADMIN = "it-admin-token";
    private static final Duration WAIT = Duration.ofSeconds(60);

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

    private void start(PlatformContext context, String group) throws Exception {
        service = ActivationService.start(
                ActivationConfig.of(Map.of("activation.port", "0", "activation.group.id", group)), context);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (send("GET", "/health/ready", null).statusCode() == 200) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        throw new AssertionError("activation not ready within " + WAIT);
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                        .header("Authorization", "Bearer " + ADMIN)
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void enter(TestPlatform platform, String customer) {
        SegmentMembershipChanged change = change(customer, "high-value", MembershipChange.ENTERED, 1);
        platform.produce(platform.topics().segmentMembership(), TestPlatform.KeyValue.of(customer, change));
    }

    private static ActivationResult finalResult(TestPlatform platform, String customer) {
        return platform
                .readUntil(
                        platform.topics().activations(),
                        seen -> seen.stream()
                                .anyMatch(r ->
                                        r.key().equals(customer) && r.value().getStatus() != ActivationStatus.RETRYING),
                        WAIT)
                .stream()
                .map(ConsumerRecord::value)
                .filter(r -> r.getCustomerId().equals(customer))
                .toList()
                .getLast();
    }

    @Test
    void shouldKeepCountingATotalLimitAcrossARestart(TestPlatform platform) throws Exception {
        // Given a workflow that may reach 1 customer a day, and its first customer reached
        receiver = new RecordingReceiver();
        PlatformContext context = platform.createTopics().context(ADMIN);
        String group = platform.uniqueId("activation");
        start(context, group);
        HttpResponse<String> put = send("PUT", "/v1/workflows/budget", """
                {"segment": "high-value", "on": "ENTERED", "limits": {"total": "1/1d"},
                 "steps": [{"id": "hook", "send": {"channel": "webhook", "url": "%s"}}]}
                """.formatted(receiver.url("/hook")));
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(put.body()).contains("\"limits\":{\"total\":\"1/1d\"}");
        enter(platform, "c-1");
        assertThat(finalResult(platform, "c-1").getStatus()).isEqualTo(ActivationStatus.SENT);

        // When the service restarts and a second customer enters
        service.close();
        start(context, group);
        enter(platform, "c-2");

        // Then the effect counted before the restart still counts: the second customer is skipped
        ActivationResult second = finalResult(platform, "c-2");
        assertThat(second.getStatus()).isEqualTo(ActivationStatus.SKIPPED);
        assertThat(second.getReason()).isEqualTo("workflow limit total 1/1d reached");
        assertThat(receiver.requests()).hasSize(1);

        // And a limit that does not fit what the deployment remembers is refused with its field
        HttpResponse<String> tooLong =
                send("PUT", "/v1/workflows/budget?dryRun=true", """
                {"segment": "high-value", "on": "ENTERED", "limits": {"total": "1/7d"},
                 "steps": [{"id": "hook", "send": {"channel": "webhook", "url": "%s"}}]}
                """.formatted(receiver.url("/hook")));
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(tooLong.body()).contains("limits.total").contains("activation.limits.total-lookback");
    }
}
