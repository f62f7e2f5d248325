package io.cxflow.bench.activation;

import io.cxflow.bench.BenchFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command-line flags of {@link ActivationBench} (see {@link BenchFlags}).
 *
 * @param rate ENTERED changes per second of the latency scenario (one webhook decision each)
 * @param warmup load before the measured window of each latency run
 * @param duration measured window of each latency run
 * @param lostAfter a decision not at the provider this long after its append is lost
 * @param backlog ENTERED changes of each throughput run
 * @param timeout longest wait for one throughput run
 * @param scenarios some of {@link #SCENARIOS}
 * @param dataDir broker folder; null for a new temporary folder deleted afterwards
 */
public record ActivationBenchOptions(
        int rate,
        Duration warmup,
        Duration duration,
        Duration lostAfter,
        int backlog,
        Duration timeout,
        Set<String> scenarios,
        Path dataDir) {

    public static final String LATENCY = "latency";
    public static final String THROUGHPUT = "throughput";
    public static final Set<String> SCENARIOS = Set.of(LATENCY, THROUGHPUT);

    /** Flag, default and meaning, in help order. */
    static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("rate", new String[] {"200", "ENTERED changes per second of the latency runs (1 decision each)"});
        FLAGS.put("warmup", new String[] {"15s", "load before each latency window (the start and its catch-up)"});
        FLAGS.put("duration", new String[] {"20s", "measured window of each latency run"});
        FLAGS.put("lost-after", new String[] {"30s", "a decision not at the provider this long after append is lost"});
        FLAGS.put("backlog", new String[] {"10000", "ENTERED changes of each throughput run"});
        FLAGS.put("timeout", new String[] {"5m", "longest wait for one throughput run"});
        FLAGS.put("scenarios", new String[] {"latency,throughput", "which scenarios to run"});
        FLAGS.put("data-dir", new String[] {"", "broker folder (default: a new temporary folder, deleted after)"});
    }

    public ActivationBenchOptions {
        scenarios = Set.copyOf(scenarios);
    }

    /** Parses the flags; unknown flags and bad values fail with a message naming the flag. */
    public static ActivationBenchOptions parse(String[] args) {
        BenchFlags flags = BenchFlags.parse(FLAGS, args);
        Set<String> scenarios = new LinkedHashSet<>();
        for (String s : flags.text("scenarios").split(",")) {
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
        String dataDir = flags.text("data-dir");
        return new ActivationBenchOptions(
                flags.positive("rate"),
                flags.duration("warmup", Duration.ZERO),
                flags.duration("duration", Duration.ofSeconds(1)),
                flags.duration("lost-after", Duration.ofSeconds(1)),
                flags.positive("backlog"),
                flags.duration("timeout", Duration.ofSeconds(1)),
                scenarios,
                dataDir.isBlank() ? null : Path.of(dataDir));
    }

    public static String help() {
        return BenchFlags.help(FLAGS, 12);
    }

    public boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }
}
