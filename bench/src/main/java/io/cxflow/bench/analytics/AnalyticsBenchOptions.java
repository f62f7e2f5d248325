package io.cxflow.bench.analytics;

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
 * The command-line flags of {@link AnalyticsBench}, each {@code --name=value} (or {@code --name value}).
 * Durations take {@code ms}, {@code s} or {@code m}.
 *
 * @param events events produced to {@code cx.events.v1} once and processed by every scenario
 * @param customers people in the population
 * @param identifiedShare share of the people who identify (userId + email) on their devices
 * @param threads stream threads of every Streams application
 * @param seed seed of the generated population and events
 * @param scenarios the scenarios to run, some of {@link #SCENARIOS}
 * @param timeout longest wait for one scenario to process every event
 * @param dataDir broker and state folder; null for a new temporary folder deleted afterwards
 */
public record AnalyticsBenchOptions(
        int events,
        int customers,
        double identifiedShare,
        int threads,
        long seed,
        Set<String> scenarios,
        Duration timeout,
        Path dataDir) {

    public static final String BASELINE = "baseline";
    public static final String CXFLOW = "cxflow";
    public static final String REBUILD = "rebuild";
    public static final Set<String> SCENARIOS = Set.of(BASELINE, CXFLOW, REBUILD);

    /** Flag, default and meaning, in help order. */
    static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("events", new String[] {"1000000", "events produced once to cx.events.v1 and processed by each run"});
        FLAGS.put("customers", new String[] {"100000", "people in the population (each with 1-3 devices)"});
        FLAGS.put("identified", new String[] {"0.6", "share of people who identify with userId + email"});
        FLAGS.put("threads", new String[] {"1", "stream threads of the baseline and of cxflow"});
        FLAGS.put("seed", new String[] {"42", "seed of the population and the events"});
        FLAGS.put("scenarios", new String[] {"baseline,cxflow,rebuild", "which scenarios to run"});
        FLAGS.put("timeout", new String[] {"10m", "longest wait for one run to process every event"});
        FLAGS.put(
                "data-dir",
                new String[] {"", "broker and state folder (default: a new temporary folder, deleted after)"});
    }

    public AnalyticsBenchOptions {
        scenarios = Set.copyOf(scenarios);
    }

    /** Parses the flags; unknown flags and bad values fail with a message naming the flag. */
    public static AnalyticsBenchOptions parse(String[] args) {
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
        double identified = number("identified", values);
        if (!(identified >= 0 && identified <= 1)) {
            throw new IllegalArgumentException("--identified must be between 0 and 1, not " + identified);
        }
        String dataDir = values.get("data-dir");
        return new AnalyticsBenchOptions(
                positive("events", values),
                positive("customers", values),
                identified,
                positive("threads", values),
                (long) number("seed", values),
                Set.copyOf(scenarios),
                duration("timeout", values),
                dataDir.isBlank() ? null : Path.of(dataDir));
    }

    /** The help text. */
    public static String help() {
        StringBuilder sb = new StringBuilder("flags (--name=value):\n");
        FLAGS.forEach((k, v) ->
                sb.append(String.format("  --%-12s %s%s%n", k, v[1], v[0].isEmpty() ? "" : " [" + v[0] + "]")));
        return sb.toString();
    }

    public boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    private static int positive(String name, Map<String, String> values) {
        String v = values.get(name).trim().replace("_", "");
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new IllegalArgumentException("--" + name + " must be at least 1, not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is not a whole number: " + v, e);
        }
    }

    private static double number(String name, Map<String, String> values) {
        String v = values.get(name).trim();
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is not a number: " + v, e);
        }
    }

    private static Duration duration(String name, Map<String, String> values) {
        String v = values.get(name).trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            } else if (v.endsWith("m")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
            } else {
                throw new IllegalArgumentException("--" + name + ": a duration like 90s or 10m, not " + v);
            }
            if (d.toMillis() < 1000) {
                throw new IllegalArgumentException("--" + name + " must be at least 1s");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": a duration like 90s or 10m, not " + v, e);
        }
    }
}
