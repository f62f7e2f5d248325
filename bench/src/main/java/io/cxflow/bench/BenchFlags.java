package io.cxflow.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The command-line flags of a benchmark, each {@code --name=value} (or {@code --name value}), declared as name →
 * {default, meaning} in help order; unknown flags and bad values fail with an {@link IllegalArgumentException} naming
 * the flag. Durations take {@code ms}, {@code s} or {@code m}.
 */
public final class BenchFlags {

    private final Map<String, String> values;

    private BenchFlags(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code args} against {@code declared} (name → {default, meaning}). */
    /**
     * The {@code main} of a benchmark: prints {@code usage} and {@code help} for {@code --help}/{@code -h};
     * parses the flags (a bad flag: its message on stderr, exit 2); runs; exits 0 when the run succeeded,
     * 1 when a run failed (a missed target is not a failure).
     *
     * @param usage e.g. {@code bench/run segments [flags]}
     */
    public static <O> void launch(
            String[] args, String usage, Supplier<String> help, Function<String[], O> parse, Predicate<O> run) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println("usage: " + usage + "\n" + help.get());
            return;
        }
        O options;
        try {
            options = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(run.test(options) ? 0 : 1);
    }

    public static BenchFlags parse(Map<String, String[]> declared, String[] args) {
        Map<String, String> values = new LinkedHashMap<>();
        declared.forEach((k, v) -> values.put(k, v[0]));
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "' (flags are --name=value)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!declared.containsKey(name)) {
                throw new IllegalArgumentException("unknown flag --" + name + " (see --help)");
            }
            values.put(name, value);
        }
        return new BenchFlags(values);
    }

    /** The help text of {@code declared}, names padded to {@code width}. */
    public static String help(Map<String, String[]> declared, int width) {
        StringBuilder sb = new StringBuilder("flags (--name=value):\n");
        declared.forEach((k, v) -> sb.append(
                String.format("  --%-" + width + "s %s%s%n", k, v[1], v[0].isEmpty() ? "" : " [" + v[0] + "]")));
        return sb.toString();
    }

    public String text(String name) {
        return Objects.requireNonNull(values.get(name), () -> "no flag --" + name);
    }

    /** A whole number of at least 1. */
    public int positive(String name) {
        int n = whole(name);
        if (n < 1) {
            throw new IllegalArgumentException("--" + name + " must be at least 1, not " + n);
        }
        return n;
    }

    public int whole(String name) {
        String v = text(name).trim().replace("_", "");
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is not a whole number: " + v, e);
        }
    }

    public double number(String name) {
        try {
            return Double.parseDouble(text(name).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " is not a number: " + text(name), e);
        }
    }

    /** A duration like {@code 500ms}, {@code 90s} or {@code 10m}, at least {@code min}. */
    public Duration duration(String name, Duration min) {
        String raw = text(name);
        String v = raw.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            } else if (v.endsWith("m")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
            } else {
                throw new IllegalArgumentException("--" + name + ": a duration like 90s or 10m, not " + raw);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + ": a duration like 90s or 10m, not " + raw, e);
        }
        if (d.compareTo(min) < 0) {
            throw new IllegalArgumentException("--" + name + " must be at least " + min.toMillis() + " ms, not " + raw);
        }
        return d;
    }
}
