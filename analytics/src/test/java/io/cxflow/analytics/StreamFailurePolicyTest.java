package io.cxflow.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamFailurePolicyTest {

    private static final RuntimeException FAILURE = new IllegalStateException("broker gone");

    @Test
    void shouldReplaceThreadUntilTooManyFailuresWithinTheWindow() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        StreamFailurePolicy policy = new StreamFailurePolicy(3, Duration.ofMinutes(10), clock);

        assertThat(policy.handle(FAILURE)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.handle(FAILURE)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.handle(FAILURE)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(policy.handle(FAILURE)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldForgetFailuresOlderThanTheWindow() {
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        StreamFailurePolicy policy = new StreamFailurePolicy(2, Duration.ofMinutes(10), clock);

        policy.handle(FAILURE);
        policy.handle(FAILURE);
        clock.now = clock.now.plus(Duration.ofMinutes(11));

        assertThat(policy.handle(FAILURE)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
