package io.cxflow.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(10, 20, now::get);

    @Test
    void shouldAdmitUpToTheBurstThenAskToWait() {
        assertThat(limiter.tryAcquire(20)).isZero();

        Duration wait = limiter.tryAcquire(1);

        assertThat(wait).isEqualTo(Duration.ofMillis(100));
    }

    @Test
    void shouldRefillAtTheSustainedRate() {
        limiter.tryAcquire(20);
        now.addAndGet(Duration.ofMillis(500).toNanos());

        assertThat(limiter.tryAcquire(5)).isZero();
        assertThat(limiter.tryAcquire(1)).isPositive();
    }

    @Test
    void shouldAdmitABatchLargerThanTheBurstOnceAndThenChargeTheDebt() {
        assertThat(limiter.tryAcquire(50)).isZero();

        // 30 events of debt: a single event needs 31 tokens of refill at 10/s
        assertThat(limiter.tryAcquire(1)).isEqualTo(Duration.ofMillis(3100));
    }
}
