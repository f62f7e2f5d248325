package io.cxflow.activation.profile;

import io.cxflow.activation.channel.WebhookConnector;
import io.cxflow.activation.decision.Decision;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a decision the customer's latest profile just before it is judged and sent: consent, {@code if}
 * conditions and templates then see the profile as analytics holds it now, not only the snapshot the
 * trigger carried. Every decision is read for, except a webhook step outside any {@code if} (its
 * document is the trigger's snapshot and no guardrail reads more).
 *
 * <p>While analytics cannot answer, the read is retried with a growing pause (from 100 ms, doubling, at
 * most 2 s) for up to {@code maxWait}; then {@link ProfileUnavailableException}: the decision is not
 * judged on an older snapshot, and its trigger is processed again later. A customer analytics has no
 * profile for (deleted, never built) keeps its snapshot. Thread-safe.
 */
public final class SendTimeProfiles implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SendTimeProfiles.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(2);
    private static final SendTimeProfiles NONE = new SendTimeProfiles(null, Duration.ZERO);

    private final ProfileClient client;
    private final Duration maxWait;

    private SendTimeProfiles(ProfileClient client, Duration maxWait) {
        this.client = client;
        this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
    }

    /** No profile source: decisions keep the snapshot of their trigger. */
    public static SendTimeProfiles none() {
        return NONE;
    }

    /**
     * @param client reads profiles from analytics; closed with this
     * @param maxWait how long one decision retries before giving up
     */
    public static SendTimeProfiles of(ProfileClient client, Duration maxWait) {
        return new SendTimeProfiles(Objects.requireNonNull(client, "client"), maxWait);
    }

    /** Whether latest profiles are read. */
    public boolean enabled() {
        return client != null;
    }

    /** Whether {@code decision} is given the latest profile: everything but a webhook step outside any {@code if}. */
    public boolean wants(Decision decision) {
        return client != null
                && decision.profile() == null
                && (!WebhookConnector.CHANNEL.equals(decision.channel())
                        || !decision.conditions().isEmpty());
    }

    /**
     * {@code decision} with its customer's latest profile, when it {@link #wants} one; otherwise
     * {@code decision} itself.
     *
     * @throws ProfileUnavailableException when analytics could not answer within {@code maxWait}
     * @throws InterruptedException when the service is stopping
     */
    public Decision attach(Decision decision) throws InterruptedException {
        if (!wants(decision)) {
            return decision;
        }
        Optional<LatestProfile> latest = read(decision.customerId());
        return latest.map(decision::withProfile).orElse(decision);
    }

    /**
     * The latest profile of {@code customerId}, retried for up to {@code maxWait}; empty when analytics
     * has none.
     *
     * @throws ProfileUnavailableException when analytics could not answer in time
     */
    public Optional<LatestProfile> read(String customerId) throws InterruptedException {
        if (client == null) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        Duration pause = FIRST_PAUSE;
        for (int attempt = 1; ; attempt++) {
            try {
                return client.profile(customerId);
            } catch (ProfileUnavailableException e) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new ProfileUnavailableException("the latest profile could not be read for " + maxWait + " ("
                            + attempt + " attempts): " + e.getMessage());
                }
                log.debug("profile read attempt {} failed ({}); retrying", attempt, e.getMessage());
                Thread.sleep(Math.min(pause.toMillis(), Math.max(1, left / 1_000_000)));
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
