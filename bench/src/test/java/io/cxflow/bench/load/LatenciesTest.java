package io.cxflow.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void shouldGiveNearestRankPercentilesOfAllMergedValues() {
        Latencies odd = new Latencies(4);
        Latencies even = new Latencies(4);
        for (int v = 100; v >= 1; v--) {
            (v % 2 == 0 ? even : odd).record(v);
        }

        Latencies merged = Latencies.merge(List.of(odd, even));

        assertThat(merged.count()).isEqualTo(100);
        assertThat(merged.percentile(50)).isEqualTo(50);
        assertThat(merged.percentile(99)).isEqualTo(99);
        assertThat(merged.percentile(99.9)).isEqualTo(100);
        assertThat(merged.percentile(100)).isEqualTo(100);
        assertThat(merged.max()).isEqualTo(100);
    }

    @Test
    void shouldAnswerMinusOneWhenNothingWasRecorded() {
        Latencies empty = Latencies.merge(List.of(new Latencies()));

        assertThat(empty.percentile(99)).isEqualTo(-1);
        assertThat(empty.max()).isEqualTo(-1);
    }

    @Test
    void shouldRefuseAPercentileOutsideTheRange() {
        assertThatThrownBy(() -> new Latencies().percentile(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Latencies().percentile(101)).isInstanceOf(IllegalArgumentException.class);
    }
}
