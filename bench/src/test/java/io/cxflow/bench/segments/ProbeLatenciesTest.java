package io.cxflow.bench.segments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProbeLatenciesTest {

    private static final long MS = 1_000_000L;
    private static final Duration LOST_AFTER = Duration.ofSeconds(30);

    @Test
    void shouldMeasureFromThe200ToTheEnteredAndCountLostAndFailedProbesApart() {
        // given five probes: one in the warm-up, one failed, one entered late, one never, one in time
        ProbeLoad.Probes probes = new ProbeLoad.Probes("p-", 5, 1_000 * MS);
        probes.record(0, 500 * MS, 510 * MS, 200); // warm-up: not measured
        probes.record(1, 1_000 * MS, 1_010 * MS, 503); // refused: failed, no ENTERED owed
        probes.record(2, 1_100 * MS, 1_110 * MS, 200); // ENTERED after 31 s: lost
        probes.record(3, 1_200 * MS, 1_210 * MS, 200); // no ENTERED: lost
        probes.record(4, 1_300 * MS, 1_310 * MS, 200); // ENTERED 250 ms after its 200
        probes.seal(5);
        Map<String, Long> entered = new HashMap<>();
        entered.put("p-0", 600 * MS);
        entered.put("p-2", 1_110 * MS + 31_000 * MS);
        entered.put("p-4", 1_560 * MS);

        // when
        ProbeLatencies result = ProbeLatencies.of(probes, entered::get, LOST_AFTER);

        // then
        assertThat(result.probes()).isEqualTo(3);
        assertThat(result.failed()).isEqualTo(1);
        assertThat(result.lost()).isEqualTo(2);
        // the lost probes are in the distribution as "too late": the median of three is one of them
        assertThat(result.latencies().count()).isEqualTo(3);
        assertThat(result.latencies().percentile(33)).isEqualTo(250 * MS);
        assertThat(result.latencies().percentile(50)).isEqualTo(ProbeLatencies.LOST);
    }

    @Test
    void shouldSliceTheMeasuredWindowByDueTime() {
        // given probes due 1 s, 5 s and 12 s into the measured window, the last one lost
        ProbeLoad.Probes probes = new ProbeLoad.Probes("p-", 3, 0);
        probes.record(0, 1_000 * MS, 1_000 * MS, 200);
        probes.record(1, 5_000 * MS, 5_000 * MS, 200);
        probes.record(2, 12_000 * MS, 12_000 * MS, 200);
        probes.seal(3);
        Map<String, Long> entered = new HashMap<>();
        entered.put("p-0", 1_100 * MS);
        entered.put("p-1", 5_300 * MS);

        // when
        var slices = ProbeLatencies.bySlice(probes, entered::get, LOST_AFTER, Duration.ofSeconds(10));

        // then
        assertThat(slices).hasSize(2);
        assertThat(slices.get(0).probes()).isEqualTo(2);
        assertThat(slices.get(0).latencies().max()).isEqualTo(300 * MS);
        assertThat(slices.get(1).probes()).isEqualTo(1);
        assertThat(slices.get(1).lost()).isEqualTo(1);
    }

    @Test
    void shouldWaitForAMissingEnteredOnlyUntilItCountsAsLost() {
        ProbeLoad.Probes probes = new ProbeLoad.Probes("p-", 2, 0);
        probes.record(0, 0, 10 * MS, 200);
        probes.record(1, 100 * MS, 110 * MS, 200);
        probes.seal(2);
        Map<String, Long> entered = new HashMap<>();
        entered.put("p-0", 300 * MS);

        assertThat(ProbeLatencies.settled(probes, entered::get, LOST_AFTER, 1_000 * MS))
                .isFalse();
        assertThat(ProbeLatencies.settled(probes, entered::get, LOST_AFTER, 110 * MS + LOST_AFTER.toNanos() + 1))
                .isTrue();
        entered.put("p-1", 900 * MS);
        assertThat(ProbeLatencies.settled(probes, entered::get, LOST_AFTER, 1_000 * MS))
                .isTrue();
    }
}
