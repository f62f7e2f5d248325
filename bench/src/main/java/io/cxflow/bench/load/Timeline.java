package io.cxflow.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Events acknowledged per second of a scenario, warm-up included, so a stall shows up as a dip instead of
 * hiding in an average. Thread-safe.
 */
public final class Timeline {

    private final long start;
    private final AtomicLongArray perSecond;

    public Timeline(long startNanos, int seconds) {
        this.start = startNanos;
        this.perSecond = new AtomicLongArray(Math.max(1, seconds));
    }

    /** Counts {@code events} acknowledged at {@code nanos}. */
    public void add(long nanos, long events) {
        long second = (nanos - start) / 1_000_000_000L;
        if (second >= 0 && second < perSecond.length()) {
            perSecond.addAndGet((int) second, events);
        }
    }

    /** E.g. {@code 12.1k 13.0k 0 0 11.8k}: thousands of events in each second. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < perSecond.length(); i++) {
            long v = perSecond.get(i);
            sb.append(i == 0 ? "" : " ").append(v == 0 ? "0" : String.format("%.1fk", v / 1000.0));
        }
        return sb.toString();
    }
}
