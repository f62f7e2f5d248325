package io.cxflow.activation.feedback;

import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.dispatch.ResultSink;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.TouchpointEvent;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ResultSink} that also turns the final outcome of every decision on a feedback channel into
 * an event on {@code cx.events.v1}: {@code SENT} → {@code <Channel> Sent}, {@code FAILED} → {@code
 * Message Failed}. {@code SKIPPED}, {@code DEFERRED} and {@code RETRYING} are not customer touches
 * and add nothing — except the {@code SKIPPED} result of a decision the ledger already knows as sent
 * or failed (a redelivered or replayed change): its event is published again, with the same {@code
 * messageId}, which closes the window where a crash after the ledger's {@code DONE} lost the
 * first publication (analytics' dedupe drops the copy when the first one did arrive).
 *
 * <p>The returned future completes when both the result and its event are durable, so the
 * dispatcher commits a membership record only once its events are written: at least once, and
 * effectively once with the deterministic {@code messageId}. A customer whose recipient is not in the
 * {@link RecipientDirectory} (no delivery attempt ever reached a provider, or deleted) gets no event;
 * it is counted in {@code cx.activation.feedback.events{outcome=unroutable}}.
 */
public final class FeedbackResultSink implements ResultSink {

    private static final Logger log = LoggerFactory.getLogger(FeedbackResultSink.class);

    /** Start of the reason of a {@code SKIPPED} result for a decision the ledger knows as sent. */
    static final String ALREADY_SENT = "already sent (idempotency ledger)";
    /** Start of the reason of a {@code SKIPPED} result for a decision the ledger knows as failed. */
    static final String ALREADY_FAILED = "already failed (idempotency ledger)";

    private final ResultSink delegate;
    private final FeedbackConfig config;
    private final RecipientDirectory directory;
    private final FeedbackEvents events;
    private final FeedbackPublisher publisher;
    private final ActivationMetrics metrics;

    public FeedbackResultSink(
            ResultSink delegate,
            FeedbackConfig config,
            RecipientDirectory directory,
            FeedbackEvents events,
            FeedbackPublisher publisher,
            ActivationMetrics metrics) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.config = Objects.requireNonNull(config, "config");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.events = Objects.requireNonNull(events, "events");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public Future<?> publish(ActivationResult result, boolean deadLetter) {
        Future<?> written = delegate.publish(result, deadLetter);
        Kind kind = kind(result);
        if (kind == Kind.NONE || !config.covers(result.getChannel())) {
            return written;
        }
        RecipientDirectory.Lookup lookup = directory.find(result.getCustomerId());
        if (!(lookup instanceof RecipientDirectory.Lookup.Found found)) {
            metrics.feedbackEvent(result.getChannel(), ActivationMetrics.FEEDBACK_UNROUTABLE);
            log.debug(
                    "no feedback event for {} of workflow {}: the customer has no recipient",
                    result.getStatus(),
                    result.getWorkflowId());
            return written;
        }
        TouchpointEvent event =
                kind == Kind.SENT ? events.sent(result, found.recipient()) : events.failed(result, found.recipient());
        CompletableFuture<?> feedback = publisher.publish(event);
        metrics.feedbackEvent(result.getChannel(), event.getEvent());
        return CompletableFuture.allOf(feedback, asCompletable(written));
    }

    private enum Kind {
        SENT,
        FAILED,
        NONE
    }

    private static Kind kind(ActivationResult result) {
        ActivationStatus status = result.getStatus();
        if (status == ActivationStatus.SENT) {
            return Kind.SENT;
        }
        if (status == ActivationStatus.FAILED) {
            return Kind.FAILED;
        }
        if (status == ActivationStatus.SKIPPED && result.getReason() != null) {
            if (result.getReason().startsWith(ALREADY_SENT)) {
                return Kind.SENT;
            }
            if (result.getReason().startsWith(ALREADY_FAILED)) {
                return Kind.FAILED;
            }
        }
        return Kind.NONE;
    }

    private static CompletableFuture<?> asCompletable(Future<?> future) {
        if (future instanceof CompletableFuture<?> completable) {
            return completable;
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CompletionException(e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new java.util.concurrent.CompletionException(e.getCause());
            }
        });
    }
}
