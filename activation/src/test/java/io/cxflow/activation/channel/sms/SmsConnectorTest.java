package io.cxflow.activation.channel.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.RenderedContent;
import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.channel.RetryPolicy;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.http.HttpAuth;
import io.cxflow.activation.channel.http.HttpEndpoint;
import io.cxflow.activation.channel.http.MessagingConfig;
import io.cxflow.activation.channel.support.Decisions;
import io.cxflow.activation.channel.support.ProviderServer;
import io.cxflow.activation.channel.support.ProviderServer.Answer;
import io.cxflow.activation.decision.Decision;
import io.cxflow.avro.MembershipChange;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmsConnectorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    private ProviderServer provider;
    private SmsConnector connector;

    @BeforeEach
    void setUp() throws Exception {
        provider = new ProviderServer();
        connector = connector(HttpAuth.bearer("sms-token"), Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        connector.close();
        provider.close();
    }

    private SmsConnector connector(HttpAuth auth, Duration requestTimeout) {
        HttpEndpoint endpoint = new HttpEndpoint(
                java.net.URI.create(provider.url("/v1/sms")), auth, Duration.ofSeconds(1), requestTimeout);
        return new SmsConnector(
                new SmsConfig(
                        new MessagingConfig(endpoint, Optional.of(new RequestSigner("sms-secret"))),
                        Optional.of("CXSHOP")),
                MAPPER,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Decision decision() {
        return Decisions.decision("sms", "sms", Map.of("text", "Hi Ann, 10% off today", "data.coupon", "WELCOME10"));
    }

    @Test
    void shouldPostTheDocumentedJsonWithIdempotencyKeyAuthAndSignature() throws Exception {
        Delivery delivery = connector.deliver(decision(), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.SENT);
        assertThat(delivery.providerStatus()).isEqualTo(200);
        ProviderServer.Request request = provider.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/sms");
        assertThat(request.header("Idempotency-Key")).isEqualTo("welcome:sms:cus_42:3");
        assertThat(request.header("Authorization")).isEqualTo("Bearer sms-token");
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(new RequestSigner("sms-secret").verify(request.body(), request.header("X-Cx-Signature")))
                .isTrue();
        JsonNode body = MAPPER.readTree(request.body());
        assertThat(body.path("idempotencyKey").asText()).isEqualTo("welcome:sms:cus_42:3");
        assertThat(body.path("channel").asText()).isEqualTo("sms");
        assertThat(body.path("to").asText()).isEqualTo("+393331234567");
        assertThat(body.path("from").asText()).isEqualTo("CXSHOP");
        assertThat(body.path("body").asText()).isEqualTo("Hi Ann, 10% off today");
        assertThat(body.path("data").path("coupon").asText()).isEqualTo("WELCOME10");
        assertThat(body.path("meta").path("workflowId").asText()).isEqualTo("welcome");
        assertThat(body.path("meta").path("customerId").asText()).isEqualTo("cus_42");
        assertThat(body.path("meta").path("segmentId").asText()).isEqualTo("high-value");
        assertThat(body.path("meta").path("membershipVersion").asLong()).isEqualTo(3);
    }

    @Test
    void shouldPreferRenderedContentOverTheStepSettings() throws Exception {
        RenderedContent rendered = new RenderedContent(null, "Ciao Ann!", null, Map.of("lang", "it"));

        connector.deliver(decision(), SendContext.of(rendered), 1);

        JsonNode body = MAPPER.readTree(provider.requests().getFirst().body());
        assertThat(body.path("body").asText()).isEqualTo("Ciao Ann!");
        assertThat(body.path("data").path("lang").asText()).isEqualTo("it");
        assertThat(body.path("data").has("coupon")).isFalse();
    }

    @Test
    void shouldSendByteIdenticalRequestsOnEveryAttemptOfOneDecision() throws Exception {
        provider.answering(503);

        connector.deliver(decision(), 1);
        connector.deliver(decision(), 2);

        List<ProviderServer.Request> requests = provider.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).body()).isEqualTo(requests.get(1).body());
        assertThat(requests.get(0).header("Idempotency-Key"))
                .isEqualTo(requests.get(1).header("Idempotency-Key"));
    }

    @Test
    void shouldReportRetriableWithTheProvidersDelayWhenRateLimited() throws Exception {
        provider.answering(Answer.status(429).header("Retry-After", "7"));

        Delivery delivery = connector.deliver(decision(), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(delivery.providerStatus()).isEqualTo(429);
        assertThat(delivery.retryAfter()).isEqualTo(Duration.ofSeconds(7));
        RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(10));
        assertThat(policy.backoff(1, delivery.retryAfter(), new SplittableRandom(1)))
                .isGreaterThanOrEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void shouldReadRetryAfterGivenAsAnHttpDate() throws Exception {
        String in30s = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.ofInstant(NOW.plusSeconds(30), ZoneOffset.UTC));
        provider.answering(Answer.status(503).header("Retry-After", in30s));

        Delivery delivery = connector.deliver(decision(), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(delivery.retryAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 408})
    void shouldReportServerErrorsAsRetriable(int status) throws Exception {
        provider.answering(status);

        Delivery delivery = connector.deliver(decision(), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(delivery.reason()).contains(String.valueOf(status));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 422, 301})
    void shouldReportOtherClientErrorsAsPermanent(int status) throws Exception {
        provider.answering(status);

        Delivery delivery = connector.deliver(decision(), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(delivery.providerStatus()).isEqualTo(status);
    }

    @Test
    void shouldReportRetriableTimeoutWhenTheProviderIsTooSlow() throws Exception {
        provider.answering(Answer.status(200).after(Duration.ofSeconds(5)));
        try (SmsConnector impatient = connector(HttpAuth.none(), Duration.ofMillis(200))) {
            Delivery delivery = impatient.deliver(decision(), 1);

            assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
            assertThat(delivery.providerStatus()).isNull();
            assertThat(delivery.reason()).containsIgnoringCase("timeout");
        }
    }

    @Test
    void shouldSendBasicAuthWhenConfigured() throws Exception {
        try (SmsConnector basic = connector(HttpAuth.basic("acct", "pw"), Duration.ofSeconds(5))) {
            basic.deliver(decision(), 1);
        }

        assertThat(provider.requests().getFirst().header("Authorization")).isEqualTo("Basic YWNjdDpwdw==");
    }

    @Test
    void shouldFailPermanentlyWithoutARequestWhenTheCustomerHasNoPhone() throws Exception {
        Decision noPhone = Decisions.decision(
                "sms",
                "sms",
                Map.of("text", "hi"),
                Decisions.change("cus_7", MembershipChange.ENTERED, 1)
                        .setPhone(null)
                        .setIdentities(Map.of("email", List.of("bo@example.com")))
                        .build());

        Delivery delivery = connector.deliver(noPhone, 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(delivery.reason()).contains("no phone");
        assertThat(provider.requests()).isEmpty();
    }

    @Test
    void shouldFailPermanentlyWithoutARequestWhenThereIsNoText() throws Exception {
        Delivery delivery = connector.deliver(Decisions.decision("sms", "sms", Map.of()), 1);

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
        assertThat(delivery.reason()).contains("no SMS text");
        assertThat(provider.requests()).isEmpty();
    }

    @Test
    void shouldReadItsConfigurationAndNameTheKeyOfAMissingCredential() {
        assertThat(SmsConfig.from(ConfigSource.of(Map.of()))).isEmpty();

        SmsConfig config = SmsConfig.from(ConfigSource.of(Map.of(
                        "activation.sms.url", "https://sms.example.com/v1/messages",
                        "activation.sms.auth-scheme", "bearer",
                        "activation.sms.auth-token", "t0k",
                        "activation.sms.request-timeout", "3s",
                        "activation.sms.from", "CXSHOP")))
                .orElseThrow();
        assertThat(config.provider().endpoint().auth().authorization()).contains("Bearer t0k");
        assertThat(config.provider().endpoint().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.from()).contains("CXSHOP");
        assertThat(config.toString()).doesNotContain("t0k");

        assertThatThrownBy(() -> SmsConfig.from(ConfigSource.of(Map.of(
                        "activation.sms.url", "https://sms.example.com", "activation.sms.auth-scheme", "bearer"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.sms.auth-token");
        assertThatThrownBy(() -> SmsConfig.from(ConfigSource.of(Map.of("activation.sms.url", "ftp://sms.example.com"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.sms.url");
    }
}
