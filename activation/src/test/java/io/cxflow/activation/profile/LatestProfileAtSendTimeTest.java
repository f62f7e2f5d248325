package io.cxflow.activation.profile;

import static io.cxflow.activation.testing.Fixtures.change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.RetryPolicy;
import io.cxflow.activation.channel.WebhookConnector;
import io.cxflow.activation.channel.sms.SmsConfig;
import io.cxflow.activation.channel.sms.SmsConnector;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.activation.dispatch.DecisionExecutor;
import io.cxflow.activation.dispatch.ResultSink;
import io.cxflow.activation.guard.GuardrailConfig;
import io.cxflow.activation.guard.Guardrails;
import io.cxflow.activation.guard.SuppressionList;
import io.cxflow.activation.ledger.LedgerCodec;
import io.cxflow.activation.template.MessageTemplates;
import io.cxflow.activation.testing.MemoryLedger;
import io.cxflow.activation.testing.MutableClock;
import io.cxflow.activation.testing.ProfileServer;
import io.cxflow.activation.testing.RecordingReceiver;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.json.Json;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Decisions judged and rendered against the customer's latest profile, read at send time from a real
 * HTTP server answering the analytics profile contract; an SMS provider on loopback records what is sent.
 */
class LatestProfileAtSendTimeTest {

    private static final String CUSTOMER = "c-7";
    private static final String TEXT = "Hi {{#customer.traits.firstName}}{{customer.traits.firstName}}"
            + "{{/customer.traits.firstName}}{{^customer.traits.firstName}}there{{/customer.traits.firstName}}";

    private final List<ActivationResult> results = new CopyOnWriteArrayList<>();
    private final ResultSink sink = (result, deadLetter) -> {
        results.add(result);
        return CompletableFuture.completedFuture(null);
    };
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    private ProfileServer analytics;
    private RecordingReceiver provider;
    private SmsConnector sms;
    private WebhookConnector webhook;
    private SendTimeProfiles profiles;
    private MemoryLedger ledger;
    private DecisionExecutor executor;

    @BeforeEach
    void setUp() throws Exception {
        analytics = new ProfileServer();
        provider = new RecordingReceiver();
        sms = new SmsConnector(
                SmsConfig.from(ConfigSource.of(Map.of("activation.sms.url", provider.url("/sms"))))
                        .orElseThrow(),
                new ObjectMapper(),
                clock);
        webhook = new WebhookConnector(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Optional.empty(), new ObjectMapper(), Clock.systemUTC());
        profiles = SendTimeProfiles.of(
                new ProfileClient(URI.create(analytics.url()), Duration.ofSeconds(1), Json.mapper()),
                Duration.ofSeconds(2));
        ledger = new MemoryLedger(clock);
        executor = new DecisionExecutor(
                Map.<String, ChannelConnector>of("sms", sms, "webhook", webhook),
                new MessageTemplates(),
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40)),
                sink,
                new ActivationMetrics(new SimpleMeterRegistry()),
                clock,
                new SplittableRandom(3),
                new Guardrails(
                        GuardrailConfig.from(ConfigSource.of(Map.of("activation.quiet-hours", "off"))),
                        new SuppressionList(List.of("blocked@example.com"))),
                ledger,
                new LedgerCodec(new ObjectMapper()),
                true,
                profiles);
    }

    @AfterEach
    void tearDown() {
        profiles.close();
        sms.close();
        webhook.close();
        provider.close();
        analytics.close();
    }

    /** A membership change whose snapshot grants sms and has a phone. */
    private static SegmentMembershipChanged snapshot() {
        SegmentMembershipChanged change = change(CUSTOMER, "high-value", MembershipChange.ENTERED, 2);
        change.setPhone("+393331234567");
        change.setConsent(Map.of("sms", true));
        return change;
    }

    private static Decision smsStep(String step, List<Decision.Condition> conditions) {
        return new Decision(
                new IdempotencyKey("welcome", step, CUSTOMER, 2),
                1,
                "sms",
                Map.of("text", TEXT),
                snapshot(),
                null,
                conditions);
    }

    private static String body(RecordingReceiver.Request request) throws Exception {
        JsonNode json = Json.mapper().readTree(request.body());
        return json.path("body").asText();
    }

    @Test
    void shouldPersonaliseFromTheTraitsOfTheLatestProfile() throws Exception {
        analytics.serve(ProfileServer.document(CUSTOMER, Map.of("firstName", "Ann"), Map.of("sms", true)));

        executor.execute(List.of(smsStep("text", List.of())));

        assertThat(provider.requests()).singleElement().satisfies(r -> assertThat(body(r))
                .isEqualTo("Hi Ann"));
        assertThat(results).singleElement().satisfies(r -> assertThat(r.getStatus())
                .isEqualTo(ActivationStatus.SENT));
        assertThat(analytics.asked()).containsExactly("/v1/profiles/c-7");
    }

    @Test
    void shouldHonourConsentWithdrawnAfterTheSnapshot() throws Exception {
        // the snapshot says sms: true; the customer withdrew it since
        analytics.serve(ProfileServer.document(CUSTOMER, Map.of("firstName", "Ann"), Map.of("sms", false)));

        executor.execute(List.of(smsStep("text", List.of())));

        assertThat(provider.requests()).isEmpty();
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(ActivationStatus.SKIPPED);
            assertThat(r.getReason()).isEqualTo("no consent for sms");
        });
    }

    @Test
    void shouldSendTheSameBytesOnEveryAttemptWhileTheProfileChanges() throws Exception {
        analytics.serve(ProfileServer.document(CUSTOMER, Map.of("firstName", "Ann"), Map.of("sms", true)));
        provider.answering(503);

        // the first attempt fails; by the retry, the profile says another name
        Thread changer = Thread.ofVirtual().start(() -> {
            try {
                provider.awaitRequests(1, Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            analytics.serve(ProfileServer.document(CUSTOMER, Map.of("firstName", "Annie"), Map.of("sms", true)));
        });
        executor.execute(List.of(smsStep("text", List.of())));
        changer.join();

        assertThat(provider.requests()).hasSize(2);
        assertThat(provider.requests().get(0).body())
                .isEqualTo(provider.requests().get(1).body());
        assertThat(body(provider.requests().get(1))).isEqualTo("Hi Ann");
        assertThat(analytics.asked()).hasSize(1);
    }

    @Test
    void shouldBranchOnTheLatestProfile() throws Exception {
        analytics.serve(ProfileServer.document(CUSTOMER, Map.of("tier", "gold"), Map.of("sms", true)));
        String gold = "has(profile.traits.tier) && profile.traits.tier == 'gold'";

        executor.execute(List.of(
                smsStep("gold", List.of(new Decision.Condition(gold, true))),
                smsStep("other", List.of(new Decision.Condition(gold, false)))));

        assertThat(results)
                .extracting(r -> r.getStepId() + ":" + r.getStatus())
                .containsExactly("gold:SENT", "other:SKIPPED");
        assertThat(provider.requests()).singleElement().satisfies(r -> assertThat(body(r))
                .isEqualTo("Hi there"));
    }

    @Test
    void shouldNotJudgeOnTheSnapshotWhileAnalyticsIsUnavailable() {
        analytics
                .serve(ProfileServer.document(CUSTOMER, Map.of(), Map.of("sms", true)))
                .failing(503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503);

        assertThatThrownBy(() -> executor.execute(List.of(smsStep("text", List.of()))))
                .isInstanceOf(ProfileUnavailableException.class)
                .hasMessageContaining("HTTP 503");

        assertThat(provider.requests()).isEmpty();
        assertThat(results).isEmpty();
        assertThat(ledger.entries(CUSTOMER)).isEmpty();
        assertThat(analytics.asked()).isNotEmpty();
    }

    @Test
    void shouldRecoverWhenAnalyticsAnswersWithinTheWait() throws Exception {
        analytics
                .serve(ProfileServer.document(CUSTOMER, Map.of("firstName", "Ann"), Map.of("sms", true)))
                .failing(503, 503);

        executor.execute(List.of(smsStep("text", List.of())));

        assertThat(analytics.asked()).hasSize(3);
        assertThat(provider.requests()).singleElement().satisfies(r -> assertThat(body(r))
                .isEqualTo("Hi Ann"));
    }

    @Test
    void shouldKeepTheSnapshotForACustomerAnalyticsHasNoProfileFor() throws Exception {
        executor.execute(List.of(smsStep("text", List.of())));

        assertThat(analytics.asked()).containsExactly("/v1/profiles/c-7");
        assertThat(provider.requests()).singleElement().satisfies(r -> assertThat(body(r))
                .isEqualTo("Hi there"));
    }

    @Test
    void shouldNotReadTheProfileForAWebhookOutsideAnyCondition() throws Exception {
        Decision hook = new Decision(
                new IdempotencyKey("welcome", "hook", CUSTOMER, 2),
                1,
                "webhook",
                Map.of("url", provider.url("/hook")),
                snapshot());

        executor.execute(List.of(hook));

        assertThat(analytics.asked()).isEmpty();
        assertThat(results).singleElement().satisfies(r -> assertThat(r.getStatus())
                .isEqualTo(ActivationStatus.SENT));
    }
}
