package io.cxflow.collector.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimeTest {

    private static final Instant RECEIVED = Instant.parse("2026-11-20T10:00:10.000Z");

    @Test
    void shouldCorrectDeviceClockSkewWhenSentAtIsPresent() {
        // device clock is 1 hour behind: the event happened 4 s before it was sent
        Instant original = Instant.parse("2026-11-20T09:00:02Z");
        Instant sentAt = Instant.parse("2026-11-20T09:00:06Z");

        assertThat(EventTime.resolve(RECEIVED, original, sentAt)).isEqualTo(Instant.parse("2026-11-20T10:00:06Z"));
    }

    @Test
    void shouldKeepTheClientTimestampWhenSentAtIsAbsent() {
        Instant original = Instant.parse("2026-11-19T08:00:00Z");

        assertThat(EventTime.resolve(RECEIVED, original, null)).isEqualTo(original);
    }

    @Test
    void shouldUseReceivedAtWhenTheClientSentNoTime() {
        assertThat(EventTime.resolve(RECEIVED, null, null)).isEqualTo(RECEIVED);
    }

    @Test
    void shouldUseReceivedAtWhenOnlySentAtIsPresent() {
        assertThat(EventTime.resolve(RECEIVED, null, Instant.parse("2020-01-01T00:00:00Z")))
                .isEqualTo(RECEIVED);
    }

    @Test
    void shouldNeverDateAnEventAfterItWasReceivedWhenTheClockJumpedBackwards() {
        // sentAt earlier than the event on the same clock: the formula would give a future time
        Instant original = Instant.parse("2026-11-20T09:00:10Z");
        Instant sentAt = Instant.parse("2026-11-20T09:00:00Z");

        assertThat(EventTime.resolve(RECEIVED, original, sentAt)).isEqualTo(RECEIVED);
    }

    @Test
    void shouldTruncateToMilliseconds() {
        Instant received = Instant.parse("2026-11-20T10:00:10.123456789Z");

        assertThat(EventTime.resolve(received, null, null)).isEqualTo(Instant.parse("2026-11-20T10:00:10.123Z"));
    }
}
