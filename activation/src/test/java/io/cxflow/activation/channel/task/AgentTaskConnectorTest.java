package io.cxflow.activation.channel.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.RenderedContent;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.http.HttpAuth;
import io.cxflow.activation.channel.http.HttpEndpoint;
import io.cxflow.activation.channel.http.MessagingConfig;
import io.cxflow.activation.channel.support.Decisions;
import io.cxflow.activation.channel.support.ProviderServer;
import io.cxflow.activation.channel.support.ProviderServer.Answer;
import io.cxflow.activation.decision.Decision;
import io.cxflow.avro.ChannelStats;
import io.cxflow.avro.ConsentState;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.OrderStats;
import io.cxflow.avro.ProductActivity;
import io.cxflow.avro.TraitValue;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AgentTaskConnectorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-11-20T10:00:00Z");

    private ProviderServer provider;
    private AgentTaskConnector connector;

    @BeforeEach
    void setUp() throws Exception {
        provider = new ProviderServer();
        HttpEndpoint endpoint = new HttpEndpoint(
                URI.create(provider.url("/tasks")),
                HttpAuth.bearer("desk"),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5));
        connector = new AgentTaskConnector(
                new AgentTaskConfig(
                        Optional.of(new MessagingConfig(endpoint, Optional.of(new RequestSigner("task-secret")))),
                        Optional.empty(),
                        Duration.ofSeconds(5),
                        2),
                Optional.empty(),
                MAPPER,
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        connector.close();
        provider.close();
    }

    static CustomerProfile profile() {
        return CustomerProfile.newBuilder()
                .setCustomerId("cus_42")
                .setIdentities(Map.of(
                        "email",
                        List.of("ann@example.com"),
                        "userId",
                        List.of("u-1"),
                        "phone",
                        List.of("+393331234567")))
                .setTraits(Map.of(
                        "firstName", new TraitValue("\"Ann\"", "crm", T),
                        "loyaltyTier", new TraitValue("\"gold\"", "crm", T),
                        "notes", new TraitValue("\"free-form, not for agents\"", "crm", T)))
                .setFirstSeen(T)
                .setLastSeen(T.plusSeconds(86_400))
                .setEventCount(42)
                .setChannels(Map.of("web", new ChannelStats(30L, T, T), "pos", new ChannelStats(3L, T, T)))
                .setOrders(new OrderStats(3L, Map.of("EUR", "123.45")))
                .setConsent(Map.of("sms", new ConsentState(false, T, "web")))
                .setTimezone("Europe/Rome")
                .setLocale("it-IT")
                .setSegments(List.of("high-value", "cart-abandoners"))
                .setUpdatedAt(T)
                .setLastEvents(Map.of("Order Completed", T.plusSeconds(3_600)))
                .setRecentProducts(List.of(
                        new ProductActivity("sku-1", "viewed", T),
                        new ProductActivity("sku-2", "bought", T.plusSeconds(3_600)),
                        new ProductActivity("sku-3", "added", T.plusSeconds(7_200))))
                .build();
    }

    private static Decision decision() {
        return Decisions.decision(
                "agent_task", "call", Map.of("queue", "call-center", "priority", "high", "due-in", "PT4H"));
    }

    @Test
    void shouldPostATaskWithTheCustomerContextFromTheLatestProfile() throws Exception {
        RenderedContent rendered = new RenderedContent(
                "Call Ann about her cart", "Offer free shipping.", null, Map.of("script", "cart-v2"));

        Delivery delivery = connector.deliver(decision(), new SendContext(rendered, profile()), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.SENT);
        ProviderServer.Request request = provider.requests().getFirst();
        assertThat(request.header("Idempotency-Key")).isEqualTo("welcome:call:cus_42:3");
        assertThat(request.header("Authorization")).isEqualTo("Bearer desk");
        assertThat(new RequestSigner("task-secret").verify(request.body(), request.header("X-Cx-Signature")))
                .isTrue();
        JsonNode task = MAPPER.readTree(request.body());
        assertThat(task.path("taskId").asText())
                .isEqualTo(AgentTaskDocument.taskId(decision()))
                .startsWith("task_");
        assertThat(task.path("queue").asText()).isEqualTo("call-center");
        assertThat(task.path("priority").asText()).isEqualTo("high");
        assertThat(task.path("title").asText()).isEqualTo("Call Ann about her cart");
        assertThat(task.path("instructions").asText()).isEqualTo("Offer free shipping.");
        assertThat(task.path("dueAt").asText()).isEqualTo("2026-11-22T22:03:11Z");
        assertThat(task.path("data").path("script").asText()).isEqualTo("cart-v2");
        assertThat(task.path("reason").path("segmentId").asText()).isEqualTo("high-value");
        assertThat(task.path("reason").path("change").asText()).isEqualTo("ENTERED");
        assertThat(task.path("reason").path("why").asText()).isEqualTo("event Order Completed");
        JsonNode customer = task.path("customer");
        assertThat(customer.path("customerId").asText()).isEqualTo("cus_42");
        assertThat(customer.path("email").asText()).isEqualTo("ann@example.com");
        assertThat(customer.path("phone").asText()).isEqualTo("+393331234567");
        assertThat(customer.path("locale").asText()).isEqualTo("it-IT");
        assertThat(customer.path("consent").path("sms").asBoolean()).isFalse();
        assertThat(customer.path("traits").path("firstName").asText()).isEqualTo("Ann");
        assertThat(customer.path("traits").path("loyaltyTier").asText()).isEqualTo("gold");
        assertThat(customer.path("traits").has("notes")).isFalse();
        assertThat(task.path("segments").toString()).isEqualTo("[\"cart-abandoners\",\"high-value\"]");
        assertThat(task.path("orders").path("count").asLong()).isEqualTo(3);
        assertThat(task.path("orders").path("revenue").path("EUR").asText()).isEqualTo("123.45");
        assertThat(task.path("orders").path("lastOrderAt").asText()).isEqualTo("2026-11-20T11:00:00Z");
        assertThat(task.path("recentProducts")).hasSize(2);
        assertThat(task.path("recentProducts").get(0).path("productId").asText())
                .isEqualTo("sku-3");
        assertThat(task.path("recentProducts").get(1).path("action").asText()).isEqualTo("bought");
        assertThat(task.path("activity").path("eventCount").asLong()).isEqualTo(42);
        assertThat(task.path("activity").path("channels").toString()).isEqualTo("[\"pos\",\"web\"]");
    }

    @Test
    void shouldBuildATaskFromTheMembershipSnapshotWhenNoProfileIsGiven() throws Exception {
        connector.deliver(decision(), 1);

        JsonNode task = MAPPER.readTree(provider.requests().getFirst().body());
        assertThat(task.path("title").asText()).isEqualTo("Follow up: customer entered segment high-value");
        assertThat(task.path("instructions").isNull()).isTrue();
        assertThat(task.path("customer").path("email").asText()).isEqualTo("ann@example.com");
        assertThat(task.path("customer").path("consent").path("email").asBoolean())
                .isTrue();
        assertThat(task.path("customer")
                        .path("identities")
                        .path("userId")
                        .get(0)
                        .asText())
                .isEqualTo("u-1");
        assertThat(task.has("orders")).isFalse();
    }

    @Test
    void shouldSendTheSameBytesOnEveryAttemptAndClassifyAnswers() throws Exception {
        provider.answering(Answer.status(429).header("Retry-After", "2"), Answer.status(502), Answer.status(422));
        SendContext context = new SendContext(null, profile());

        Delivery limited = connector.deliver(decision(), context, 1);
        Delivery failing = connector.deliver(decision(), context, 2);
        Delivery refused = connector.deliver(decision(), context, 3);

        assertThat(limited.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(failing.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(refused.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        List<ProviderServer.Request> requests = provider.requests();
        assertThat(requests).hasSize(3);
        assertThat(requests.get(0).body())
                .isEqualTo(requests.get(1).body())
                .isEqualTo(requests.get(2).body());
    }

    @Test
    void shouldRefuseInvalidSettingsAndAMissingDestinationPermanently() throws Exception {
        Decision badQueue = Decisions.decision("agent_task", "call", Map.of("queue", "Call Center"));
        Decision badPriority = Decisions.decision("agent_task", "call", Map.of("priority", "asap"));
        Decision toTopic = Decisions.decision("agent_task", "call", Map.of("delivery", "topic"));

        assertThat(connector.deliver(badQueue, 1).reason()).contains("'queue'");
        assertThat(connector.deliver(badPriority, 1).reason()).contains("'priority'");
        Delivery noTopic = connector.deliver(toTopic, 1);
        assertThat(noTopic.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(noTopic.reason()).contains("no agent-task topic");
        assertThat(provider.requests()).isEmpty();
    }
}
