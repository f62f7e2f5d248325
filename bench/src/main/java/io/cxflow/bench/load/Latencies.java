package io.cxflow.bench.load;

import java.util.Arrays;

/**
 * Recorded latencies in nanoseconds: one recorder per thread ({@link #record} is not thread-safe), merged
 * with {@link #merge} for the percentiles. Percentiles are nearest-rank over every recorded value, exact and
 * without buckets.
 */
public final class Latencies {

    private long[] values;
    private int count;

    public Latencies() {
        this(1024);
    }

    public Latencies(int capacity) {
        this.values = new long[Math.max(16, capacity)];
    }

    public void record(long nanos) {
        if (count == values.length) {
            values = Arrays.copyOf(values, count * 2);
        }
        values[count++] = nanos;
    }

    public int count() {
        return count;
    }

    /** All values of the given recorders, sorted. */
    public static Latencies merge(Iterable<Latencies> parts) {
        int total = 0;
        for (Latencies p : parts) {
            total += p.count;
        }
        Latencies merged = new Latencies(total);
        for (Latencies p : parts) {
            System.arraycopy(p.values, 0, merged.values, merged.count, p.count);
            merged.count += p.count;
        }
        Arrays.sort(merged.values, 0, merged.count);
        return merged;
    }

    /**
     * The nearest-rank percentile of a merged (sorted) recorder, in nanoseconds; -1 when empty.
     *
     * @param percentile 0 (exclusive) to 100
     */
    public long percentile(double percentile) {
        if (percentile <= 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percentile);
        }
        if (count == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * count);
        return values[Math.min(count, Math.max(1, rank)) - 1];
    }

    /** The largest value; -1 when empty. */
    public long max() {
        long max = -1;
        for (int i = 0; i < count; i++) {
            max = Math.max(max, values[i]);
        }
        return max;
    }
}
