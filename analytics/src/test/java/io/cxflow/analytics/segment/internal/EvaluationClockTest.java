package io.cxflow.analytics.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EvaluationClockTest {

    @Test
    void shouldReuseAnswersOnlyWhileTimeMovesForward() {
        EvaluationClock clock = new EvaluationClock(0);
        assertThat(clock.observe(10_000)).isTrue();
        assertThat(clock.observe(10_000)).isTrue();
        assertThat(clock.observe(12_000)).isTrue();
        // the wall clock steps back: nothing is reused until it passes 12,000 again
        assertThat(clock.observe(9_000)).isFalse();
        assertThat(clock.observe(11_999)).isFalse();
        assertThat(clock.observe(12_000)).isTrue();
    }

    @Test
    void shouldStoreAMarkAheadOfEveryTimeUsedAboutOncePerStep() {
        EvaluationClock clock = new EvaluationClock(0);
        clock.observe(10_000);
        assertThat(clock.markToStore()).isEqualTo(10_000 + EvaluationClock.STEP_MS);
        clock.observe(10_500);
        assertThat(clock.markToStore()).isEqualTo(-1); // 11,000 covers it
        clock.observe(11_001);
        assertThat(clock.markToStore()).isEqualTo(11_001 + EvaluationClock.STEP_MS);
    }

    @Test
    void shouldResumeFromTheStoredMarkAfterARestart() {
        EvaluationClock before = new EvaluationClock(0);
        before.observe(50_000);
        long mark = before.markToStore();
        before.observe(50_900); // used after the mark was stored, still covered by it

        EvaluationClock after = new EvaluationClock(mark);
        assertThat(after.observe(50_950))
                .as("a machine whose clock is behind the times used")
                .isFalse();
        assertThat(after.observe(mark)).isTrue();
        assertThat(after.markToStore()).isEqualTo(-1);
    }
}
