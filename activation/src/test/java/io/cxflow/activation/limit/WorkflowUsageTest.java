package io.cxflow.activation.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.activation.testing.MutableClock;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class WorkflowUsageTest {

    private static final Duration DAY = Duration.ofDays(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:30Z"));
    private final WorkflowUsage usage = new WorkflowUsage(clock, DAY, Duration.ofMinutes(10));

    private static ActivationResult result(String workflow, String key, ActivationStatus status, Instant at) {
        return ActivationResult.newBuilder()
                .setIdempotencyKey(key)
                .setCustomerId("c")
                .setWorkflowId(workflow)
                .setStepId("s")
                .setChannel("webhook")
                .setStatus(status)
                .setAt(at)
                .build();
    }

    @Test
    void shouldCountSentResultsPerWorkflowWithinTheWindow() {
        Instant now = clock.instant();
        usage.record(result("w", "w:s:c1:1", ActivationStatus.SENT, now.minus(Duration.ofHours(2))));
        usage.record(result("w", "w:s:c2:1", ActivationStatus.SENT, now.minusSeconds(5)));
        usage.record(result("w", "w:s:c3:1", ActivationStatus.FAILED, now));
        usage.record(result("w", "w:s:c4:1", ActivationStatus.SKIPPED, now));
        usage.record(result("other", "other:s:c1:1", ActivationStatus.SENT, now));

        assertThat(usage.used("w", DAY, now)).isEqualTo(2);
        assertThat(usage.used("w", Duration.ofHours(1), now)).isEqualTo(1);
        assertThat(usage.used("other", DAY, now)).isEqualTo(1);
        assertThat(usage.used("nobody", DAY, now)).isZero();
    }

    @Test
    void shouldHoldAPlaceFromTheReservationUntilTheResultAndNotTwiceForOneDecision() {
        Instant now = clock.instant();

        assertThat(usage.tryReserve("w", "w:s:c1:1", 2, DAY, now)).isTrue();
        assertThat(usage.tryReserve("w", "w:s:c1:1", 2, DAY, now)).isTrue();
        assertThat(usage.tryReserve("w", "w:s:c2:1", 2, DAY, now)).isTrue();
        assertThat(usage.tryReserve("w", "w:s:c3:1", 2, DAY, now)).isFalse();
        assertThat(usage.used("w", DAY, now)).isEqualTo(2);

        // the first turns into a counted effect, the second failed and gives its place back
        usage.record(result("w", "w:s:c1:1", ActivationStatus.SENT, now));
        usage.record(result("w", "w:s:c2:1", ActivationStatus.RETRYING, now));
        assertThat(usage.tryReserve("w", "w:s:c3:1", 2, DAY, now)).isFalse();
        usage.record(result("w", "w:s:c2:1", ActivationStatus.FAILED, now));
        assertThat(usage.used("w", DAY, now)).isEqualTo(1);
        assertThat(usage.tryReserve("w", "w:s:c3:1", 2, DAY, now)).isTrue();
    }

    @Test
    void shouldLetAReservationWithoutResultExpire() {
        assertThat(usage.tryReserve("w", "w:s:c1:1", 1, DAY, clock.instant())).isTrue();
        assertThat(usage.tryReserve("w", "w:s:c2:1", 1, DAY, clock.instant())).isFalse();

        clock.advance(Duration.ofMinutes(11));

        assertThat(usage.tryReserve("w", "w:s:c2:1", 1, DAY, clock.instant())).isTrue();
    }

    @Test
    void shouldCountTheOldestMinuteOfAWindowWhole() {
        Instant now = clock.instant(); // 12:00:30
        usage.record(result("w", "w:s:c1:1", ActivationStatus.SENT, Instant.parse("2026-11-22T11:00:10Z")));

        // the window starts at 11:00:30, inside the minute of the effect: it still counts (never one too many)
        assertThat(usage.used("w", Duration.ofHours(1), now)).isEqualTo(1);
        assertThat(usage.used("w", Duration.ofMinutes(59), now)).isZero();
    }
}
