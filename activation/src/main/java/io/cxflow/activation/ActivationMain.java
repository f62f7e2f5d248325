package io.cxflow.activation;

import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.ServiceMain;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.serde.RegistrySerdes;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one activation service as its own process, the way a deployment runs each service:
 *
 * <pre>
 * java -cp 'lib/*' io.cxflow.activation.ActivationMain activation.properties
 * </pre>
 *
 * <p>Configuration: the optional properties file, overridden by {@code CX_*} environment variables (see {@link
 * ConfigSource}); the common keys ({@code kafka.bootstrap.servers}, {@code registry.url}, {@code topics.prefix},
 * {@code admin.token}, {@code cx.profile}) and the {@code activation.*} keys of {@link ActivationConfig}. The
 * effective configuration is logged with secrets masked.
 *
 * <p>SIGTERM (or Ctrl-C) stops the service cleanly (records in flight finish within the shutdown grace, finished
 * records are committed). The process exits with 2 when the configuration is invalid.
 */
public final class ActivationMain {

    private static final Logger LOG = LoggerFactory.getLogger(ActivationMain.class);

    private ActivationMain() {}

    public static void main(String[] args) {
        System.exit(ServiceMain.exitCode(
                ActivationMain.class, "CX_ACTIVATION_PORT", args, System.err, LOG, "activation", ActivationMain::run));
    }

    /** Starts the service and blocks until a signal has stopped it; returns 0 then. */
    static int run(ConfigSource source) {
        CommonConfig common = CommonConfig.from(source);
        ActivationConfig config = ActivationConfig.from(source);
        ServiceMain.logConfiguration(LOG, "activation", source, ActivationConfig.allKeys(), "activation.");

        RegistrySerdes serdes = RegistrySerdes.forUrl(common.registryUrl());
        ActivationService service;
        try {
            service =
                    ActivationService.start(config, PlatformContext.connect(common, serdes, ActivationService.SERVICE));
        } catch (RuntimeException e) {
            serdes.close();
            throw e;
        }
        LOG.info(
                "activation running at {} (group {}, pid {})",
                service.baseUrl(),
                config.groupId(),
                ProcessHandle.current().pid());

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            LOG.info("activation stopping (signal)");
                            try {
                                service.close();
                            } finally {
                                serdes.close();
                                stopped.countDown();
                            }
                        },
                        "activation-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
