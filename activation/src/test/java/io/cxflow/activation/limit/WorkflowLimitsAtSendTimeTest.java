package io.cxflow.activation.limit;

import static io.cxflow.activation.testing.Fixtures.change;
import static io.cxflow.activation.testing.Fixtures.webhookDecision;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.RetryPolicy;
import io.cxflow.activation.channel.WebhookConnector;
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
import io.cxflow.activation.workflow.WorkflowLimits;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.MembershipChange;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Workflow limits judged by the guardrails at send time: {@code perCustomer} from the customer's ledger,
 * {@code total} from the effects counted across customers (the results are fed back as the follower of
 * {@code cx.activations.v1} would), against a webhook provider on loopback.
 */
class WorkflowLimitsAtSendTimeTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    private final WorkflowUsage usage = new WorkflowUsage(clock, Duration.ofDays(1), Duration.ofMinutes(10));
    private final List<ActivationResult> results = new CopyOnWriteArrayList<>();
    private final ResultSink sink = (result, deadLetter) -> {
        results.add(result);
        usage.record(result);
        return CompletableFuture.completedFuture(null);
    };
    private final Map<String, WorkflowLimits> limits = Map.of(
            "weekly", new WorkflowLimits(Optional.of(WorkflowLimits.parse("1/7d")), Optional.empty()),
            "budget", new WorkflowLimits(Optional.empty(), Optional.of(WorkflowLimits.parse("2/1d"))));
    private RecordingReceiver provider;
    private WebhookConnector webhook;
    private DecisionExecutor executor;

    @BeforeEach
    void setUp() throws Exception {
        provider = new RecordingReceiver();
        webhook = new WebhookConnector(
                Duration.ofSeconds(1), Duration.ofSeconds(2), Optional.empty(), new ObjectMapper(), Clock.systemUTC());
        executor = new DecisionExecutor(
                Map.<String, ChannelConnector>of("webhook", webhook),
                new MessageTemplates(),
                new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(10)),
                sink,
                new ActivationMetrics(new SimpleMeterRegistry()),
                clock,
                new SplittableRandom(1),
                new Guardrails(
                        GuardrailConfig.from(ConfigSource.of(Map.of())),
                        new SuppressionList(List.of()),
                        id -> limits.getOrDefault(id, WorkflowLimits.none()),
                        usage),
                new MemoryLedger(clock),
                new LedgerCodec(new ObjectMapper()),
                true);
    }

    @AfterEach
    void tearDown() {
        webhook.close();
        provider.close();
    }

    private Decision decision(String workflow, String customer, long membershipVersion, String path) {
        return webhookDecision(
                workflow,
                "hook",
                provider.url(path),
                change(customer, "high-value", MembershipChange.ENTERED, membershipVersion));
    }

    private String outcome(String workflow, String customer, long membershipVersion) throws Exception {
        results.clear();
        executor.execute(List.of(decision(workflow, customer, membershipVersion, "/ok")));
        ActivationResult result = results.getLast();
        return result.getStatus() + (result.getReason() == null ? "" : " " + result.getReason());
    }

    @Test
    void shouldSendAWorkflowToOneCustomerOncePerWindow() throws Exception {
        assertThat(outcome("weekly", "c-1", 1)).isEqualTo("SENT");
        clock.advance(Duration.ofDays(3));
        assertThat(outcome("weekly", "c-1", 2)).isEqualTo("SKIPPED workflow limit perCustomer 1/7d reached");
        assertThat(outcome("weekly", "c-2", 1)).isEqualTo("SENT");
        assertThat(outcome("other", "c-1", 2)).isEqualTo("SENT");
        clock.advance(Duration.ofDays(4).plusMinutes(1));
        assertThat(outcome("weekly", "c-1", 3)).isEqualTo("SENT");
        assertThat(provider.requests()).hasSize(4);
    }

    @Test
    void shouldStopAWorkflowAcrossCustomersAtItsTotal() throws Exception {
        assertThat(outcome("budget", "c-1", 1)).isEqualTo("SENT");
        assertThat(outcome("budget", "c-2", 1)).isEqualTo("SENT");
        assertThat(outcome("budget", "c-3", 1)).isEqualTo("SKIPPED workflow limit total 2/1d reached");
        assertThat(usage.used("budget", Duration.ofDays(1), clock.instant())).isEqualTo(2);

        clock.advance(Duration.ofDays(1).plusMinutes(2));

        assertThat(outcome("budget", "c-3", 2)).isEqualTo("SENT");
        assertThat(provider.requests()).hasSize(3);
    }

    @Test
    void shouldGiveThePlaceOfAFailedDecisionBack() throws Exception {
        provider.answering(404);
        results.clear();
        executor.execute(List.of(decision("budget", "c-1", 1, "/gone")));
        assertThat(results.getLast().getStatus()).hasToString("FAILED");

        assertThat(outcome("budget", "c-2", 1)).isEqualTo("SENT");
        assertThat(outcome("budget", "c-3", 1)).isEqualTo("SENT");
        assertThat(outcome("budget", "c-4", 1)).isEqualTo("SKIPPED workflow limit total 2/1d reached");
    }
}
