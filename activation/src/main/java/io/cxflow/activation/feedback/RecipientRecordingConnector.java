package io.cxflow.activation.feedback;

import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.email.EmailConnector;
import io.cxflow.activation.decision.Decision;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connector that records the decision's {@link Recipient} in the {@link RecipientDirectory} before
 * each attempt of the connector it wraps, so every message that reaches a provider can be followed by
 * events (its outcome, receipts, opens, clicks) routed to the customer's profile. The write happens
 * only when the customer's recipient is new or changed, and is acknowledged before the provider is
 * called; when it fails, the attempt is not made and counts as retriable (nothing was sent).
 * A snapshot without a userId or anonymousId is delivered without a recipient (its events cannot be
 * routed). Closing it does not close the wrapped connector (the channel registry owns it).
 */
public final class RecipientRecordingConnector implements ChannelConnector {

    private static final Logger log = LoggerFactory.getLogger(RecipientRecordingConnector.class);

    private final ChannelConnector delegate;
    private final RecipientDirectory directory;

    public RecipientRecordingConnector(ChannelConnector delegate, RecipientDirectory directory) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /**
     * {@code connectors} with the feedback channels of {@code config} and the email channel (whose
     * unsubscribe links must always reach the customer's profile) wrapped, the others as they are, in
     * the same order.
     */
    public static Map<String, ChannelConnector> wrap(
            Map<String, ChannelConnector> connectors, FeedbackConfig config, RecipientDirectory directory) {
        Map<String, ChannelConnector> wrapped = new LinkedHashMap<>();
        connectors.forEach((channel, connector) -> wrapped.put(
                channel,
                config.covers(channel) || EmailConnector.CHANNEL.equals(channel)
                        ? new RecipientRecordingConnector(connector, directory)
                        : connector));
        return wrapped;
    }

    @Override
    public String channel() {
        return delegate.channel();
    }

    @Override
    public Delivery deliver(Decision decision, int attempt) throws InterruptedException {
        Optional<Delivery> refused = record(decision);
        return refused.isPresent() ? refused.get() : delegate.deliver(decision, attempt);
    }

    @Override
    public Delivery deliver(Decision decision, SendContext context, int attempt) throws InterruptedException {
        Optional<Delivery> refused = record(decision);
        return refused.isPresent() ? refused.get() : delegate.deliver(decision, context, attempt);
    }

    /** Records the recipient; a retriable delivery when that failed, else empty. */
    private Optional<Delivery> record(Decision decision) throws InterruptedException {
        Optional<Recipient> recipient = Recipient.of(decision.change());
        if (recipient.isEmpty()) {
            log.debug("{} has no userId or anonymousId: its feedback events cannot be routed", decision);
            return Optional.empty();
        }
        long start = System.nanoTime();
        try {
            directory.remember(decision.customerId(), recipient.get());
            return Optional.empty();
        } catch (FeedbackWriteException e) {
            log.warn("{}: not attempted, the recipient could not be recorded: {}", decision, e.getMessage());
            return Optional.of(new Delivery(
                    Delivery.Outcome.RETRIABLE,
                    null,
                    Duration.ofNanos(System.nanoTime() - start),
                    null,
                    "not attempted: the recipient could not be recorded for feedback (" + e.getMessage() + ")",
                    null));
        }
    }

    @Override
    public String toString() {
        return "RecipientRecording[" + delegate + "]";
    }
}
