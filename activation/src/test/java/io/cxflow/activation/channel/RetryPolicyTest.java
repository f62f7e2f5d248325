package io.cxflow.activation.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(1000));

    @Test
    void shouldDoubleTheCeilingPerAttemptUpToTheCap() {
        assertThat(policy.ceiling(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.ceiling(2)).isEqualTo(Duration.ofMillis(200));
        assertThat(policy.ceiling(3)).isEqualTo(Duration.ofMillis(400));
        assertThat(policy.ceiling(4)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.ceiling(5)).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.ceiling(200)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void shouldKeepJitteredDelayBetweenHalfAndFullCeiling() {
        RandomGenerator random = new SplittableRandom(42);
        for (int attempt = 1; attempt <= 6; attempt++) {
            long ceiling = policy.ceiling(attempt).toMillis();
            for (int i = 0; i < 200; i++) {
                long delay = policy.backoff(attempt, null, random).toMillis();
                assertThat(delay).isBetween(ceiling / 2, ceiling);
            }
        }
    }

    @Test
    void shouldSpreadDelaysWhenJittering() {
        RandomGenerator random = new SplittableRandom(7);
        long distinct = java.util.stream.IntStream.range(0, 50)
                .mapToLong(i -> policy.backoff(4, null, random).toMillis())
                .distinct()
                .count();

        assertThat(distinct).isGreaterThan(10);
    }

    @Test
    void shouldHonourRetryAfterUpToTheCap() {
        RandomGenerator random = new SplittableRandom(1);

        assertThat(policy.backoff(1, Duration.ofMillis(700), random)).isEqualTo(Duration.ofMillis(700));
        assertThat(policy.backoff(1, Duration.ofSeconds(60), random)).isEqualTo(Duration.ofMillis(1000));
    }

    @Test
    void shouldAllowRetriesOnlyBelowMaxAttempts() {
        assertThat(policy.mayRetryAfter(4)).isTrue();
        assertThat(policy.mayRetryAfter(5)).isFalse();
        assertThat(new RetryPolicy(1, Duration.ofMillis(1), Duration.ofMillis(1)).mayRetryAfter(1))
                .isFalse();
    }

    @Test
    void shouldSumCeilingsForWorstCaseWaiting() {
        assertThat(policy.worstCaseWaiting()).isEqualTo(Duration.ofMillis(100 + 200 + 400 + 800));
    }

    @Test
    void shouldRefuseInconsistentSettings() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ZERO, Duration.ofMillis(5)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
