package io.cxflow.activation.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.RetryPolicy;
import io.cxflow.activation.channel.WebhookConnector;
import io.cxflow.activation.channel.sms.SmsConfig;
import io.cxflow.activation.channel.sms.SmsConnector;
import io.cxflow.activation.channel.support.Decisions;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.dispatch.DecisionExecutor;
import io.cxflow.activation.dispatch.ResultSink;
import io.cxflow.activation.guard.GuardrailConfig;
import io.cxflow.activation.guard.Guardrails;
import io.cxflow.activation.guard.SuppressionList;
import io.cxflow.activation.ledger.LedgerCodec;
import io.cxflow.activation.template.MessageTemplates;
import io.cxflow.activation.testing.MemoryLedger;
import io.cxflow.activation.testing.MutableClock;
import io.cxflow.activation.testing.RecordingReceiver;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.config.ConfigSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Outcome events of real decisions run by the executor, through the recording connector and the sink. */
class FeedbackResultSinkTest {

    private static final class CollectingSink implements ResultSink {
        final List<ActivationResult> results = new CopyOnWriteArrayList<>();

        @Override
        public Future<?> publish(ActivationResult result, boolean deadLetter) {
            results.add(result);
            return CompletableFuture.completedFuture(null);
        }
    }

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CollectingSink results = new CollectingSink();
    private RecordingReceiver provider;
    private SmsConnector sms;
    private WebhookConnector webhook;

    @BeforeEach
    void setUp() throws Exception {
        provider = new RecordingReceiver();
        sms = new SmsConnector(
                SmsConfig.from(ConfigSource.of(Map.of("activation.sms.url", provider.url("/sms"))))
                        .orElseThrow(),
                new ObjectMapper(),
                clock);
        webhook = new WebhookConnector(
                Duration.ofSeconds(1), Duration.ofSeconds(2), java.util.Optional.empty(), new ObjectMapper(), clock);
    }

    @AfterEach
    void tearDown() {
        sms.close();
        webhook.close();
        provider.close();
    }

    private DecisionExecutor executor(FeedbackFixtures fx) {
        FeedbackConfig config = FeedbackConfig.defaults();
        ActivationMetrics metrics = new ActivationMetrics(meters);
        return new DecisionExecutor(
                RecipientRecordingConnector.wrap(
                        Map.<String, ChannelConnector>of("sms", sms, "webhook", webhook), config, fx.directory),
                new MessageTemplates(),
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40)),
                new FeedbackResultSink(
                        results,
                        config,
                        fx.directory,
                        new FeedbackEvents(config.sourceId(), clock),
                        fx.publisher,
                        metrics),
                metrics,
                clock,
                new SplittableRandom(3),
                new Guardrails(
                        GuardrailConfig.from(ConfigSource.of(Map.of("activation.quiet-hours", "off"))),
                        new SuppressionList(List.of())),
                new MemoryLedger(clock),
                new LedgerCodec(new ObjectMapper()),
                true);
    }

    private static Decision smsDecision() {
        return Decisions.decision(
                "sms",
                "text",
                Map.of("text", "Hi"),
                Decisions.change("cus_42", MembershipChange.ENTERED, 3).build());
    }

    private static void await(List<Future<?>> writes) throws Exception {
        for (Future<?> write : writes) {
            write.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldPublishSmsSentOnceSentAndTheSameEventWhenTheLedgerSkipsARepetition() throws Exception {
        FeedbackFixtures fx = new FeedbackFixtures();
        DecisionExecutor executor = executor(fx);

        await(executor.execute(List.of(smsDecision())));
        await(executor.execute(List.of(smsDecision())));

        assertThat(provider.requests()).hasSize(1);
        assertThat(results.results)
                .extracting(ActivationResult::getStatus)
                .containsExactly(ActivationStatus.SENT, ActivationStatus.SKIPPED);
        assertThat(fx.directoryWrites.history()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("cus_42");
            assertThat(r.value()).isEqualTo("userId:u-1");
        });
        List<TouchpointEvent> events = fx.events();
        assertThat(events).extracting(TouchpointEvent::getEvent).containsExactly("SMS Sent", "SMS Sent");
        assertThat(events.get(1).getMessageId()).isEqualTo(events.get(0).getMessageId());
        assertThat(events.get(0).getMessageId()).isEqualTo(FeedbackEvents.messageId("welcome:text:cus_42:3", "sent"));
        assertThat(fx.eventKeys()).containsExactly("u-1", "u-1");
    }

    @Test
    void shouldPublishMessageFailedOnlyForTheFinalFailure() throws Exception {
        FeedbackFixtures fx = new FeedbackFixtures();
        provider.answering(503, 503, 400);

        await(executor(fx).execute(List.of(smsDecision())));

        assertThat(results.results)
                .extracting(ActivationResult::getStatus)
                .containsExactly(ActivationStatus.RETRYING, ActivationStatus.RETRYING, ActivationStatus.FAILED);
        assertThat(fx.events()).singleElement().satisfies(e -> {
            assertThat(e.getEvent()).isEqualTo("Message Failed");
            assertThat(e.getContext().getChannel()).isEqualTo("sms");
            assertThat(e.getProperties()).contains("\"attempts\":3").contains("\"providerStatus\":400");
        });
    }

    @Test
    void shouldPublishNothingForChannelsWithoutFeedback() throws Exception {
        FeedbackFixtures fx = new FeedbackFixtures();
        Decision hook = Decisions.decision(
                "webhook",
                "hook",
                Map.of("url", provider.url("/hook")),
                Decisions.change("cus_42", MembershipChange.ENTERED, 3).build());

        await(executor(fx).execute(List.of(hook)));

        assertThat(results.results).extracting(ActivationResult::getStatus).containsExactly(ActivationStatus.SENT);
        assertThat(fx.events()).isEmpty();
        assertThat(fx.directoryWrites.history()).isEmpty();
    }

    @Test
    void shouldNotCallTheProviderWhileTheRecipientCannotBeRecorded() throws Exception {
        FeedbackFixtures fx = new FeedbackFixtures(false, true);

        await(executor(fx).execute(List.of(smsDecision())));

        assertThat(provider.requests()).isEmpty();
        assertThat(results.results)
                .extracting(ActivationResult::getStatus)
                .containsExactly(ActivationStatus.RETRYING, ActivationStatus.RETRYING, ActivationStatus.FAILED);
        assertThat(results.results.getLast().getReason()).contains("recipient could not be recorded");
        assertThat(fx.events()).isEmpty();
        assertThat(meters.get(ActivationMetrics.FEEDBACK_EVENTS)
                        .tag("event", ActivationMetrics.FEEDBACK_UNROUTABLE)
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldCompleteTheResultOnlyOnceItsEventIsWritten() throws Exception {
        FeedbackFixtures fx = new FeedbackFixtures(true, false);
        fx.directory.remember("cus_42", new Recipient(Recipient.USER_ID, "u-1"));
        FeedbackResultSink sink = new FeedbackResultSink(
                results,
                FeedbackConfig.defaults(),
                fx.directory,
                new FeedbackEvents("cx-activation", clock),
                fx.publisher,
                new ActivationMetrics(meters));
        ActivationResult sent = ActivationResult.newBuilder()
                .setIdempotencyKey("welcome:text:cus_42:3")
                .setCustomerId("cus_42")
                .setWorkflowId("welcome")
                .setStepId("text")
                .setChannel("sms")
                .setStatus(ActivationStatus.SENT)
                .setAt(clock.instant())
                .build();

        Future<?> first = sink.publish(sent, false);
        Future<?> second = sink.publish(sent, false);
        assertThat(first.isDone()).isFalse();
        fx.eventWrites.completeNext();
        fx.eventWrites.errorNext(new org.apache.kafka.common.errors.TimeoutException("no ack"));

        first.get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> second.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }
}
