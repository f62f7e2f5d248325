package io.cxflow.activation.dispatch;

import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.RetryPolicy;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.WebhookConnector;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.template.MessageTemplates;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the decisions of one membership change: each through its channel connector, retrying
 * retriable failures per the {@link RetryPolicy}, and publishing a result for every failed attempt
 * ({@code RETRYING}) and for the outcome ({@code SENT} or {@code FAILED}; {@code FAILED} also to the
 * dead-letter topic). Steps of one workflow run in order; once a step has failed, the workflow's later
 * steps are {@code SKIPPED}. Thread-safe: it holds no per-call state.
 */
public final class DecisionExecutor {

    private static final Logger log = LoggerFactory.getLogger(DecisionExecutor.class);

    private final Map<String, ChannelConnector> connectors;
    private final MessageTemplates templates;
    private final RetryPolicy retryPolicy;
    private final ResultSink sink;
    private final ActivationMetrics metrics;
    private final Clock clock;
    private final RandomGenerator random;

    public DecisionExecutor(
            Map<String, ChannelConnector> connectors,
            MessageTemplates templates,
            RetryPolicy retryPolicy,
            ResultSink sink,
            ActivationMetrics metrics,
            Clock clock,
            RandomGenerator random) {
        this.connectors = Map.copyOf(connectors);
        this.templates = Objects.requireNonNull(templates, "templates");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Runs {@code decisions} (as planned for one change) and returns the pending result writes; the
     * caller must wait for them before it counts the change as done.
     *
     * @throws InterruptedException when the service is stopping; results already published stand,
     *     the rest of the change is not done
     */
    public List<Future<?>> execute(List<Decision> decisions) throws InterruptedException {
        List<Future<?>> writes = new ArrayList<>();
        Set<String> failedWorkflows = new HashSet<>();
        for (Decision decision : decisions) {
            if (failedWorkflows.contains(decision.workflowId())) {
                writes.add(publish(
                        decision, ActivationStatus.SKIPPED, 0, null, "an earlier step of the workflow failed", false));
                metrics.dispatched(decision.channel(), ActivationStatus.SKIPPED);
                continue;
            }
            ActivationStatus status = run(decision, writes);
            if (status == ActivationStatus.FAILED) {
                failedWorkflows.add(decision.workflowId());
            }
        }
        return writes;
    }

    private ActivationStatus run(Decision decision, List<Future<?>> writes) throws InterruptedException {
        ChannelConnector connector = connectors.get(decision.channel());
        if (connector == null) {
            writes.add(publish(
                    decision,
                    ActivationStatus.FAILED,
                    0,
                    null,
                    "no connector for channel '" + decision.channel() + "' in this version",
                    true));
            metrics.dispatched(decision.channel(), ActivationStatus.FAILED);
            return ActivationStatus.FAILED;
        }
        SendContext context;
        try {
            context = sendContext(decision);
        } catch (MessageTemplates.TemplateException e) {
            writes.add(publish(decision, ActivationStatus.FAILED, 0, null, e.getMessage(), true));
            metrics.dispatched(decision.channel(), ActivationStatus.FAILED);
            return ActivationStatus.FAILED;
        }
        for (int attempt = 1; ; attempt++) {
            Delivery delivery = connector.deliver(decision, context, attempt);
            metrics.attempt(decision.channel(), delivery);
            if (delivery.sent()) {
                writes.add(publish(decision, ActivationStatus.SENT, attempt, delivery, null, false));
                metrics.dispatched(decision.channel(), ActivationStatus.SENT);
                return ActivationStatus.SENT;
            }
            if (delivery.retriable() && retryPolicy.mayRetryAfter(attempt)) {
                Duration wait = retryPolicy.backoff(attempt, delivery.retryAfter(), random);
                log.debug(
                        "{} attempt {} failed ({}); retrying in {} ms",
                        decision,
                        attempt,
                        delivery.reason(),
                        wait.toMillis());
                writes.add(publish(decision, ActivationStatus.RETRYING, attempt, delivery, delivery.reason(), false));
                metrics.retry(decision.channel());
                Thread.sleep(wait);
                continue;
            }
            String reason = delivery.retriable()
                    ? "gave up after " + attempt + " attempts: " + delivery.reason()
                    : delivery.reason();
            log.warn("{} failed after {} attempt(s): {}", decision, attempt, reason);
            writes.add(publish(decision, ActivationStatus.FAILED, attempt, delivery, reason, true));
            metrics.dispatched(decision.channel(), ActivationStatus.FAILED);
            return ActivationStatus.FAILED;
        }
    }

    /**
     * What every attempt of {@code decision} is given: the step's content rendered once from the
     * membership snapshot (so retries send the same bytes). The webhook's document is the decision
     * itself and gets no content.
     */
    private SendContext sendContext(Decision decision) {
        if (WebhookConnector.CHANNEL.equals(decision.channel())) {
            return SendContext.none();
        }
        return SendContext.of(templates.render(decision));
    }

    private Future<?> publish(
            Decision decision,
            ActivationStatus status,
            int attempt,
            Delivery delivery,
            String reason,
            boolean deadLetter) {
        ActivationResult result = ActivationResults.of(decision, status, attempt, delivery, reason, clock.instant());
        try {
            return sink.publish(result, deadLetter);
        } catch (RuntimeException e) {
            // the producer refused the write outright (closed, no metadata in time, serialization)
            return CompletableFuture.failedFuture(e);
        }
    }
}
