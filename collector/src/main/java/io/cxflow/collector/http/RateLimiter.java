package io.cxflow.collector.http;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket counting events (a batch of 100 costs 100). It holds at most {@code burst} tokens and
 * refills at {@code ratePerSecond}. A request is admitted when the bucket holds at least {@code
 * min(cost, burst)} tokens; the whole cost is then taken, possibly leaving the bucket in debt, so a batch
 * larger than the burst is not refused forever but the requests after it wait for the debt to be repaid.
 */
public final class RateLimiter {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final double ratePerSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private double tokens;
    private long lastRefill;

    /**
     * @param ratePerSecond sustained events per second (&gt; 0)
     * @param burst bucket size in events (at least 1)
     * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime})
     */
    public RateLimiter(double ratePerSecond, long burst, LongSupplier nanoClock) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.ratePerSecond = ratePerSecond;
        this.burst = Math.max(1, burst);
        this.nanoClock = nanoClock;
        this.tokens = this.burst;
        this.lastRefill = nanoClock.getAsLong();
    }

    /**
     * Takes {@code cost} tokens when the request is admitted.
     *
     * @return {@link Duration#ZERO} when admitted, else how long to wait before trying again
     */
    public synchronized Duration tryAcquire(int cost) {
        refill();
        double needed = Math.min(cost, burst);
        if (tokens >= needed) {
            tokens -= cost;
            return Duration.ZERO;
        }
        double seconds = (needed - tokens) / ratePerSecond;
        return Duration.ofNanos((long) Math.ceil(seconds * NANOS_PER_SECOND));
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - lastRefill;
        if (elapsed > 0) {
            tokens = Math.min(burst, tokens + elapsed * ratePerSecond / NANOS_PER_SECOND);
            lastRefill = now;
        }
    }
}
