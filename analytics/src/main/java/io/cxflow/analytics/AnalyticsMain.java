package io.cxflow.analytics;

import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.serde.RegistrySerdes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one analytics service as its own process, the way production runs each service:
 *
 * <pre>
 * java -cp 'lib/*' io.cxflow.analytics.AnalyticsMain analytics.properties
 * </pre>
 *
 * <p>Configuration: the optional properties file, overridden by {@code CX_*} environment variables (see {@link
 * ConfigSource}); the common keys ({@code kafka.bootstrap.servers}, {@code registry.url}, {@code topics.prefix},
 * {@code admin.token}, {@code cx.profile}) and the {@code analytics.*} keys of {@link AnalyticsConfig}. The
 * effective configuration is logged with secrets masked.
 *
 * <p>SIGTERM (or Ctrl-C) stops the service cleanly: Streams commits what it processed and leaves its group, so a
 * replacement gets the tasks at once. The process exits with 1 when Streams stops by itself (its failure policy gave
 * up), and with 2 when the configuration is invalid.
 */
public final class AnalyticsMain {

    private static final Logger LOG = LoggerFactory.getLogger(AnalyticsMain.class);
    private static final Duration WATCH_INTERVAL = Duration.ofSeconds(1);
    static final int EXIT_STREAMS_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private AnalyticsMain() {}

    public static void main(String[] args) {
        if (args.length > 1 || (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help")))) {
            System.err.println("usage: java " + AnalyticsMain.class.getName() + " [config.properties]");
            System.err.println("  configuration: the file (optional), overridden by CX_* environment variables,"
                    + " e.g. CX_KAFKA_BOOTSTRAP_SERVERS, CX_ANALYTICS_PORT");
            System.exit(args.length > 1 ? EXIT_USAGE : 0);
        }
        Path file = args.length == 1 ? Path.of(args[0]) : null;
        int code;
        try {
            code = run(ConfigSource.fromEnvironment(file, Map.of()));
        } catch (ConfigException e) {
            LOG.error("analytics cannot start: {}", e.getMessage());
            code = EXIT_USAGE;
        }
        System.exit(code);
    }

    /** Runs until SIGTERM (returns 0 once stopped) or until Streams stops by itself (returns 1). */
    static int run(ConfigSource source) {
        CommonConfig common = CommonConfig.from(source);
        AnalyticsConfig config = AnalyticsConfig.from(source);
        List<ConfigKey<?>> keys = new ArrayList<>(CommonConfig.KEYS);
        keys.addAll(config.keys());
        LOG.info("analytics configuration:\n{}", source.describe(keys));
        Set<String> unknown = source.unknownKeys(config.keys(), "analytics.");
        if (!unknown.isEmpty()) {
            LOG.warn("unknown analytics keys (ignored; a typo?): {}", unknown);
        }

        RegistrySerdes serdes = RegistrySerdes.forUrl(common.registryUrl());
        AnalyticsService service;
        try {
            service = AnalyticsService.start(config, PlatformContext.connect(common, serdes, AnalyticsService.SERVICE));
        } catch (RuntimeException e) {
            serdes.close();
            throw e;
        }
        LOG.info(
                "analytics running at {} (application id {}, pid {})",
                service.baseUrl(),
                config.applicationId(),
                ProcessHandle.current().pid());

        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean signalled = new AtomicBoolean();
        Thread hook = new Thread(
                () -> {
                    signalled.set(true);
                    LOG.info("analytics stopping (signal)");
                    stop(service, serdes);
                    stopped.countDown();
                },
                "analytics-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        try {
            while (!stopped.await(WATCH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                KafkaStreams.State state = service.streamsState();
                if ((state == KafkaStreams.State.ERROR || state == KafkaStreams.State.NOT_RUNNING)
                        && !signalled.get()) {
                    LOG.error("analytics streams stopped by itself (state {}); exiting", state);
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // a signal arrived meanwhile: the hook stops the service
                        stopped.await();
                        return 0;
                    }
                    stop(service, serdes);
                    return EXIT_STREAMS_FAILED;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void stop(AnalyticsService service, RegistrySerdes serdes) {
        try {
            service.close();
        } finally {
            serdes.close();
        }
    }
}
