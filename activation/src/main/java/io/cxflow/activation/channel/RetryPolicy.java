package io.cxflow.activation.channel;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How often and how long to wait before a retriable delivery is tried again: exponential backoff
 * with "equal jitter" (half of the exponential delay fixed, half random), so concurrent retries
 * against one provider spread out instead of arriving together. A provider's {@code Retry-After} is
 * honoured up to {@link #maxBackoff()}.
 *
 * @param maxAttempts total attempts per decision, including the first (>= 1)
 * @param initialBackoff the base delay after the first failed attempt (> 0)
 * @param maxBackoff the cap of any single delay (>= initialBackoff)
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1: " + maxAttempts);
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be > 0: " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "maxBackoff (" + maxBackoff + ") must be >= initialBackoff (" + initialBackoff + ")");
        }
    }

    /** Whether another attempt may follow attempt number {@code attempt} (1-based). */
    public boolean mayRetryAfter(int attempt) {
        return attempt < maxAttempts;
    }

    /**
     * The un-jittered delay after failed attempt {@code attempt} (1-based): {@code initialBackoff *
     * 2^(attempt-1)}, capped at {@code maxBackoff}.
     */
    public Duration ceiling(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based: " + attempt);
        }
        long initial = initialBackoff.toMillis();
        long max = maxBackoff.toMillis();
        int shift = Math.min(attempt - 1, 62);
        long exponential = initial > (max >> shift) ? max : initial << shift;
        return Duration.ofMillis(Math.min(exponential, max));
    }

    /**
     * The delay to wait after failed attempt {@code attempt}: uniformly within {@code [ceiling/2,
     * ceiling]}, and at least the provider's {@code retryAfter} (when given) up to {@code maxBackoff}.
     */
    public Duration backoff(int attempt, Duration retryAfter, RandomGenerator random) {
        long ceiling = ceiling(attempt).toMillis();
        long half = ceiling / 2;
        long jittered = half + random.nextLong(ceiling - half + 1);
        if (retryAfter != null && !retryAfter.isNegative()) {
            long requested = Math.min(retryAfter.toMillis(), maxBackoff.toMillis());
            jittered = Math.max(jittered, requested);
        }
        return Duration.ofMillis(jittered);
    }

    /**
     * The longest time one decision can spend waiting between attempts (without the attempts
     * themselves): the sum of every ceiling.
     */
    public Duration worstCaseWaiting() {
        Duration total = Duration.ZERO;
        for (int attempt = 1; attempt < maxAttempts; attempt++) {
            total = total.plus(ceiling(attempt));
        }
        return total;
    }
}
