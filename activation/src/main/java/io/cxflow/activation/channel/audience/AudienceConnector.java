package io.cxflow.activation.channel.audience;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.Undeliverable;
import io.cxflow.activation.decision.Decision;
import io.cxflow.avro.MembershipChange;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The {@code ads} channel: adds customers to, and removes them from, ad-platform audiences, as batches
 * of hashed identifiers ({@link AudienceMember}) delivered to a drop folder ({@link FileDropSink}) or an
 * HTTP endpoint ({@link HttpAudienceSink}).
 *
 * <p>Step settings: {@code audience} (required, {@code [a-z0-9][a-z0-9._-]{0,62}}) and {@code
 * operation}: {@code add}, {@code remove}, or {@code auto} (the default: {@code add} on ENTERED,
 * {@code remove} on EXITED).
 *
 * <p>{@link #deliver} adds the decision's member to the next batch and waits for that batch's
 * outcome; an engine that wants full batches submits many decisions before waiting ({@link #submit}).
 * A retried member joins a later batch; a batch with the same members as one already delivered has
 * the same id, and the destination does not apply it twice. Adding or removing a member twice is
 * harmless on audience platforms, so a member repeated in two different batches has one effect.
 */
public final class AudienceConnector implements ChannelConnector {

    public static final String CHANNEL = "ads";
    public static final String AUDIENCE_SETTING = "audience";
    public static final String OPERATION_SETTING = "operation";

    private final AudienceSink sink;
    private final AudienceBatcher batcher;

    public AudienceConnector(AudienceSink sink, int maxBatchSize, Duration maxDelay) {
        this.sink = Objects.requireNonNull(sink, "sink");
        this.batcher = new AudienceBatcher(maxBatchSize, maxDelay, sink);
    }

    /** The connector of {@code config}, with the destination it names. */
    public static AudienceConnector of(AudienceConfig config, ObjectMapper mapper, Clock clock) {
        AudienceSink sink = config.dropDir().isPresent()
                ? new FileDropSink(config.dropDir().get(), config.format(), mapper, clock)
                : new HttpAudienceSink(
                        config.http().orElseThrow().endpoint(),
                        config.http().get().signer(),
                        mapper,
                        clock);
        return new AudienceConnector(sink, config.maxBatchSize(), config.maxDelay());
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public Delivery deliver(Decision decision, int attempt) throws InterruptedException {
        try {
            return submit(decision).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("audience batch future failed", e.getCause());
        }
    }

    @Override
    public Delivery deliver(Decision decision, SendContext context, int attempt) throws InterruptedException {
        return deliver(decision, attempt);
    }

    /**
     * Adds the decision's member to the next batch of its audience and operation; the future completes
     * with the batch's outcome (at once, as permanent, when the decision cannot go into an audience).
     */
    public CompletableFuture<Delivery> submit(Decision decision) {
        try {
            String audience = audience(decision);
            AudienceBatch.Operation operation = operation(decision);
            return batcher.submit(audience, operation, AudienceMember.of(decision));
        } catch (Undeliverable e) {
            return CompletableFuture.completedFuture(e.toDelivery(Duration.ZERO));
        }
    }

    static String audience(Decision decision) throws Undeliverable {
        String audience = decision.settings().get(AUDIENCE_SETTING);
        if (audience == null || audience.isBlank()) {
            throw new Undeliverable("the step has no 'audience' setting");
        }
        if (!AudienceBatch.AUDIENCE_NAME.matcher(audience).matches()) {
            throw new Undeliverable("the step's 'audience' must match " + AudienceBatch.AUDIENCE_NAME.pattern());
        }
        return audience;
    }

    static AudienceBatch.Operation operation(Decision decision) throws Undeliverable {
        String op = decision.settings()
                .getOrDefault(OPERATION_SETTING, "auto")
                .trim()
                .toLowerCase(Locale.ROOT);
        return switch (op) {
            case "add" -> AudienceBatch.Operation.ADD;
            case "remove" -> AudienceBatch.Operation.REMOVE;
            case "auto" ->
                decision.change().getChange() == MembershipChange.ENTERED
                        ? AudienceBatch.Operation.ADD
                        : AudienceBatch.Operation.REMOVE;
            default -> throw new Undeliverable("the step's 'operation' must be add, remove or auto");
        };
    }

    /** Sends the batches being gathered, then closes the destination. */
    @Override
    public void close() {
        batcher.close();
        sink.close();
    }

    @Override
    public String toString() {
        return "AudienceConnector[" + sink.describe() + "]";
    }
}
