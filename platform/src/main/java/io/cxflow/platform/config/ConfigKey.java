package io.cxflow.platform.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One documented configuration key: its name, how its text is parsed, its default, the rules its value
 * must satisfy, and whether it is secret. Keys are immutable constants, declared once per module in its
 * config class; {@link ConfigSource#get(ConfigKey)} turns text into a checked value.
 *
 * <p>Names are lower-case, dot-separated, with {@code -} inside words: {@code collector.port}, {@code
 * collector.max-batch-size}. The matching environment variable is {@link #envName()}.
 *
 * @param <T> the parsed type
 */
public final class ConfigKey<T> {

    private static final Pattern NAME = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*(?:\\.[a-z0-9]+(?:-[a-z0-9]+)*)*");
    private static final Pattern AMOUNT_UNIT = Pattern.compile("(\\d+)\\s*([a-zA-Z]*)");

    /** A rule a parsed value must satisfy, described for the error message ("between 1 and 65535"). */
    private record Rule<T>(String description, Predicate<? super T> test) {}

    private final String name;
    private final String type;
    private final Function<String, T> parser;
    private final Function<? super T, String> formatter;
    private final T defaultValue;
    private final boolean required;
    private final List<Rule<T>> rules;
    private final String doc;
    private final boolean secret;

    private ConfigKey(
            String name,
            String type,
            Function<String, T> parser,
            Function<? super T, String> formatter,
            T defaultValue,
            boolean required,
            List<Rule<T>> rules,
            String doc,
            boolean secret) {
        this.name = name;
        this.type = type;
        this.parser = parser;
        this.formatter = formatter;
        this.defaultValue = defaultValue;
        this.required = required;
        this.rules = List.copyOf(rules);
        this.doc = doc;
        this.secret = secret;
    }

    private static <T> ConfigKey<T> of(
            String name,
            String type,
            Function<String, T> parser,
            Function<? super T, String> formatter,
            T defaultValue,
            String doc,
            boolean secret) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "config key names are lower-case words separated by '.' and '-', like collector.max-batch-size: "
                            + name);
        }
        Objects.requireNonNull(doc, "doc");
        return new ConfigKey<>(name, type, parser, formatter, defaultValue, false, List.of(), doc, secret);
    }

    // ---------------------------------------------------------------------------------------- factories

    /** Free text; blank values count as unset. A null default makes the key optional. */
    public static ConfigKey<String> string(String name, String defaultValue, String doc) {
        return of(name, "string", s -> s, s -> s, defaultValue, doc, false);
    }

    /** Free text that never appears in logs, reports or error messages. */
    public static ConfigKey<String> secret(String name, String defaultValue, String doc) {
        return of(name, "secret", s -> s, s -> s, defaultValue, doc, true);
    }

    /** A whole number between {@code min} and {@code max}, inclusive. */
    public static ConfigKey<Integer> integer(String name, Integer defaultValue, int min, int max, String doc) {
        if (min > max) {
            throw new IllegalArgumentException("min > max for " + name);
        }
        return of(name, "int", ConfigKey::parseInt, String::valueOf, defaultValue, doc, false)
                .check("between " + min + " and " + max, v -> v >= min && v <= max);
    }

    /** A TCP port, 0 to 65535; 0 means "pick a free port". */
    public static ConfigKey<Integer> port(String name, Integer defaultValue, String doc) {
        return of(name, "port", ConfigKey::parseInt, String::valueOf, defaultValue, doc, false)
                .check("a port between 0 and 65535", v -> v >= 0 && v <= 65535);
    }

    /** {@code true} or {@code false} (any case); nothing else. */
    public static ConfigKey<Boolean> bool(String name, Boolean defaultValue, String doc) {
        return of(name, "boolean", ConfigKey::parseBoolean, String::valueOf, defaultValue, doc, false);
    }

    /**
     * A non-negative duration: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}, ISO-8601
     * ({@code PT30S}, {@code P7D}), or {@code 0}.
     */
    public static ConfigKey<Duration> duration(String name, Duration defaultValue, String doc) {
        return of(name, "duration", ConfigKey::parseDuration, ConfigKey::formatDuration, defaultValue, doc, false)
                .check("not negative", d -> !d.isNegative());
    }

    /**
     * A size in bytes: a plain number of bytes, or a number with {@code B}, {@code KB}, {@code MB},
     * {@code GB} (powers of 1024; {@code KiB}, {@code K} … are accepted too).
     */
    public static ConfigKey<Long> size(String name, Long defaultValue, String doc) {
        return of(name, "size", ConfigKey::parseSize, ConfigKey::formatSize, defaultValue, doc, false);
    }

    /** A file system path; a leading {@code ~/} is the user's home folder. */
    public static ConfigKey<Path> path(String name, Path defaultValue, String doc) {
        return of(name, "path", ConfigKey::parsePath, Path::toString, defaultValue, doc, false);
    }

    /**
     * One constant of {@code type}, matched without regard to case and with {@code -} standing for
     * {@code _} ({@code exactly-once} selects {@code EXACTLY_ONCE}).
     */
    public static <E extends Enum<E>> ConfigKey<E> enumeration(String name, Class<E> type, E defaultValue, String doc) {
        Objects.requireNonNull(type, "type");
        return of(
                name,
                "enum",
                s -> parseEnum(type, s),
                e -> e.name().toLowerCase(Locale.ROOT),
                defaultValue,
                doc,
                false);
    }

    /** A comma-separated list; items are trimmed and empty items dropped. Items cannot contain commas. */
    public static ConfigKey<List<String>> list(String name, List<String> defaultValue, String doc) {
        return of(
                name,
                "list",
                ConfigKey::parseList,
                l -> String.join(",", l),
                defaultValue == null ? null : List.copyOf(defaultValue),
                doc,
                false);
    }

    // ------------------------------------------------------------------------------------ refinements

    /** A copy that must be set: it has no default, and {@link ConfigSource#get} fails when it is unset. */
    public ConfigKey<T> required() {
        return new ConfigKey<>(name, type, parser, formatter, null, true, rules, doc, secret);
    }

    /** A copy whose values must also satisfy {@code test}, described by {@code rule} in errors. */
    public ConfigKey<T> check(String rule, Predicate<? super T> test) {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(test, "test");
        List<Rule<T>> more = new ArrayList<>(rules);
        more.add(new Rule<>(rule, test));
        if (defaultValue != null && !test.test(defaultValue)) {
            throw new IllegalArgumentException(
                    "default of " + name + " (" + formatter.apply(defaultValue) + ") is not " + rule);
        }
        return new ConfigKey<>(name, type, parser, formatter, defaultValue, required, more, doc, secret);
    }

    /** A copy whose value must be at least {@code min}. */
    public ConfigKey<T> atLeast(T min) {
        Objects.requireNonNull(min, "min");
        return check("at least " + formatter.apply(min), v -> compare(v, min) >= 0);
    }

    /** A copy whose value must be at most {@code max}. */
    public ConfigKey<T> atMost(T max) {
        Objects.requireNonNull(max, "max");
        return check("at most " + formatter.apply(max), v -> compare(v, max) <= 0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compare(Object a, Object b) {
        if (a instanceof Comparable ca) {
            return ca.compareTo(b);
        }
        throw new IllegalStateException("values of this key cannot be ordered: " + a.getClass());
    }

    // ------------------------------------------------------------------------------------- accessors

    public String name() {
        return name;
    }

    /** A short word for the type, used in reports: {@code int}, {@code duration}, {@code secret} … */
    public String type() {
        return type;
    }

    public String doc() {
        return doc;
    }

    public boolean secret() {
        return secret;
    }

    public boolean isRequired() {
        return required;
    }

    /** The default, or null when the key has none. */
    public T defaultValue() {
        return defaultValue;
    }

    /** The environment variable that sets this key: {@code collector.max-batch-size} → {@code CX_COLLECTOR_MAX_BATCH_SIZE}. */
    public String envName() {
        return ConfigSource.envName(name);
    }

    /** The value as it would be written in a properties file. */
    public String format(T value) {
        return value == null ? "" : formatter.apply(value);
    }

    /**
     * Parses and validates a text value.
     *
     * @param text the raw text, already trimmed
     * @param origin where it came from, for the error ("env CX_COLLECTOR_PORT")
     * @throws ConfigException naming the key, origin and (unless secret) the value
     */
    public T parse(String text, String origin) {
        return parse(name, text, origin);
    }

    /** As {@link #parse(String, String)}, naming the key {@code fullName} (a key read under a prefix). */
    T parse(String fullName, String text, String origin) {
        T value;
        try {
            value = parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(fullName, invalid(fullName, text, origin, e.getMessage()), e);
        }
        for (Rule<T> rule : rules) {
            if (!rule.test().test(value)) {
                throw new ConfigException(fullName, invalid(fullName, text, origin, "must be " + rule.description()));
            }
        }
        return value;
    }

    private String invalid(String fullName, String text, String origin, String why) {
        String shown = secret ? "****" : "'" + text + "'";
        return "invalid value " + shown + " for " + fullName + " (" + origin + "): " + why;
    }

    @Override
    public String toString() {
        return name;
    }

    // --------------------------------------------------------------------------------------- parsers

    static int parseInt(String s) {
        try {
            return Integer.parseInt(s.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
    }

    static boolean parseBoolean(String s) {
        if (s.equalsIgnoreCase("true")) {
            return true;
        }
        if (s.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("must be true or false");
    }

    static Duration parseDuration(String s) {
        if (s.equals("0")) {
            return Duration.ZERO;
        }
        String upper = s.toUpperCase(Locale.ROOT);
        if (upper.startsWith("P") || upper.startsWith("-P")) {
            try {
                return Duration.parse(s);
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration like PT30S or P7D");
            }
        }
        var m = AMOUNT_UNIT.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration like 500ms, 30s, 5m, 2h, 7d or PT30S");
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("number too large");
        }
        String unit = m.group(2).toLowerCase(Locale.ROOT);
        try {
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                case "" -> throw new IllegalArgumentException("needs a unit: ms, s, m, h or d (e.g. 30s)");
                default ->
                    throw new IllegalArgumentException("unknown unit '" + m.group(2) + "' (use ms, s, m, h or d)");
            };
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration too large");
        }
    }

    static String formatDuration(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long ms = d.toMillis();
        if (d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }

    static long parseSize(String s) {
        var m = AMOUNT_UNIT.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size like 512, 32KB, 5MB or 1GB");
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("number too large");
        }
        long factor =
                switch (m.group(2).toUpperCase(Locale.ROOT)) {
                    case "", "B" -> 1L;
                    case "K", "KB", "KIB" -> 1L << 10;
                    case "M", "MB", "MIB" -> 1L << 20;
                    case "G", "GB", "GIB" -> 1L << 30;
                    case "T", "TB", "TIB" -> 1L << 40;
                    default ->
                        throw new IllegalArgumentException(
                                "unknown unit '" + m.group(2) + "' (use B, KB, MB, GB or TB)");
                };
        try {
            return Math.multiplyExact(amount, factor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size too large");
        }
    }

    static String formatSize(Long bytes) {
        long b = bytes;
        String[] units = {"B", "KB", "MB", "GB", "TB"};
        int i = 0;
        while (i < units.length - 1 && b != 0 && b % 1024 == 0) {
            b /= 1024;
            i++;
        }
        return b + units[i];
    }

    static Path parsePath(String s) {
        try {
            if (s.equals("~")) {
                return Path.of(System.getProperty("user.home"));
            }
            if (s.startsWith("~/")) {
                return Path.of(System.getProperty("user.home"), s.substring(2));
            }
            return Path.of(s);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException("not a valid path: " + e.getReason());
        }
    }

    static <E extends Enum<E>> E parseEnum(Class<E> type, String s) {
        String wanted = s.replace('-', '_');
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("must be one of "
                + Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", ")));
    }

    static List<String> parseList(String s) {
        return Arrays.stream(s.split(","))
                .map(String::trim)
                .filter(item -> !item.isEmpty())
                .toList();
    }
}
