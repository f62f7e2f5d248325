package io.cxflow.platform.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * The effective configuration, for the startup log: every declared key with its value and where the
 * value came from. Secret keys show {@value #MASK} when set, so the report is safe to log.
 *
 * @param rows one row per key, in the order the keys were given
 */
public record ConfigReport(List<Row> rows) {

    /** What a secret value is shown as. */
    public static final String MASK = "****";

    /**
     * One key.
     *
     * @param key the full key name
     * @param value the effective value as text, {@value ConfigReport#MASK} for a set secret, {@code (not
     *     set)} when there is none, or the raw text followed by {@code (invalid)}
     * @param origin {@code default}, {@code file <path>}, {@code env CX_…} or {@code override}
     */
    public record Row(String key, String value, String origin) {}

    public ConfigReport {
        rows = List.copyOf(rows);
    }

    /** Reads every key from {@code source}; invalid values are reported, not thrown. */
    public static ConfigReport of(ConfigSource source, Collection<? extends ConfigKey<?>> keys) {
        Objects.requireNonNull(source, "source");
        List<Row> rows = new ArrayList<>();
        for (ConfigKey<?> key : keys) {
            rows.add(row(source, key));
        }
        return new ConfigReport(rows);
    }

    private static <T> Row row(ConfigSource source, ConfigKey<T> key) {
        String fullName = source.scope() + key.name();
        String origin = source.origin(key.name());
        String value;
        try {
            value = source.find(key).map(key::format).orElse(null);
            if (value != null && key.secret()) {
                value = MASK;
            }
        } catch (ConfigException e) {
            value = key.secret()
                    ? MASK + " (invalid)"
                    : source.raw(key.name()).map(raw -> raw + " (invalid)").orElse("(missing)");
        }
        return new Row(fullName, value == null ? "(not set)" : value, origin);
    }

    /** An aligned multi-line table: {@code key = value  (origin)}. */
    public String render() {
        int keyWidth = rows.stream().mapToInt(r -> r.key().length()).max().orElse(0);
        int valueWidth = rows.stream()
                .mapToInt(r -> Math.min(r.value().length(), 60))
                .max()
                .orElse(0);
        StringBuilder out = new StringBuilder();
        for (Row r : rows) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append("  ")
                    .append(pad(r.key(), keyWidth))
                    .append(" = ")
                    .append(pad(r.value(), valueWidth))
                    .append("  (")
                    .append(r.origin())
                    .append(')');
        }
        return out.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
