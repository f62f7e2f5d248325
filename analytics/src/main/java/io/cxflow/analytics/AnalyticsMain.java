package io.cxflow.analytics;

import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.ServiceMain;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.serde.RegistrySerdes;
import java.time.Duration;
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

    private AnalyticsMain() {}

    public static void main(String[] args) {
        System.exit(ServiceMain.exitCode(
                AnalyticsMain.class, "CX_ANALYTICS_PORT", args, System.err, LOG, "analytics", AnalyticsMain::run));
    }

    /** Runs until SIGTERM (returns 0 once stopped) or until Streams stops by itself (returns 1). */
    static int run(ConfigSource source) {
        CommonConfig common = CommonConfig.from(source);
        AnalyticsConfig config = AnalyticsConfig.from(source);
        ServiceMain.logConfiguration(LOG, "analytics", source, config.keys(), "analytics.");

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
