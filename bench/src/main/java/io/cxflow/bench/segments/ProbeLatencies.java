package io.cxflow.bench.segments;

import io.cxflow.bench.load.Latencies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * The end-to-end latencies of the measured probes: from the collector's 200 to the ENTERED of the probe
 * segment arriving at the membership consumer. A probe answered 200 whose ENTERED did not arrive within {@code
 * lostAfter} of its 200 is lost; a probe not answered 200 is failed (the collector refused it, so no ENTERED is
 * owed).
 *
 * @param latencies the latency of every measured probe answered 200, in nanoseconds (sorted); a lost probe's is
 *     {@link #LOST}, so percentiles above the share of probes that entered in time read as "more than {@code
 *     lostAfter}"
 * @param probes measured probes answered 200
 * @param lost those without an ENTERED within {@code lostAfter}
 * @param failed measured probes not answered 200
 */
record ProbeLatencies(Latencies latencies, int probes, int lost, int failed) {

    /** The latency recorded for a lost probe. */
    static final long LOST = Long.MAX_VALUE;

    static ProbeLatencies of(ProbeLoad.Probes probes, Function<String, Long> enteredAt, Duration lostAfter) {
        return of(probes, enteredAt, lostAfter, p -> true);
    }

    /**
     * The same, for each {@code slice} of the measured window by the probes' due time: whether the latency is
     * steady or a backlog draining (or growing) through the window.
     */
    static List<ProbeLatencies> bySlice(
            ProbeLoad.Probes probes, Function<String, Long> enteredAt, Duration lostAfter, Duration slice) {
        long width = slice.toNanos();
        int slices = 0;
        for (int p = 0; p < probes.count(); p++) {
            if (probes.measured(p)) {
                slices = Math.max(slices, (int) (probes.sinceMeasureStart(p) / width) + 1);
            }
        }
        List<ProbeLatencies> out = new ArrayList<>();
        for (int i = 0; i < slices; i++) {
            int index = i;
            out.add(of(probes, enteredAt, lostAfter, p -> probes.sinceMeasureStart(p) / width == index));
        }
        return out;
    }

    private static ProbeLatencies of(
            ProbeLoad.Probes probes, Function<String, Long> enteredAt, Duration lostAfter, IntPredicate include) {
        Latencies latencies = new Latencies(Math.max(16, probes.count()));
        int answered = 0;
        int lost = 0;
        int failed = 0;
        for (int p = 0; p < probes.count(); p++) {
            if (!probes.measured(p) || !include.test(p)) {
                continue;
            }
            if (probes.status(p) != 200) {
                failed++;
                continue;
            }
            answered++;
            long latency = latency(probes, enteredAt, p);
            if (latency > lostAfter.toNanos()) {
                lost++;
                latencies.record(LOST);
            } else {
                latencies.record(Math.max(0, latency));
            }
        }
        return new ProbeLatencies(Latencies.merge(List.of(latencies)), answered, lost, failed);
    }

    /**
     * The {@code n} slowest measured probes that entered, slowest first, as "seconds into the measured window of
     * the probe's 200: latency" (e.g. {@code 23.4 s: 547 ms}): clustered times point at one disturbance,
     * scattered ones at a steady tail.
     */
    static List<String> slowest(ProbeLoad.Probes probes, Function<String, Long> enteredAt, Duration lostAfter, int n) {
        List<long[]> entered = new ArrayList<>();
        for (int p = 0; p < probes.count(); p++) {
            if (!probes.measured(p) || probes.status(p) != 200) {
                continue;
            }
            long latency = latency(probes, enteredAt, p);
            if (latency <= lostAfter.toNanos()) {
                entered.add(new long[] {latency, probes.sinceMeasureStart(p)});
            }
        }
        entered.sort((a, b) -> Long.compare(b[0], a[0]));
        List<String> out = new ArrayList<>();
        for (long[] probe : entered.subList(0, Math.min(n, entered.size()))) {
            out.add(String.format(java.util.Locale.ROOT, "%.1f s: %d ms", probe[1] / 1e9, probe[0] / 1_000_000));
        }
        return out;
    }

    /** From the probe's 200 to its ENTERED, in nanoseconds; {@link Long#MAX_VALUE} while it has none. */
    private static long latency(ProbeLoad.Probes probes, Function<String, Long> enteredAt, int probe) {
        Long entered = enteredAt.apply(probes.userId(probe));
        return entered == null ? Long.MAX_VALUE : entered - probes.answeredNanos(probe);
    }

    /**
     * Whether every measured probe answered 200 has its ENTERED, or {@code lostAfter} has passed since the last
     * one's 200: nothing more is worth waiting for.
     */
    static boolean settled(
            ProbeLoad.Probes probes, Function<String, Long> enteredAt, Duration lostAfter, long nowNanos) {
        for (int p = probes.count() - 1; p >= 0; p--) {
            if (probes.measured(p)
                    && probes.status(p) == 200
                    && enteredAt.apply(probes.userId(p)) == null
                    && nowNanos - probes.answeredNanos(p) <= lostAfter.toNanos()) {
                return false;
            }
        }
        return true;
    }
}
