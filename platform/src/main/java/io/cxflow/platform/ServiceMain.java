package io.cxflow.platform;

import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;

/**
 * What the {@code main} of every service run as its own process shares: the command line {@code [config.properties]}
 * and the report of the effective configuration at start.
 */
public final class ServiceMain {

    /** Exit status of a usage or configuration error. */
    public static final int EXIT_USAGE = 2;

    private ServiceMain() {}

    /**
     * Checks the command line {@code [config.properties]}.
     *
     * @param envExample environment variables to show in the usage, e.g. {@code CX_ANALYTICS_PORT}
     * @return -1 when the arguments are fine, else the status to exit with after the usage was printed to {@code
     *     err} (0 for {@code -h}/{@code --help})
     */
    public static int checkArguments(Class<?> main, String envExample, String[] args, PrintStream err) {
        boolean help = args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"));
        if (args.length <= 1 && !help) {
            return -1;
        }
        err.println("usage: java " + main.getName() + " [config.properties]");
        err.println("  configuration: the file (optional), overridden by CX_* environment variables,"
                + " e.g. CX_KAFKA_BOOTSTRAP_SERVERS, " + envExample);
        return help ? 0 : EXIT_USAGE;
    }

    /** The configuration file of a command line {@link #checkArguments} accepted, or null when none is given. */
    public static Path configFile(String[] args) {
        return args.length == 1 ? Path.of(args[0]) : null;
    }

    /**
     * What a service's {@code main} exits with: the usage status for a bad command line (printed to {@code err}),
     * else {@code run} of the configuration (the file, if given, under the {@code CX_*} environment), or {@link
     * #EXIT_USAGE} when the configuration is invalid (logged as "{@code service} cannot start: …").
     */
    public static int exitCode(
            Class<?> main,
            String envExample,
            String[] args,
            PrintStream err,
            Logger log,
            String service,
            ToIntFunction<ConfigSource> run) {
        int usage = checkArguments(main, envExample, args, err);
        if (usage >= 0) {
            return usage;
        }
        try {
            return run.applyAsInt(ConfigSource.fromEnvironment(configFile(args), Map.of()));
        } catch (ConfigException e) {
            log.error("{} cannot start: {}", service, e.getMessage());
            return EXIT_USAGE;
        }
    }

    /**
     * Logs the effective configuration (the common keys and {@code serviceKeys}, secrets masked) and warns about
     * keys under {@code prefix} that none of {@code serviceKeys} declares.
     */
    public static void logConfiguration(
            Logger log, String service, ConfigSource source, List<ConfigKey<?>> serviceKeys, String prefix) {
        List<ConfigKey<?>> keys = new ArrayList<>(CommonConfig.KEYS);
        keys.addAll(serviceKeys);
        log.info("{} configuration:\n{}", service, source.describe(keys));
        Set<String> unknown = source.unknownKeys(serviceKeys, prefix);
        if (!unknown.isEmpty()) {
            log.warn("unknown {} keys (ignored; a typo?): {}", service, unknown);
        }
    }
}
