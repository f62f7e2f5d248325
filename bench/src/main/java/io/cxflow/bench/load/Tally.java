package io.cxflow.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every answer the collector gave during a run, warm-up included: how many events were answered with each
 * status, and how many requests failed without one. The verification compares the events answered 200 with
 * the records that reached the topic.
 */
public final class Tally {

    /** The pseudo status of a request that got no HTTP answer (connection error or timeout). */
    public static final int NO_ANSWER = 0;

    private static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");

    private final ConcurrentHashMap<Integer, LongAdder> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, LongAdder> events = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, String> samples = new ConcurrentHashMap<>();

    private final LongAdder refusedInBatches = new LongAdder();

    /**
     * Counts one answer.
     *
     * @param eventCount the events the request carried
     * @param response the response body (its start is enough); a 200 that lists refused messages ({@code
     *     "accepted": n}) counts only the accepted ones as 200
     */
    public void count(int status, int eventCount, String response) {
        int ok = eventCount;
        if (status == 200 && response != null && response.contains("\"rejected\"")) {
            Matcher m = ACCEPTED.matcher(response);
            ok = m.find() ? Integer.parseInt(m.group(1)) : eventCount;
            refusedInBatches.add(eventCount - ok);
            samples.putIfAbsent(-200, response);
        }
        requests.computeIfAbsent(status, s -> new LongAdder()).increment();
        events.computeIfAbsent(status, s -> new LongAdder()).add(ok);
        if (status != 200 && response != null) {
            samples.putIfAbsent(status, response);
        }
    }

    /** Messages refused inside batches that were otherwise answered 200 (the generated events should all pass). */
    public long refusedInBatches() {
        return refusedInBatches.sum();
    }

    public long okEvents() {
        LongAdder a = events.get(200);
        return a == null ? 0 : a.sum();
    }

    /** Events of requests answered with anything but 200 (or not answered). */
    public long failedEvents() {
        return events.entrySet().stream()
                .filter(e -> e.getKey() != 200)
                .mapToLong(e -> e.getValue().sum())
                .sum();
    }

    /** Requests by status. */
    public Map<Integer, Long> requestsByStatus() {
        Map<Integer, Long> out = new TreeMap<>();
        requests.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** One response body per failing status (-200: a 200 listing refused messages), for the report. */
    public Map<Integer, String> failureSamples() {
        return new TreeMap<>(samples);
    }
}
