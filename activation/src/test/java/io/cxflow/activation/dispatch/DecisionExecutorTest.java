package io.cxflow.activation.dispatch;

import static io.cxflow.activation.testing.Fixtures.change;
import static io.cxflow.activation.testing.Fixtures.webhookDecision;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.RetryPolicy;
import io.cxflow.activation.channel.WebhookConnector;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.template.MessageTemplates;
import io.cxflow.activation.testing.RecordingReceiver;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
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

        @Override
        public Future<?> publish(ActivationResult result, boolean deadLetter) {
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
    private final SegmentMembershipChanged change = change("c-7", "high-value", MembershipChange.ENTERED, 2);

    @BeforeEach
    void setUp() throws Exception {
        receiver = new RecordingReceiver();
        webhook = new WebhookConnector(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Optional.empty(), new ObjectMapper(), Clock.systemUTC());
        sink = new CollectingSink();
        meters = new SimpleMeterRegistry();
        executor = new DecisionExecutor(
                Map.<String, ChannelConnector>of("webhook", webhook),
                new MessageTemplates(),
                new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40)),
                sink,
                new ActivationMetrics(meters),
                Clock.systemUTC(),
                new SplittableRandom(3));
    }

    @AfterEach
    void tearDown() {
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
                new io.cxflow.activation.decision.IdempotencyKey("w", "s", "c-7", 2), 1, "sms", Map.of(), change);

        executor.execute(List.of(sms));

        assertThat(sink.results).singleElement().satisfies(r -> {
            assertThat(r.getStatus()).isEqualTo(ActivationStatus.FAILED);
            assertThat(r.getReason()).contains("sms");
        });
    }
}
