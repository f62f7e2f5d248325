package io.cxflow.activation.channel;

import static io.cxflow.activation.testing.Fixtures.change;
import static io.cxflow.activation.testing.Fixtures.webhookDecision;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.testing.RecordingReceiver;
import io.cxflow.avro.MembershipChange;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookConnectorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordingReceiver receiver;
    private WebhookConnector connector;

    @BeforeEach
    void setUp() throws Exception {
        receiver = new RecordingReceiver();
        connector = connector(Duration.ofSeconds(2), Optional.of(new RequestSigner("s3cret")));
    }

    @AfterEach
    void tearDown() {
        connector.close();
        receiver.close();
    }

    private static WebhookConnector connector(Duration requestTimeout, Optional<RequestSigner> signer) {
        return new WebhookConnector(Duration.ofSeconds(1), requestTimeout, signer, MAPPER, Clock.systemUTC());
    }

    private Decision decision() {
        return webhookDecision(
                "welcome", "notify", receiver.url("/hook"), change("c-42", "high-value", MembershipChange.ENTERED, 3));
    }

    @Test
    void shouldPostSignedJsonWithIdempotencyKeyWhenDelivering() throws Exception {
        Delivery delivery = connector.deliver(decision(), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.SENT);
        assertThat(delivery.providerStatus()).isEqualTo(200);
        assertThat(delivery.providerResponse()).isEqualTo("{\"status\":200}");
        RecordingReceiver.Request request = receiver.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hook");
        assertThat(request.header("Idempotency-Key")).isEqualTo("welcome:notify:c-42:3");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(new RequestSigner("s3cret").verify(request.body(), request.header("X-Cx-Signature")))
                .isTrue();
        JsonNode body = MAPPER.readTree(request.body());
        assertThat(body.path("idempotencyKey").asText()).isEqualTo("welcome:notify:c-42:3");
        assertThat(body.path("workflowId").asText()).isEqualTo("welcome");
        assertThat(body.path("stepId").asText()).isEqualTo("notify");
        assertThat(body.path("change").path("segmentId").asText()).isEqualTo("high-value");
        assertThat(body.path("change").path("change").asText()).isEqualTo("ENTERED");
        assertThat(body.path("change").path("membershipVersion").asLong()).isEqualTo(3);
        assertThat(body.path("customer").path("customerId").asText()).isEqualTo("c-42");
        assertThat(body.path("customer").path("email").asText()).isEqualTo("ann@example.com");
        assertThat(body.path("customer").path("consent").path("email").asBoolean())
                .isTrue();
    }

    @Test
    void shouldSendByteIdenticalBodiesOnEveryAttemptOfOneDecision() throws Exception {
        Decision decision = decision();
        connector.deliver(decision, 1);
        connector.deliver(decision, 2);

        assertThat(receiver.requests().get(0).body())
                .isEqualTo(receiver.requests().get(1).body());
        assertThat(receiver.requests().get(0).header("X-Cx-Signature"))
                .isEqualTo(receiver.requests().get(1).header("X-Cx-Signature"));
    }

    @Test
    void shouldOmitSignatureWhenNoSecretIsConfigured() throws Exception {
        try (WebhookConnector unsigned = connector(Duration.ofSeconds(2), Optional.empty())) {
            unsigned.deliver(decision(), 1);
        }

        assertThat(receiver.requests().getFirst().header("X-Cx-Signature")).isNull();
    }

    @Test
    void shouldClassifyServerErrorAsRetriableAndBadRequestAsPermanent() throws Exception {
        receiver.answering(503, 400);

        Delivery first = connector.deliver(decision(), 1);
        Delivery second = connector.deliver(decision(), 2);

        assertThat(first.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(first.providerStatus()).isEqualTo(503);
        assertThat(first.reason()).contains("503");
        assertThat(second.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(second.providerStatus()).isEqualTo(400);
    }

    @Test
    void shouldReportRetriableTimeoutWhenProviderIsTooSlow() throws Exception {
        receiver.delaying(Duration.ofMillis(1500));
        try (WebhookConnector impatient = connector(Duration.ofMillis(200), Optional.empty())) {
            Delivery delivery = impatient.deliver(decision(), 1);

            assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
            assertThat(delivery.providerStatus()).isNull();
            assertThat(delivery.reason()).containsIgnoringCase("timeout");
        }
    }

    @Test
    void shouldReportRetriableFailureWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Decision decision = webhookDecision(
                "w", "s", "http://127.0.0.1:" + port + "/hook", change("c-1", "vip", MembershipChange.ENTERED, 1));

        Delivery delivery = connector.deliver(decision, 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(delivery.providerStatus()).isNull();
    }
}
