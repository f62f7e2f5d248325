package io.cxflow.activation.channel.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.RenderedContent;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.http.HttpAuth;
import io.cxflow.activation.channel.http.HttpEndpoint;
import io.cxflow.activation.channel.http.MessagingConfig;
import io.cxflow.activation.channel.support.Decisions;
import io.cxflow.activation.channel.support.ProviderServer;
import io.cxflow.activation.channel.support.ProviderServer.Answer;
import io.cxflow.activation.decision.Decision;
import io.cxflow.avro.MembershipChange;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PushConnectorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ProviderServer provider;
    private PushConnector connector;

    @BeforeEach
    void setUp() throws Exception {
        provider = new ProviderServer();
        connector = connector(provider.url("/push"), "userId");
    }

    @AfterEach
    void tearDown() {
        connector.close();
        provider.close();
    }

    private static PushConnector connector(String url, String toIdentity) {
        HttpEndpoint endpoint = new HttpEndpoint(
                URI.create(url), HttpAuth.basic("app", "secret"), Duration.ofSeconds(1), Duration.ofSeconds(5));
        return new PushConnector(
                new PushConfig(new MessagingConfig(endpoint, Optional.empty()), toIdentity), MAPPER, Clock.systemUTC());
    }

    private static final RenderedContent RENDERED =
            new RenderedContent("Welcome back", "Your cart is waiting", null, Map.of("deepLink", "shop://cart"));

    @Test
    void shouldPostTheDocumentedJsonWithIdempotencyKeyAndAuth() throws Exception {
        Decision decision = Decisions.decision("push", "push", Map.of());

        Delivery delivery = connector.deliver(decision, SendContext.of(RENDERED), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.SENT);
        ProviderServer.Request request = provider.requests().getFirst();
        assertThat(request.header("Idempotency-Key")).isEqualTo("welcome:push:cus_42:3");
        assertThat(request.header("Authorization")).startsWith("Basic ");
        assertThat(request.header("X-Cx-Signature")).isNull();
        JsonNode body = MAPPER.readTree(request.body());
        assertThat(body.path("idempotencyKey").asText()).isEqualTo("welcome:push:cus_42:3");
        assertThat(body.path("channel").asText()).isEqualTo("push");
        assertThat(body.path("toType").asText()).isEqualTo("userId");
        assertThat(body.path("to")).hasSize(1);
        assertThat(body.path("to").get(0).asText()).isEqualTo("u-1");
        assertThat(body.path("title").asText()).isEqualTo("Welcome back");
        assertThat(body.path("body").asText()).isEqualTo("Your cart is waiting");
        assertThat(body.path("data").path("deepLink").asText()).isEqualTo("shop://cart");
        assertThat(body.path("meta").path("stepId").asText()).isEqualTo("push");
    }

    @Test
    void shouldAddressEveryValueOfTheConfiguredIdentityInOrder() throws Exception {
        Decision decision = Decisions.decision(
                "push",
                "push",
                Map.of("title", "Hi", "text", "Sale"),
                Decisions.change("cus_9", MembershipChange.ENTERED, 1)
                        .setIdentities(Map.of("pushToken", List.of("tok-b", "tok-a")))
                        .build());
        try (PushConnector byToken = connector(provider.url("/push"), "pushToken")) {
            byToken.deliver(decision, 1);
        }

        JsonNode body = MAPPER.readTree(provider.requests().getFirst().body());
        assertThat(body.path("toType").asText()).isEqualTo("pushToken");
        assertThat(body.path("to").get(0).asText()).isEqualTo("tok-a");
        assertThat(body.path("to").get(1).asText()).isEqualTo("tok-b");
        assertThat(body.path("title").asText()).isEqualTo("Hi");
    }

    @Test
    void shouldHonourRetryAfterAndClassifyStatuses() throws Exception {
        Decision decision = Decisions.decision("push", "push", Map.of("text", "Sale"));
        provider.answering(Answer.status(429).header("Retry-After", "3"), Answer.status(500), Answer.status(410));

        Delivery limited = connector.deliver(decision, 1);
        Delivery failing = connector.deliver(decision, 2);
        Delivery gone = connector.deliver(decision, 3);

        assertThat(limited.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(3));
        assertThat(failing.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(failing.retryAfter()).isNull();
        assertThat(gone.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(provider.requests()).hasSize(3);
    }

    @Test
    void shouldReportRetriableWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        try (PushConnector unreachable = connector("http://127.0.0.1:" + port + "/push", "userId")) {
            Delivery delivery = unreachable.deliver(Decisions.decision("push", "push", Map.of("text", "x")), 1);

            assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
            assertThat(delivery.providerStatus()).isNull();
        }
    }

    @Test
    void shouldFailPermanentlyWhenTheCustomerHasNoAddressOrThereIsNoBody() throws Exception {
        Decision noUser = Decisions.decision(
                "push",
                "push",
                Map.of("text", "x"),
                Decisions.change("cus_8", MembershipChange.ENTERED, 1)
                        .setIdentities(Map.of("email", List.of("a@example.com")))
                        .build());

        Delivery unaddressed = connector.deliver(noUser, 1);
        Delivery empty = connector.deliver(Decisions.decision("push", "push", Map.of("title", "only a title")), 1);

        assertThat(unaddressed.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(unaddressed.reason()).contains("'userId'");
        assertThat(empty.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(provider.requests()).isEmpty();
    }
}
