package io.cxflow.platform.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where configuration values come from, in increasing precedence:
 *
 * <ol>
 *   <li>the key's default;
 *   <li>an optional properties file (UTF-8);
 *   <li>environment variables {@code CX_*}: key {@code collector.max-batch-size} is read from {@code
 *       CX_COLLECTOR_MAX_BATCH_SIZE} (upper case, {@code .} and {@code -} become {@code _});
 *   <li>explicit overrides, e.g. command line flags.
 * </ol>
 *
 * <p>Values are trimmed; a blank value counts as unset in its layer, so the next lower layer applies.
 * {@link #get(ConfigKey)} parses and validates, failing with a {@link ConfigException} that names the
 * key, the layer the text came from and the text (masked for secret keys). Instances are immutable and
 * thread-safe.
 */
public final class ConfigSource {

    /** The prefix of every environment variable cxflow reads as configuration. */
    public static final String ENV_PREFIX = "CX_";

    private static final String FILE_KEY = "config-file";

    private record Value(String text, String origin) {}

    private final Map<String, Value> file;
    private final Map<String, String> env;
    private final Map<String, String> overrides;
    private final String scope;

    private ConfigSource(
            Map<String, Value> file, Map<String, String> env, Map<String, String> overrides, String scope) {
        this.file = file;
        this.env = env;
        this.overrides = overrides;
        this.scope = scope;
    }

    /**
     * Loads configuration.
     *
     * @param propertiesFile a properties file; null for none. A file that is named but missing or
     *     unreadable is an error.
     * @param environment the process environment (only {@code CX_*} entries are used)
     * @param overrides explicit values that win over everything else
     */
    public static ConfigSource load(
            Path propertiesFile, Map<String, String> environment, Map<String, String> overrides) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(overrides, "overrides");
        Map<String, Value> fileValues = propertiesFile == null ? Map.of() : readFile(propertiesFile);
        Map<String, String> envValues = new TreeMap<>();
        environment.forEach((k, v) -> {
            if (k != null && v != null && k.startsWith(ENV_PREFIX)) {
                envValues.put(k, v);
            }
        });
        Map<String, String> overrideValues = new TreeMap<>();
        overrides.forEach((k, v) -> overrideValues.put(Objects.requireNonNull(k, "override key"), v));
        return new ConfigSource(
                Map.copyOf(fileValues),
                Map.copyOf(envValues),
                java.util.Collections.unmodifiableMap(overrideValues),
                "");
    }

    /** Loads the optional file, the process environment and the overrides. */
    public static ConfigSource fromEnvironment(Path propertiesFile, Map<String, String> overrides) {
        return load(propertiesFile, System.getenv(), overrides);
    }

    /** Only the given values (as overrides): for tests and embedded use. */
    public static ConfigSource of(Map<String, String> values) {
        return load(null, Map.of(), values);
    }

    /** A copy with more overrides on top (they win over this source's overrides). */
    public ConfigSource withOverrides(Map<String, String> more) {
        Map<String, String> merged = new TreeMap<>(overrides);
        more.forEach((k, v) -> merged.put(scope + Objects.requireNonNull(k, "override key"), v));
        return new ConfigSource(file, env, java.util.Collections.unmodifiableMap(merged), scope);
    }

    /**
     * A copy with a layer of defaults below the file: a key set here applies unless the file, the
     * environment or an override sets it. Used for built-in profiles such as the local default.
     *
     * @param defaults key → value
     * @param origin how these values are named in reports and errors, e.g. {@code "local defaults"}
     */
    public ConfigSource withDefaults(Map<String, String> defaults, String origin) {
        Objects.requireNonNull(origin, "origin");
        Map<String, Value> merged = new LinkedHashMap<>();
        defaults.forEach((k, v) -> merged.put(scope + Objects.requireNonNull(k, "default key"), new Value(v, origin)));
        merged.putAll(file);
        return new ConfigSource(Map.copyOf(merged), env, overrides, scope);
    }

    /** The environment variable that sets a key: {@code collector.port} → {@code CX_COLLECTOR_PORT}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    // -------------------------------------------------------------------------------------- typed access

    /**
     * The parsed value of a key, or its default.
     *
     * @throws ConfigException when the text is invalid, or the key is unset and has no default
     */
    public <T> T get(ConfigKey<T> key) {
        return find(key)
                .orElseThrow(() -> new ConfigException(
                        scope + key.name(),
                        "missing value for " + scope + key.name() + " (" + key.doc()
                                + "): set it in the config file or in " + envName(scope + key.name())));
    }

    /**
     * The parsed value of a key, its default, or empty when it is unset and has no default.
     *
     * @throws ConfigException when the text is invalid, or the key is {@link ConfigKey#required()} and unset
     */
    public <T> Optional<T> find(ConfigKey<T> key) {
        String name = scope + key.name();
        Optional<Value> value = lookup(name);
        if (value.isPresent()) {
            return Optional.of(key.parse(name, value.get().text(), value.get().origin()));
        }
        if (key.isRequired()) {
            throw new ConfigException(
                    name,
                    "missing required value for " + name + " (" + key.doc() + "): set it in the config file or in "
                            + envName(name));
        }
        return Optional.ofNullable(key.defaultValue());
    }

    /** The raw text of a key (trimmed, never blank), from the highest layer that sets it. */
    public Optional<String> raw(String key) {
        return lookup(scope + key).map(Value::text);
    }

    /**
     * Where a key's value comes from: {@code override}, {@code env CX_…}, {@code file <path>}, or {@code
     * default} when no layer sets it.
     */
    public String origin(String key) {
        return lookup(scope + key).map(Value::origin).orElse("default");
    }

    private Optional<Value> lookup(String name) {
        String o = overrides.get(name);
        if (o != null && !o.isBlank()) {
            return Optional.of(new Value(o.trim(), "override"));
        }
        String envVar = envName(name);
        String e = env.get(envVar);
        if (e != null && !e.isBlank()) {
            return Optional.of(new Value(e.trim(), "env " + envVar));
        }
        Value f = file.get(name);
        if (f != null && !f.text().isBlank()) {
            return Optional.of(f);
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------------------------- prefix access

    /**
     * A view in which every key is relative to {@code prefix}: {@code subset("collector.sources.web.")
     * .get(WRITE_KEY)} reads {@code collector.sources.web.write-key} (and {@code
     * CX_COLLECTOR_SOURCES_WEB_WRITE_KEY}).
     */
    public ConfigSource subset(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new ConfigSource(file, env, overrides, scope + prefix);
    }

    /**
     * Every key set under {@code prefix} (full names, sorted). Keys from the file and the overrides are
     * exact. An environment variable under the prefix that does not match one of them cannot say whether
     * an {@code _} was a {@code .} or a {@code -}; it is listed in lower case with {@code _} read as
     * {@code .}. Declare entries whose names contain {@code -} in the file; the environment can then
     * override them exactly.
     */
    public Set<String> keysUnder(String prefix) {
        String full = scope + prefix;
        Set<String> keys = new TreeSet<>();
        Set<String> envNamesOfKnown = new java.util.HashSet<>();
        for (String k : file.keySet()) {
            if (k.startsWith(full)) {
                keys.add(k);
                envNamesOfKnown.add(envName(k));
            }
        }
        for (String k : overrides.keySet()) {
            if (k.startsWith(full)) {
                keys.add(k);
                envNamesOfKnown.add(envName(k));
            }
        }
        String envPrefix = envName(full);
        for (String var : env.keySet()) {
            if (var.startsWith(envPrefix) && !envNamesOfKnown.contains(var)) {
                String rest = var.substring(envPrefix.length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.');
                keys.add(full + rest);
            }
        }
        keys.removeIf(k -> lookup(k).isEmpty());
        return java.util.Collections.unmodifiableSet(keys);
    }

    /**
     * The distinct first name segments under {@code prefix}: for {@code collector.sources.web.channel}
     * and {@code collector.sources.pos.write-key}, {@code childNames("collector.sources.")} is {@code
     * [pos, web]}.
     */
    public Set<String> childNames(String prefix) {
        String full = scope + prefix;
        Set<String> names = new TreeSet<>();
        for (String k : keysUnder(prefix)) {
            String rest = k.substring(full.length());
            int dot = rest.indexOf('.');
            names.add(dot < 0 ? rest : rest.substring(0, dot));
        }
        names.remove("");
        return java.util.Collections.unmodifiableSet(names);
    }

    // ------------------------------------------------------------------------------------- validation

    /**
     * Parses every key at once and fails with one {@link ConfigException} listing every problem, so an
     * operator fixes them in one round.
     */
    public void validate(Collection<? extends ConfigKey<?>> keys) {
        List<String> problems = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (ConfigKey<?> key : keys) {
            try {
                find(key);
            } catch (ConfigException e) {
                problems.add(e.getMessage());
                bad.add(e.key());
            }
        }
        if (problems.size() == 1) {
            throw new ConfigException(bad, problems.get(0), null);
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(
                    bad, problems.size() + " configuration problems:\n  " + String.join("\n  ", problems), null);
        }
    }

    /**
     * Keys set under {@code prefix} that none of {@code known} declares: most often a typo ({@code
     * collector.prot}). Compared by environment name, so {@code CX_COLLECTOR_MAX_BATCH_SIZE} matches
     * {@code collector.max-batch-size}.
     */
    public Set<String> unknownKeys(Collection<? extends ConfigKey<?>> known, String prefix) {
        Set<String> knownEnv = new java.util.HashSet<>();
        for (ConfigKey<?> key : known) {
            knownEnv.add(envName(scope + key.name()));
        }
        Set<String> unknown = new LinkedHashSet<>();
        for (String k : keysUnder(prefix)) {
            if (!knownEnv.contains(envName(k))) {
                unknown.add(k);
            }
        }
        return java.util.Collections.unmodifiableSet(unknown);
    }

    /** The effective configuration of {@code keys}, secrets masked; see {@link ConfigReport}. */
    public String describe(Collection<? extends ConfigKey<?>> keys) {
        return ConfigReport.of(this, keys).render();
    }

    String scope() {
        return scope;
    }

    // ---------------------------------------------------------------------------------------- loading

    private static Map<String, Value> readFile(Path path) {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            props.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException(FILE_KEY, "config file not found: " + path.toAbsolutePath(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(
                    FILE_KEY, "cannot read config file " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        String origin = "file " + path;
        Map<String, Value> values = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            values.put(name.trim(), new Value(props.getProperty(name).trim(), origin));
        }
        return values;
    }
}
