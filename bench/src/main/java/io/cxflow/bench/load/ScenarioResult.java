package io.cxflow.bench.load;

/**
 * What one measured scenario achieved.
 *
 * @param name the scenario, e.g. {@code collector /v1/batch x100, 32 conn}
 * @param eventsPerSecond events acknowledged per second in the measured window
 * @param requestsPerSecond requests (or records) completed per second in the measured window
 * @param latencies merged latencies of the measured window (nanoseconds)
 * @param failures requests (or records) in the measured window that did not succeed
 * @param note anything the reader needs to read the numbers right
 * @param timeline events acknowledged in each second, warm-up included (empty when not recorded)
 */
public record ScenarioResult(
        String name,
        double eventsPerSecond,
        double requestsPerSecond,
        Latencies latencies,
        long failures,
        String note,
        String timeline) {}
