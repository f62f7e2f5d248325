package io.cxflow.activation.dispatch;

import static io.cxflow.activation.testing.Fixtures.change;
import static io.cxflow.activation.testing.Fixtures.webhookDecision;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.RetryPolicy;
import io.cxflow.activation.channel.WebhookConnector;
import io.cxflow.activation.channel.sms.SmsConfig;
import io.cxflow.activation.channel.sms.SmsConnector;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.activation.guard.GuardrailConfig;
import io.cxflow.activation.guard.Guardrails;
import io.cxflow.activation.guard.SuppressionList;
import io.cxflow.activation.ledger.LedgerCodec;
import io.cxflow.activation.ledger.LedgerEntry;
import io.cxflow.activation.template.MessageTemplates;
import io.cxflow.activation.testing.MemoryLedger;
import io.cxflow.activation.testing.MutableClock;
import io.cxflow.activation.testing.RecordingReceiver;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.platform.config.ConfigSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DecisionExecutorTest {

    /** Keeps what would be written to the activations and dead-letter topics. */
    private static final class CollectingSink implements ResultSink {
        final List<ActivationResult> results = new CopyOnWriteArrayList<>();
        final List<ActivationResult> deadLetters = new CopyOnWriteArrayList<>();
        volatile ActivationStatus refusing;

        @Override
        public Future<?> publish(ActivationResult result, boolean deadLetter) {
            if (result.getStatus() == refusing) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));
            }
            results.add(result);
            if (deadLetter) {
                deadLetters.add(result);
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    private RecordingReceiver receiver;
    private WebhookConnector webhook;
    private CollectingSink sink;
    private SimpleMeterRegistry meters;
    private DecisionExecutor executor;
    private SmsConnector sms;
    private MutableClock clock;
    private MemoryLedger ledger;
    private final LedgerCodec codec = new LedgerCodec(new ObjectMapper());
    private final SegmentMembershipChanged change = change("c-7", "high-value", MembershipChange.ENTERED, 2);

    @BeforeEach
    void setUp() throws Exception {
        receiver = new RecordingReceiver();
        webhook = new WebhookConnector(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Optional.empty(), new ObjectMapper(), Clock.systemUTC());
        sink = new CollectingSink();
        meters = new SimpleMeterRegistry();
        clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z")); // 13:00 in Rome
        ledger = new MemoryLedger(clock);
        sms = new SmsConnector(
                SmsConfig.from(ConfigSource.of(Map.of("activation.sms.url", receiver.url("/sms"))))
                        .orElseThrow(),
                new ObjectMapper(),
                clock);
        executor = executor(Map.of());
    }

    private DecisionExecutor executor(Map<String, String> guardrailSettings) {
        return new DecisionExecutor(
                Map.<String, ChannelConnector>of("webhook", webhook, "sms", sms),
                new MessageTemplates(),
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40)),
                sink,
                new ActivationMetrics(meters),
                clock,
                new SplittableRandom(3),
                new Guardrails(
                        GuardrailConfig.from(ConfigSource.of(guardrailSettings)),
                        new SuppressionList(List.of("blocked@example.com"))),
                ledger,
                codec,
                true);
    }

    @AfterEach
    void tearDown() {
        sms.close();
        webhook.close();
        receiver.close();
    }

    private Decision decision(String workflow, String step) {
        return webhookDecision(workflow, step, receiver.url("/" + workflow + "/" + step), change);
    }

    @Test
    void shouldRecordOneSentResultWhenProviderAccepts() throws Exception {
        executor.execute(List.of(decision("w", "s")));

        assertThat(receiver.requests()).hasSize(1);
        assertThat(sink.results).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(ActivationStatus.SENT);
            assertThat(r.getIdempotencyKey()).isEqualTo("w:s:c-7:2");
            assertThat(r.getProviderStatus()).isEqualTo(200);
            assertThat(r.getLatencyMillis()).isNotNull();
            assertThat(r.getAttempt()).isEqualTo(1);
            assertThat(r.getSegmentId()).isEqualTo("high-value");
            assertThat(r.getTrigger()).isEqualTo("segment high-value ENTERED");
        });
        assertThat(meters.get(ActivationMetrics.DISPATCHED)
                        .tag("channel", "webhook")
                        .tag("status", "SENT")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldRetryWithTheSameKeyUntilSentWhenProviderFailsTransiently() throws Exception {
        receiver.answering(500, 429);

        executor.execute(List.of(decision("w", "s")));

        assertThat(receiver.requests()).hasSize(3);
        assertThat(receiver.requests())
                .extracting(r -> r.header("Idempotency-Key"))
                .containsOnly("w:s:c-7:2");
        assertThat(sink.results)
                .extracting(ActivationResult::getStatus, ActivationResult::getAttempt)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(ActivationStatus.RETRYING, 1),
                        org.assertj.core.groups.Tuple.tuple(ActivationStatus.RETRYING, 2),
                        org.assertj.core.groups.Tuple.tuple(ActivationStatus.SENT, 3));
        assertThat(sink.deadLetters).isEmpty();
    }

    @Test
    void shouldFailWithoutRetryAndDeadLetterWhenProviderRefuses() throws Exception {
        receiver.answering(400);

        executor.execute(List.of(decision("w", "s")));

        assertThat(receiver.requests()).hasSize(1);
        assertThat(sink.results).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(ActivationStatus.FAILED);
            assertThat(r.getProviderStatus()).isEqualTo(400);
            assertThat(r.getReason()).contains("400");
        });
        assertThat(sink.deadLetters).hasSize(1);
    }

    @Test
    void shouldGiveUpAfterMaxAttemptsWhenProviderKeepsFailing() throws Exception {
        receiver.answering(503, 503, 503, 503);

        executor.execute(List.of(decision("w", "s")));

        assertThat(receiver.requests()).hasSize(3);
        assertThat(sink.results.getLast().getStatus()).isEqualTo(ActivationStatus.FAILED);
        assertThat(sink.results.getLast().getReason()).startsWith("gave up after 3 attempts");
        assertThat(sink.deadLetters).hasSize(1);
    }

    @Test
    void shouldSkipLaterStepsOfAWorkflowOnceAStepFailedButRunOtherWorkflows() throws Exception {
        receiver.answering(404);

        executor.execute(List.of(decision("a", "one"), decision("a", "two"), decision("b", "one")));

        assertThat(receiver.requests())
                .extracting(RecordingReceiver.Request::path)
                .containsExactly("/a/one", "/b/one");
        assertThat(sink.results)
                .extracting(ActivationResult::getIdempotencyKey, ActivationResult::getStatus)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a:one:c-7:2", ActivationStatus.FAILED),
                        org.assertj.core.groups.Tuple.tuple("a:two:c-7:2", ActivationStatus.SKIPPED),
                        org.assertj.core.groups.Tuple.tuple("b:one:c-7:2", ActivationStatus.SENT));
    }

    @Test
    void shouldFailWhenNoConnectorServesTheChannel() throws Exception {
        Decision sms = new Decision(
                new io.cxflow.activation.decision.IdempotencyKey("w", "s", "c-7", 2), 1, "push", Map.of(), change);

        executor.execute(List.of(sms));

        assertThat(sink.results).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(ActivationStatus.FAILED);
            assertThat(r.getReason()).contains("push");
        });
    }

    private Decision smsDecision(String workflow, String step, SegmentMembershipChanged c) {
        return new Decision(
                new IdempotencyKey(workflow, step, c.getCustomerId(), c.getMembershipVersion()),
                1,
                "sms",
                Map.of("text", "Hi {{customer.id}}"),
                c);
    }

    private SegmentMembershipChanged smsCustomer(String id, Map<String, Boolean> consent) {
        SegmentMembershipChanged c = change(id, "high-value", MembershipChange.ENTERED, 1);
        c.setPhone("+393331234567");
        c.setConsent(consent);
        return c;
    }

    @Test
    void shouldSkipWithTheReasonAndSendNothingWhenConsentIsMissingOrRefused() throws Exception {
        executor.execute(List.of(
                smsDecision("w", "s", smsCustomer("c-unknown", Map.of())),
                smsDecision("w", "s", smsCustomer("c-no", Map.of("sms", false)))));

        assertThat(receiver.requests()).isEmpty();
        assertThat(sink.results)
                .extracting(ActivationResult::getStatus, ActivationResult::getReason)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                ActivationStatus.SKIPPED,
                                "no consent for sms (unknown; the default for sms is not granted)"),
                        org.assertj.core.groups.Tuple.tuple(ActivationStatus.SKIPPED, "no consent for sms"));
    }

    @Test
    void shouldSendWhenUnknownConsentIsGrantedByDefaultForTheChannel() throws Exception {
        executor = executor(Map.of("activation.consent.granted-by-default", "sms"));

        executor.execute(List.of(smsDecision("w", "s", smsCustomer("c-1", Map.of()))));

        assertThat(receiver.requests()).hasSize(1);
        assertThat(receiver.requests().getFirst().bodyText()).contains("\"body\":\"Hi c-1\"");
    }

    @Test
    void shouldSkipSuppressedCustomersOnEveryChannel() throws Exception {
        SegmentMembershipChanged blocked = smsCustomer("c-b", Map.of("sms", true));
        blocked.setEmail("Blocked@Example.com");

        executor.execute(
                List.of(smsDecision("w", "s", blocked), webhookDecision("w", "hook", receiver.url("/h"), blocked)));

        assertThat(receiver.requests()).isEmpty();
        assertThat(sink.results).extracting(ActivationResult::getReason).containsOnly("customer is suppressed");
    }

    @Test
    void shouldCapMessagesPerChannelAndAcrossChannelsWithinTheirWindows() throws Exception {
        executor = executor(Map.of("activation.caps", "sms:2/24h,*:3/7d"));
        SegmentMembershipChanged c = smsCustomer("c-cap", Map.of("sms", true));

        // Given two SMS sent today
        executor.execute(List.of(smsDecision("w1", "s", c), smsDecision("w2", "s", c)));
        // When a third is due the same day, then it is capped per channel
        executor.execute(List.of(smsDecision("w3", "s", c)));
        assertThat(sink.results.getLast().getReason()).isEqualTo("frequency cap sms:2/PT24H reached");
        // When a day has passed, one more fits the per-channel cap but reaches 3 in 7 days
        clock.advance(Duration.ofHours(25));
        executor.execute(List.of(smsDecision("w4", "s", c)));
        assertThat(sink.results.getLast().getStatus()).isEqualTo(ActivationStatus.SENT);
        executor.execute(List.of(smsDecision("w5", "s", c)));
        assertThat(sink.results.getLast().getReason()).isEqualTo("frequency cap *:3/PT168H reached");
        // And a week after the first, messages flow again
        clock.advance(Duration.ofDays(6));
        executor.execute(List.of(smsDecision("w6", "s", c)));
        assertThat(sink.results.getLast().getStatus()).isEqualTo(ActivationStatus.SENT);
        assertThat(receiver.requests()).hasSize(4);
    }

    @Test
    void shouldDeferToTheEndOfQuietHoursInTheCustomersZoneAndSendThenNotBefore() throws Exception {
        // Given 22:30 in Rome (21:30 UTC), inside the default 21:00-08:00 quiet hours
        clock.set(Instant.parse("2026-11-22T21:30:00Z"));
        SegmentMembershipChanged c = smsCustomer("c-night", Map.of("sms", true));
        DeferredScheduler scheduler = new DeferredScheduler(
                ledger, p -> true, executor, codec, clock, 1, Duration.ofSeconds(1), Duration.ofMinutes(5));
        scheduler.assigned(List.of(0));

        // When the SMS step and a later webhook step of the same workflow are planned
        executor.execute(List.of(smsDecision("w", "s", c), webhookDecision("w", "hook", receiver.url("/h"), c)));

        // Then nothing is sent; both are DEFERRED until 08:00 Rome (07:00 UTC)
        assertThat(receiver.requests()).isEmpty();
        assertThat(sink.results)
                .extracting(ActivationResult::getStatus)
                .containsExactly(ActivationStatus.DEFERRED, ActivationStatus.DEFERRED);
        assertThat(sink.results.getFirst().getReason())
                .isEqualTo("quiet hours 21:00-08:00 in Europe/Rome; deferred until 2026-11-23T07:00:00Z");
        // And a redelivery of the same change adds nothing
        executor.execute(List.of(smsDecision("w", "s", c)));
        assertThat(sink.results).hasSize(2);
        // And nothing runs before the end
        clock.set(Instant.parse("2026-11-23T06:59:59Z"));
        assertThat(scheduler.runDue()).isZero();
        // When the quiet hours are over, both run, in order, once
        clock.set(Instant.parse("2026-11-23T07:00:00Z"));
        assertThat(scheduler.runDue()).isEqualTo(2);
        assertThat(scheduler.runDue()).isZero();
        assertThat(receiver.requests())
                .extracting(RecordingReceiver.Request::path)
                .containsExactly("/sms", "/h");
        assertThat(sink.results.subList(2, 4))
                .extracting(ActivationResult::getStatus)
                .containsExactly(ActivationStatus.SENT, ActivationStatus.SENT);
    }

    @Test
    void shouldNotCallTheProviderAgainWhenTheLedgerSaysDone() throws Exception {
        Decision d = decision("w", "s");
        executor.execute(List.of(d));

        // a redelivery of the same change (crash after the effect, before the offset commit)
        executor.execute(List.of(d));

        assertThat(receiver.requests()).hasSize(1);
        assertThat(sink.results)
                .extracting(ActivationResult::getStatus)
                .containsExactly(ActivationStatus.SENT, ActivationStatus.SKIPPED);
        assertThat(sink.results.getLast().getReason()).contains("already sent");
        assertThat(ledger.history("c-7").entry("w:s:c-7:2").orElseThrow().state())
                .isEqualTo(LedgerEntry.State.DONE);
    }

    @Test
    void shouldRepeatTheCallWithTheSameKeyWithoutJudgingAgainWhenOnlyTheIntentWasWritten() throws Exception {
        // Given a run that wrote INTENT and crashed: consent has since been withdrawn in the snapshot
        SegmentMembershipChanged c = smsCustomer("c-crash", Map.of("sms", false));
        Decision d = smsDecision("w", "s", c);
        ledger.seed(
                "c-crash",
                new LedgerEntry("w:s:c-crash:1", "sms", LedgerEntry.State.INTENT, clock.instant(), null, null));

        executor.execute(List.of(d));

        // Then the provider is called again with the same key (it deduplicates) and the ledger is DONE
        assertThat(receiver.requests()).singleElement().satisfies(r -> assertThat(r.header("Idempotency-Key"))
                .isEqualTo("w:s:c-crash:1"));
        assertThat(ledger.history("c-crash")
                        .entry("w:s:c-crash:1")
                        .orElseThrow()
                        .state())
                .isEqualTo(LedgerEntry.State.DONE);
    }

    @Test
    void shouldLeaveTheIntentAndSendAgainWithTheSameKeyWhenTheSentResultCannotBeWritten() throws Exception {
        // Given the provider accepts but the SENT result cannot be written (a crash would look the same),
        // When the change runs again
        runAgainAfterARefusedResult(decision("w", "s"), ActivationStatus.SENT);

        // Then the provider got the same key twice (it deduplicates), and the outcome has its result
        assertThat(receiver.requests())
                .extracting(r -> r.header("Idempotency-Key"))
                .containsExactly("w:s:c-7:2", "w:s:c-7:2");
        assertThat(sink.results).extracting(ActivationResult::getStatus).containsExactly(ActivationStatus.SENT);
        assertThat(ledger.history("c-7").entry("w:s:c-7:2").orElseThrow().state())
                .isEqualTo(LedgerEntry.State.DONE);
    }

    /** Runs {@code d} while results of {@code refused} cannot be written: INTENT stays; then runs it again. */
    private void runAgainAfterARefusedResult(Decision d, ActivationStatus refused) throws Exception {
        sink.refusing = refused;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> executor.execute(List.of(d)))
                .isInstanceOf(ResultWriteException.class);
        assertThat(ledger.history(d.customerId())
                        .entry(d.key().value())
                        .orElseThrow()
                        .state())
                .isEqualTo(LedgerEntry.State.INTENT);
        sink.refusing = null;
        executor.execute(List.of(d));
    }

    @Test
    void shouldNotRecordFailedBeforeTheDeadLetterIsWritten() throws Exception {
        receiver.answering(400, 400);

        runAgainAfterARefusedResult(decision("w", "s"), ActivationStatus.FAILED);

        assertThat(sink.deadLetters).singleElement().satisfies(r -> assertThat(r.getIdempotencyKey())
                .isEqualTo("w:s:c-7:2"));
        assertThat(ledger.history("c-7").entry("w:s:c-7:2").orElseThrow().state())
                .isEqualTo(LedgerEntry.State.FAILED);
    }

    @Test
    void shouldRunAFailedDecisionAgainOnlyThroughAReplayRequestAndOnlyOnce() throws Exception {
        // Given a decision the provider refused for good: FAILED on the ledger, with its decision
        receiver.answering(400);
        Decision d = decision("w", "s");
        executor.execute(List.of(d));
        LedgerEntry failed = ledger.history("c-7").entry("w:s:c-7:2").orElseThrow();
        assertThat(failed.state()).isEqualTo(LedgerEntry.State.FAILED);
        assertThat(codec.readDecision(failed.decision())).isEqualTo(d);
        // a redelivered change does not run it again
        executor.execute(List.of(d));
        assertThat(receiver.requests()).hasSize(1);
        assertThat(sink.results.getLast().getReason()).contains("cx activations retry-dlq");
        DeferredScheduler scheduler = new DeferredScheduler(
                ledger, p -> true, executor, codec, clock, 1, Duration.ofSeconds(1), Duration.ofMinutes(5));
        scheduler.assigned(List.of(0));
        assertThat(scheduler.runDue()).isZero();

        // When a replay request is applied (twice: read again after a crash) and the scheduler runs
        RetryRequests retries = new RetryRequests(
                new org.apache.kafka.clients.consumer.MockConsumer<>("earliest"), "retries", ledger, clock);
        RetryRequests.Request request = new RetryRequests.Request("r-1", "w:s:c-7:2", clock.instant());
        assertThat(retries.apply(request)).isEqualTo(RetryRequests.Outcome.REPLAYING);
        assertThat(retries.apply(request)).isEqualTo(RetryRequests.Outcome.ALREADY_APPLIED);
        assertThat(scheduler.runDue()).isEqualTo(1);
        assertThat(scheduler.runDue()).isZero();

        // Then it was sent once more with the same key, is DONE under the request, and is not replayed again
        assertThat(receiver.requests())
                .extracting(r -> r.header("Idempotency-Key"))
                .containsExactly("w:s:c-7:2", "w:s:c-7:2");
        assertThat(sink.results.getLast().getStatus()).isEqualTo(ActivationStatus.SENT);
        LedgerEntry done = ledger.history("c-7").entry("w:s:c-7:2").orElseThrow();
        assertThat(done.state()).isEqualTo(LedgerEntry.State.DONE);
        assertThat(done.retry()).isEqualTo("r-1");
        assertThat(retries.apply(new RetryRequests.Request("r-2", "w:s:c-7:2", clock.instant())))
                .isEqualTo(RetryRequests.Outcome.NOTHING_TO_DO);
        assertThat(retries.apply(new RetryRequests.Request("r-3", "w:s:c-unknown:1", clock.instant())))
                .isEqualTo(RetryRequests.Outcome.NOTHING_TO_DO);
    }

    @Test
    void shouldWriteIntentBeforeTheCallAndFailedAfterAPermanentRefusal() throws Exception {
        receiver.answering(400);

        executor.execute(List.of(decision("w", "s")));

        assertThat(ledger.writes()).isEqualTo(2); // INTENT, FAILED
        assertThat(ledger.history("c-7").entry("w:s:c-7:2").orElseThrow().state())
                .isEqualTo(LedgerEntry.State.FAILED);
    }

    @Test
    void shouldHoldAStepAfterAWaitUntilItIsOverAndThenSendItOnce() throws Exception {
        SegmentMembershipChanged c = change("c-w", "high-value", MembershipChange.ENTERED, 1);
        c.setAt(clock.instant());
        Decision later = new Decision(
                new IdempotencyKey("w", "hook", "c-w", 1),
                1,
                "webhook",
                Map.of("url", receiver.url("/later")),
                c,
                clock.instant().plus(Duration.ofHours(2)));
        DeferredScheduler scheduler = new DeferredScheduler(
                ledger, p -> true, executor, codec, clock, 1, Duration.ofSeconds(1), Duration.ofMinutes(5));
        scheduler.assigned(List.of(0));

        executor.execute(List.of(later));
        clock.advance(Duration.ofMinutes(119));
        assertThat(scheduler.runDue()).isZero();
        clock.advance(Duration.ofMinutes(1));
        assertThat(scheduler.runDue()).isEqualTo(1);

        assertThat(receiver.requests()).hasSize(1);
        assertThat(sink.results)
                .extracting(ActivationResult::getStatus)
                .containsExactly(ActivationStatus.DEFERRED, ActivationStatus.SENT);
        assertThat(sink.results.getFirst().getReason())
                .isEqualTo("waiting until the workflow's wait is over; deferred until 2026-11-22T14:00:00Z");
    }

    @Test
    void shouldCancelAWaitingStepWhenTheCustomerLeavesTheSegmentBeforeItIsDue() throws Exception {
        SegmentMembershipChanged entered = change("c-l", "high-value", MembershipChange.ENTERED, 1);
        entered.setAt(clock.instant());
        Decision later = new Decision(
                new IdempotencyKey("w", "hook", "c-l", 1),
                1,
                "webhook",
                Map.of("url", receiver.url("/later")),
                entered,
                clock.instant().plus(Duration.ofHours(2)));
        DeferredScheduler scheduler = new DeferredScheduler(
                ledger, p -> true, executor, codec, clock, 1, Duration.ofSeconds(1), Duration.ofMinutes(5));
        scheduler.assigned(List.of(0));
        executor.execute(List.of(later));

        // a change of another segment does not cancel it; leaving this one does
        executor.onChange(change("c-l", "other", MembershipChange.EXITED, 5));
        executor.onChange(change("c-l", "high-value", MembershipChange.EXITED, 2));
        clock.advance(Duration.ofHours(3));

        assertThat(scheduler.runDue()).isZero();
        assertThat(receiver.requests()).isEmpty();
        assertThat(sink.results.getLast().getStatus()).isEqualTo(ActivationStatus.SKIPPED);
        assertThat(sink.results.getLast().getReason())
                .isEqualTo("membership changed (EXITED high-value) before the step was due");
        assertThat(sink.results).hasSize(2);
    }

    @Test
    void shouldJudgeADeferredStepAgainstTheNewestSnapshotWhenConsentIsWithdrawnMeanwhile() throws Exception {
        // Given an SMS deferred at night for a customer who had consented
        clock.set(Instant.parse("2026-11-22T21:30:00Z"));
        SegmentMembershipChanged entered = smsCustomer("c-wd", Map.of("sms", true));
        entered.setAt(clock.instant());
        DeferredScheduler scheduler = new DeferredScheduler(
                ledger, p -> true, executor, codec, clock, 1, Duration.ofSeconds(1), Duration.ofMinutes(5));
        scheduler.assigned(List.of(0));
        executor.execute(List.of(smsDecision("w", "s", entered)));

        // When a later change of the customer (another segment) carries the withdrawn consent
        SegmentMembershipChanged later = smsCustomer("c-wd", Map.of("sms", false));
        later.setSegmentId("vip");
        later.setAt(clock.instant().plusSeconds(60));
        executor.onChange(later);
        clock.set(Instant.parse("2026-11-23T07:00:00Z"));
        scheduler.runDue();

        // Then nothing is sent: the step is skipped for lack of consent
        assertThat(receiver.requests()).isEmpty();
        assertThat(sink.results.getLast().getStatus()).isEqualTo(ActivationStatus.SKIPPED);
        assertThat(sink.results.getLast().getReason()).isEqualTo("no consent for sms");
    }

    @Test
    void shouldSendTheTakenBranchAndSkipTheOtherWithTheCondition() throws Exception {
        List<Decision.Condition> emailOk = List.of(new Decision.Condition("profile.consent.email == true", true));
        List<Decision.Condition> emailNot = List.of(new Decision.Condition("profile.consent.email == true", false));
        Decision then = new Decision(
                new IdempotencyKey("w", "then", "c-7", 2),
                1,
                "webhook",
                Map.of("url", receiver.url("/then")),
                change,
                null,
                emailOk);
        Decision otherwise = new Decision(
                new IdempotencyKey("w", "else", "c-7", 2),
                1,
                "webhook",
                Map.of("url", receiver.url("/else")),
                change,
                null,
                emailNot);

        executor.execute(List.of(then, otherwise));

        assertThat(receiver.requests())
                .extracting(RecordingReceiver.Request::path)
                .containsExactly("/then");
        assertThat(sink.results.getLast().getStatus()).isEqualTo(ActivationStatus.SKIPPED);
        assertThat(sink.results.getLast().getReason())
                .isEqualTo("branch not taken: condition `profile.consent.email == true` is true");
    }

    @Test
    void shouldNotRunADeferredDecisionThatWasCancelledAfterTheSchedulerReadIt() throws Exception {
        SegmentMembershipChanged entered = change("c-race", "high-value", MembershipChange.ENTERED, 1);
        entered.setAt(clock.instant());
        Decision later = new Decision(
                new IdempotencyKey("w", "hook", "c-race", 1),
                1,
                "webhook",
                Map.of("url", receiver.url("/later")),
                entered,
                clock.instant().plus(Duration.ofHours(1)));
        executor.execute(List.of(later));
        // the scheduler has read the entry; then the customer leaves and the entry is cancelled
        Decision read =
                codec.readDecision(ledger.history("c-race").pending().getFirst().decision());
        executor.onChange(change("c-race", "high-value", MembershipChange.EXITED, 2));
        clock.advance(Duration.ofHours(2));

        assertThat(executor.executeDeferred(read)).isEmpty();
        assertThat(receiver.requests()).isEmpty();
    }
}
