package io.cxflow.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The command-line flags of {@link CollectorBench}, each {@code --name=value} (or {@code --name value}).
 * Durations take {@code ms}, {@code s} or {@code m}.
 */
public record BenchOptions(
        Duration warmup,
        Duration batchWarmup,
        Duration rawDuration,
        Duration batchDuration,
        Duration trackDuration,
        Duration openDuration,
        int batchSize,
        int connections,
        List<Integer> trackConnections,
        int openConnections,
        double openFraction,
        List<String> clients,
        int rawThreads,
        long seed,
        Set<String> scenarios,
        Path dataDir) {

    public static final Set<String> SCENARIOS = Set.of("raw", "batch", "track");

    /** Flag, default and meaning, in help order. */
    static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("warmup", new String[] {"8s", "load before each measured window (not counted)"});
        FLAGS.put("batch-warmup", new String[] {
            "15s",
            "warm-up of /v1/batch, the collector's first load: its code is" + " compiled (JIT) on the same busy cores"
        });
        FLAGS.put("raw-duration", new String[] {"10s", "measured window of each raw producer baseline"});
        FLAGS.put("batch-duration", new String[] {"20s", "measured window of /v1/batch per client kind"});
        FLAGS.put(
                "track-duration",
                new String[] {"5s", "measured window of each step of the closed-loop /v1/track search"});
        FLAGS.put("open-duration", new String[] {"20s", "measured window of the open-loop /v1/track run"});
        FLAGS.put("batch-size", new String[] {"100", "events per /v1/batch request"});
        FLAGS.put("connections", new String[] {"32", "concurrent connections posting batches"});
        FLAGS.put("track-connections", new String[] {
            "16,64,256", "connection counts of the closed-loop /v1/track steps; the" + " best step's rate is the max"
        });
        FLAGS.put("open-connections", new String[] {"128", "connection pool of the open-loop run"});
        FLAGS.put("open-fraction", new String[] {"0.5", "open-loop rate as a fraction of the max /v1/track rate"});
        FLAGS.put(
                "clients",
                new String[] {"raw", "HTTP clients for /v1/batch: raw (lean socket client), jdk, or raw,jdk"});
        FLAGS.put("raw-threads", new String[] {"1", "threads calling send() on the baseline producer"});
        FLAGS.put("seed", new String[] {"42", "seed of the generated events"});
        FLAGS.put("scenarios", new String[] {"raw,batch,track", "which scenarios to run"});
        FLAGS.put("data-dir", new String[] {"", "broker data folder (default: a new temporary folder, deleted after)"});
    }

    /** Parses the flags; unknown flags and bad values fail with a message naming the flag. */
    public static BenchOptions parse(String[] args) {
        BenchFlags flags = BenchFlags.parse(FLAGS, args);
        Map<String, String> values = new LinkedHashMap<>();
        FLAGS.keySet().forEach(k -> values.put(k, flags.text(k)));
        List<String> clients = list(values.get("clients"));
        for (String c : clients) {
            if (!c.equals("raw") && !c.equals("jdk")) {
                throw new IllegalArgumentException("--clients: raw or jdk, not '" + c + "'");
            }
        }
        if (clients.isEmpty()) {
            throw new IllegalArgumentException("--clients: at least one of raw, jdk");
        }
        List<String> scenarios = list(values.get("scenarios"));
        for (String s : scenarios) {
            if (!SCENARIOS.contains(s)) {
                throw new IllegalArgumentException("--scenarios: some of " + SCENARIOS + ", not '" + s + "'");
            }
        }
        double fraction = Double.parseDouble(values.get("open-fraction"));
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("--open-fraction must be in (0, 1]");
        }
        String dataDir = values.get("data-dir");
        return new BenchOptions(
                duration("warmup", values),
                duration("batch-warmup", values),
                window("raw-duration", values),
                window("batch-duration", values),
                window("track-duration", values),
                window("open-duration", values),
                positive("batch-size", values),
                positive("connections", values),
                positives("track-connections", values),
                positive("open-connections", values),
                fraction,
                clients,
                positive("raw-threads", values),
                Long.parseLong(values.get("seed")),
                Set.copyOf(scenarios),
                dataDir.isBlank() ? null : Path.of(dataDir));
    }

    /** The help text. */
    public static String help() {
        StringBuilder sb = new StringBuilder("flags (--name=value):\n");
        FLAGS.forEach((k, v) ->
                sb.append(String.format("  --%-18s %s%s%n", k, v[1], v[0].isEmpty() ? "" : " [" + v[0] + "]")));
        return sb.toString();
    }

    public boolean runs(String scenario) {
        return scenarios.contains(scenario);
    }

    private static List<String> list(String v) {
        List<String> out = new ArrayList<>();
        for (String s : v.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim().toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    private static List<Integer> positives(String name, Map<String, String> values) {
        List<Integer> out = new ArrayList<>();
        for (String v : list(values.get(name))) {
            out.add(positive(name, Map.of(name, v)));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--" + name + " needs at least one number");
        }
        return List.copyOf(out);
    }

    private static int positive(String name, Map<String, String> values) {
        try {
            int v = Integer.parseInt(values.get(name));
            if (v < 1) {
                throw new IllegalArgumentException("--" + name + " must be at least 1");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is not a number: " + values.get(name), e);
        }
    }

    private static Duration window(String name, Map<String, String> values) {
        Duration d = duration(name, values);
        if (d.toMillis() < 100) {
            throw new IllegalArgumentException("--" + name + " must be at least 100ms");
        }
        return d;
    }

    static Duration duration(String name, Map<String, String> values) {
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
                throw new IllegalArgumentException("--" + name + ": a duration like 500ms, 15s or 1m, not " + v);
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException("--" + name + " must not be negative");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": a duration like 500ms, 15s or 1m, not " + v, e);
        }
    }
}
