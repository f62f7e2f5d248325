package io.cxflow.deploy.cli;

import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.AnalyticsService;
import io.cxflow.analytics.reset.ApplicationProgress;
import io.cxflow.analytics.reset.ApplicationReset;
import io.cxflow.deploy.local.LocalStack;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.serde.RegistrySerdes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cx analytics}: operations on the analytics Streams application. */
@Command(
        name = "analytics",
        mixinStandardHelpOptions = true,
        description = "Operations on the analytics Kafka Streams application (profiles and segments).",
        subcommands = {AnalyticsCommand.Rebuild.class})
public final class AnalyticsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code cx analytics rebuild}: reset the application and reprocess cx.events.v1 from the beginning. */
    @Command(
            name = "rebuild",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Rebuild every profile and segment membership from cx.events.v1: reset the analytics application"
                        + " (delete its consumer group, its internal changelog and repartition topics and its local"
                        + " state folder), then run analytics in this process from the first event until it has"
                        + " processed every event that was on cx.events.v1 when the rebuild started, printing progress"
                        + " once a second. The rebuilt profiles are appended to cx.profiles.v1 (compacted: the newest"
                        + " value per customer wins) and memberships to cx.segment-membership.v1.",
                "Stop every analytics instance first: the rebuild refuses while the application's group has members"
                        + " (a killed instance stays a member until its session times out, 45 s by default). Delete"
                        + " the state folder on the other instances' machines too, then start them again.",
                "",
                "Example:",
                "  cx analytics rebuild --config /etc/cxflow/analytics.properties",
                "  cx analytics rebuild --bootstrap-servers kafka-1:9092 \\",
                "      --registry-url http://registry:8080 --application-id cx-analytics \\",
                "      --state-dir /var/lib/cxflow/analytics",
                ""
            })
    public static final class Rebuild implements Callable<Integer> {

        private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);
        private static final int WIDTH = 30;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--config",
                paramLabel = "FILE",
                description = "a properties file (default: the local defaults of 'cx up'); CX_* environment variables"
                        + " and the options below override it")
        Path configFile;

        @Option(
                names = "--bootstrap-servers",
                paramLabel = "HOST:PORT",
                description = "Kafka bootstrap servers (default: kafka.bootstrap.servers, else 127.0.0.1:9092)")
        String bootstrap;

        @Option(
                names = "--registry-url",
                paramLabel = "URL",
                description = "schema registry URL (default: registry.url, else http://127.0.0.1:8085)")
        String registryUrl;

        @Option(
                names = "--prefix",
                paramLabel = "PREFIX",
                description = "topic name prefix (default: topics.prefix, else none)")
        String prefix;

        @Option(
                names = "--application-id",
                paramLabel = "ID",
                description = "the analytics Streams application id (default: analytics.application-id, else"
                        + " cx-analytics)")
        String applicationId;

        @Option(
                names = "--state-dir",
                paramLabel = "DIR",
                description = "the analytics state folder (default: analytics.state-dir, else"
                        + " ~/.cxflow/state/analytics)")
        Path stateDir;

        @Option(
                names = "--port",
                paramLabel = "PORT",
                defaultValue = "0",
                description = "port of the query API while rebuilding (default: ${DEFAULT-VALUE}, a free port)")
        int port;

        @Option(
                names = "--timeout",
                paramLabel = "SECONDS",
                defaultValue = "0",
                description = "give up after this many seconds (default: ${DEFAULT-VALUE}, no limit)")
        long timeoutSeconds;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (timeoutSeconds < 0) {
                throw new IllegalArgumentException("--timeout must be 0 (no limit) or more seconds: " + timeoutSeconds);
            }
            ConfigSource source = configFile == null
                    ? LocalStack.layered(null, overrides())
                    : ConfigSource.fromEnvironment(configFile, overrides());
            CommonConfig common = CommonConfig.from(source);
            AnalyticsConfig config = AnalyticsConfig.from(source);
            Duration timeout = timeoutSeconds == 0 ? Duration.ofDays(3650) : Duration.ofSeconds(timeoutSeconds);

            try (RegistrySerdes serdes = RegistrySerdes.forUrl(common.registryUrl())) {
                PlatformContext platform = PlatformContext.connect(common, serdes, "cx-rebuild");
                String input = platform.topics().events().name();
                try (Admin admin = Admin.create(platform.kafka().admin("rebuild"))) {
                    out.printf(
                            "cx: rebuilding %s from %s on %s%n",
                            config.applicationId(), input, common.bootstrapServers());
                    out.flush();
                    ApplicationReset.Summary reset =
                            new ApplicationReset(admin).reset(config.applicationId(), config.stateDir());
                    out.println(reset.render());
                    ApplicationProgress progress = new ApplicationProgress(admin, config.applicationId(), input);
                    ApplicationProgress.Target target = progress.captureTarget();
                    out.printf("cx: %,d events to process; starting analytics%n", target.total());
                    out.flush();

                    long started = System.nanoTime();
                    ApplicationProgress.Progress done;
                    try (AnalyticsService analytics = AnalyticsService.start(config, platform)) {
                        Thread hook = new Thread(analytics::close, "cx-rebuild-shutdown");
                        Runtime.getRuntime().addShutdownHook(hook);
                        try {
                            done = progress.awaitDrained(target, timeout, PROGRESS_INTERVAL, p -> {
                                err.print("\r" + render(p, System.nanoTime() - started));
                                err.flush();
                            });
                        } finally {
                            err.println();
                            removeHook(hook);
                        }
                    }
                    double seconds = (System.nanoTime() - started) / 1e9;
                    out.printf(
                            "rebuilt %s: %,d events in %.1f s (%,.0f events/s)%n",
                            config.applicationId(),
                            done.processed(),
                            seconds,
                            seconds > 0 ? done.processed() / seconds : 0.0);
                    return 0;
                }
            }
        }

        private Map<String, String> overrides() {
            Map<String, String> overrides = new HashMap<>();
            if (bootstrap != null) {
                overrides.put(CommonConfig.BOOTSTRAP_SERVERS.name(), bootstrap);
            }
            if (registryUrl != null) {
                overrides.put(CommonConfig.REGISTRY_URL.name(), registryUrl);
            }
            if (prefix != null) {
                overrides.put(CommonConfig.TOPIC_PREFIX.name(), prefix);
            }
            if (applicationId != null) {
                overrides.put(AnalyticsConfig.APPLICATION_ID.name(), applicationId);
            }
            if (stateDir != null) {
                overrides.put(AnalyticsConfig.STATE_DIR.name(), stateDir.toString());
            }
            overrides.put(AnalyticsConfig.PORT.name(), Integer.toString(port));
            return overrides;
        }

        private static void removeHook(Thread hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is stopping: the hook closes the service
            }
        }

        /** One progress line: bar, percentage, events, rate, ETA; then the internal topics' backlog. */
        static String render(ApplicationProgress.Progress p, long elapsedNanos) {
            double fraction = p.total() == 0 ? 1.0 : (double) p.processed() / p.total();
            int filled = (int) Math.round(fraction * WIDTH);
            double seconds = elapsedNanos / 1e9;
            double rate = seconds > 0 ? p.processed() / seconds : 0;
            String eta = rate > 0
                    ? ImportCommand.ProgressBar.formatDuration(
                            Duration.ofSeconds(Math.round((p.total() - p.processed()) / rate)))
                    : "--";
            String line = String.format(
                    "[%s%s] %3.0f%%  %,d / %,d events  %,.0f events/s  ETA %s",
                    "#".repeat(filled),
                    " ".repeat(WIDTH - filled),
                    fraction * 100,
                    p.processed(),
                    p.total(),
                    rate,
                    eta);
            if (p.inputDone() && !p.drained()) {
                line += String.format("  draining internal topics: %,d left", Math.max(0, p.internalBacklog()));
            }
            // spaces clear the rest of a longer previous line
            return line + " ".repeat(Math.max(0, 110 - line.length()));
        }
    }
}
