package io.cxflow.bench.segments;

import io.cxflow.bench.BenchFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command-line flags of {@link SegmentBench}, each {@code --name=value} (or {@code --name value}). Durations
 * take {@code ms}, {@code s} or {@code m}.
 *
 * @param definitions realistic segment definitions in force during the latency scenario (besides the probe)
 * @param rates the open-loop rates of the latency scenario, events per second, in order
 * @param warmup load at each rate before its measured window
 * @param duration the measured window at each rate
 * @param probeShare share of the events that are probes
 * @param batchSize events per background {@code /v1/batch} request
 * @param connections client connections of the load driver
 * @param lostAfter a probe whose ENTERED has not arrived this long after its 200 is lost
 * @param drain longest wait, between two rates, for analytics to catch up with the first one's load
 * @param backlog events produced to the events topic for each throughput run
 * @param customers people in the throughput backlog's population
 * @param threads stream threads of every Streams application
 * @param seed seed of the generated events
 * @param scenarios the scenarios to run, some of {@link #SCENARIOS}
 * @param timeout longest wait for one throughput run to process the backlog
 * @param dataDir broker and state folder; null for a new temporary folder deleted afterwards
 */
public record SegmentBenchOptions(
        int definitions,
        List<Integer> rates,
        Duration warmup,
        Duration duration,
        double probeShare,
        int batchSize,
        int connections,
        Duration lostAfter,
        Duration drain,
        int backlog,
        int customers,
        int threads,
        long seed,
        Set<String> scenarios,
        Duration timeout,
        Path dataDir) {

    public static final String LATENCY = "latency";
    public static final String THROUGHPUT = "throughput";
    public static final Set<String> SCENARIOS = Set.of(LATENCY, THROUGHPUT);

    /** Flag, default and meaning, in help order. */
    static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("definitions", new String[] {"50", "realistic definitions during the latency runs (0-50), + probe"});
        FLAGS.put("rates", new String[] {"1000,5000", "open-loop rates of the latency scenario, events/s"});
        FLAGS.put("warmup", new String[] {"15s", "load at each rate before its measured window"});
        FLAGS.put("duration", new String[] {"60s", "measured window at each rate"});
        FLAGS.put("probe-share", new String[] {"0.01", "share of the events that are probes (fresh customers)"});
        FLAGS.put("batch", new String[] {"10", "events per background /v1/batch request"});
        FLAGS.put("connections", new String[] {"32", "client connections of the load driver"});
        FLAGS.put("lost-after", new String[] {"30s", "a probe without ENTERED this long after its 200 is lost"});
        FLAGS.put("drain", new String[] {"2m", "longest wait between two rates for analytics to catch up"});
        FLAGS.put("backlog", new String[] {"100000", "events in the backlog of each throughput run"});
        FLAGS.put("customers", new String[] {"100000", "people in the backlog's population"});
        FLAGS.put("threads", new String[] {"1", "stream threads of analytics and of the baseline"});
        FLAGS.put("seed", new String[] {"42", "seed of the generated events"});
        FLAGS.put("scenarios", new String[] {"latency,throughput", "which scenarios to run"});
        FLAGS.put("timeout", new String[] {"10m", "longest wait for one throughput run"});
        FLAGS.put(
                "data-dir",
                new String[] {"", "broker and state folder (default: a new temporary folder, deleted after)"});
    }

    public SegmentBenchOptions {
        rates = List.copyOf(rates);
        scenarios = Set.copyOf(scenarios);
    }

    /** Parses the flags; unknown flags and bad values fail with a message naming the flag. */
    public static SegmentBenchOptions parse(String[] args) {
        BenchFlags flags = BenchFlags.parse(FLAGS, args);
        Map<String, String> values = new LinkedHashMap<>();
        FLAGS.keySet().forEach(k -> values.put(k, flags.text(k)));
        List<String> scenarios = new ArrayList<>();
        for (String s : values.get("scenarios").split(",")) {
            String scenario = s.trim().toLowerCase(Locale.ROOT);
            if (scenario.isEmpty()) {
                continue;
            }
            if (!SCENARIOS.contains(scenario)) {
                throw new IllegalArgumentException("--scenarios: some of " + SCENARIOS + ", not '" + scenario + "'");
            }
            scenarios.add(scenario);
        }
        if (scenarios.isEmpty()) {
            throw new IllegalArgumentException("--scenarios needs at least one of " + SCENARIOS);
        }
        List<Integer> rates = new ArrayList<>();
        for (String r : values.get("rates").split(",")) {
            if (!r.isBlank()) {
                rates.add(positive("rates", r));
            }
        }
        if (rates.isEmpty()) {
            throw new IllegalArgumentException("--rates needs at least one rate (events/s)");
        }
        double probeShare = flags.number("probe-share");
        if (!(probeShare > 0 && probeShare <= 0.5)) {
            throw new IllegalArgumentException("--probe-share must be above 0 and at most 0.5, not " + probeShare);
        }
        int definitions = flags.whole("definitions");
        if (definitions < 0 || definitions > BenchSegments.REALISTIC) {
            throw new IllegalArgumentException(
                    "--definitions must be between 0 and " + BenchSegments.REALISTIC + ", not " + definitions);
        }
        String dataDir = values.get("data-dir");
        return new SegmentBenchOptions(
                definitions,
                rates,
                flags.duration("warmup", Duration.ZERO),
                flags.duration("duration", Duration.ofSeconds(1)),
                probeShare,
                flags.positive("batch"),
                flags.positive("connections"),
                flags.duration("lost-after", Duration.ofSeconds(1)),
                flags.duration("drain", Duration.ofSeconds(1)),
                flags.positive("backlog"),
                flags.positive("customers"),
                flags.positive("threads"),
                (long) flags.number("seed"),
                Set.copyOf(scenarios),
                flags.duration("timeout", Duration.ofSeconds(1)),
                dataDir.isBlank() ? null : Path.of(dataDir));
    }

    /** The help text. */
    public static String help() {
        return BenchFlags.help(FLAGS, 12);
    }

    public boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    /**
     * One request in this many is a probe, so that about {@link #probeShare} of the events are probes when the
     * others carry {@link #batchSize} events each.
     */
    public int probeEvery() {
        return 1 + (int) Math.max(1, Math.round((1 / probeShare - 1) / batchSize));
    }

    private static int positive(String name, String raw) {
        int n = whole(name, raw);
        if (n < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, not " + n);
        }
        return n;
    }

    private static int whole(String name, String raw) {
        String v = raw.trim().replace("_", "");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is not a whole number: " + v, e);
        }
    }
}
