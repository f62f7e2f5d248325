package io.cxflow.deploy.local;

import io.cxflow.activation.ActivationConfig;
import io.cxflow.activation.ActivationService;
import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.AnalyticsService;
import io.cxflow.collector.CollectorConfig;
import io.cxflow.collector.CollectorService;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.kafka.EmbeddedKafka;
import io.cxflow.platform.kafka.TopicAdmin;
import io.cxflow.platform.registry.EmbeddedRegistry;
import io.cxflow.platform.serde.RegistrySerdes;
import io.cxflow.schemas.Topics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The all-in-one local default: embedded broker, schema registry, catalog topics and the three services in one
 * process, data in one directory. Closing it stops everything in reverse order.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    private static final String DEFAULTS = "/io/cxflow/deploy/local-defaults.properties";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    /** Where the data lives, the optional config file, and the ports (0 picks a free one). */
    public record Options(
            Path dataDir,
            Path configFile,
            int kafkaPort,
            int registryPort,
            int registryManagementPort,
            int collectorPort,
            int analyticsPort,
            int activationPort) {}

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private EmbeddedKafka kafka;
    private EmbeddedRegistry registry;
    private CollectorService collector;
    private AnalyticsService analytics;
    private ActivationService activation;
    private PlatformContext platform;
    private ConfigSource config;
    private Path dataDir;
    private volatile boolean closed;

    private LocalStack() {}

    /**
     * Starts everything, printing progress to {@code out}; on failure stops what was started and rethrows. The
     * caller must {@link #close()} it (e.g. from a shutdown hook): the broker and registry leave their shutdown to
     * this stack so that they stop after the services that use them.
     */
    public static LocalStack start(Options options, PrintStream out) {
        LocalStack stack = new LocalStack();
        try {
            stack.doStart(options, out);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void doStart(Options o, PrintStream out) {
        dataDir = o.dataDir();
        createDirectories(dataDir.resolve("logs"));

        long t0 = System.nanoTime();
        out.printf(
                "cx: starting Kafka broker (KRaft) on 127.0.0.1:%d, data in %s%n",
                o.kafkaPort(), dataDir.resolve("kafka"));
        kafka = track(EmbeddedKafka.start(
                EmbeddedKafka.Settings.defaults(dataDir.resolve("kafka")).withPorts(o.kafkaPort(), 0)));
        kafka.detachShutdownHook();

        out.printf("cx: starting schema registry (Apicurio) on 127.0.0.1:%d%n", o.registryPort());
        registry = track(EmbeddedRegistry.start(EmbeddedRegistry.Settings.defaults(dataDir.resolve("logs/registry.log"))
                .withPorts(o.registryPort(), o.registryManagementPort())
                .withDataDirectory(dataDir.resolve("registry"))));
        registry.detachShutdownHook();

        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put(CommonConfig.BOOTSTRAP_SERVERS.name(), kafka.bootstrapServers());
        overrides.put(CommonConfig.REGISTRY_URL.name(), registry.url());
        overrides.put("collector.port", Integer.toString(o.collectorPort()));
        overrides.put("analytics.port", Integer.toString(o.analyticsPort()));
        overrides.put("activation.port", Integer.toString(o.activationPort()));
        overrides.put("analytics.state-dir", dataDir.resolve("analytics").toString());
        config = layered(o.configFile(), overrides);

        CommonConfig common = CommonConfig.from(config);
        RegistrySerdes serdes = track(RegistrySerdes.forUrl(common.registryUrl()));
        platform = PlatformContext.connect(common, serdes, "cx-local");

        out.println("cx: applying the topic catalog");
        try (Admin admin = Admin.create(platform.kafka().admin("cx-topics"))) {
            TopicAdmin.ApplyReport report = TopicAdmin.apply(admin, Topics.ALL, common.topicPrefix());
            if (report.hasDrift()) {
                out.println(report.render());
            }
        }

        out.println("cx: starting collector, analytics and activation");
        collector = track(CollectorService.start(CollectorConfig.from(config), platform));
        analytics = track(AnalyticsService.start(AnalyticsConfig.from(config), platform));
        // activation reads latest profiles (and resolves event triggers) from this analytics unless configured
        activation = track(ActivationService.start(
                ActivationConfig.from(config.withDefaults(
                        Map.of("activation.profiles.url", analytics.baseUrl()), "the local analytics")),
                platform));
        out.println("cx: waiting until every service is ready");
        awaitReady(List.of(collector.baseUrl(), analytics.baseUrl(), activation.baseUrl()), READY_TIMEOUT);
        LOG.info("local stack up in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }

    /** The local defaults, then the config file, then CX_* environment variables, then the command line. */
    public static ConfigSource layered(Path configFile, Map<String, String> cliOverrides) {
        Map<String, String> defaults = new LinkedHashMap<>();
        Properties p = new Properties();
        try (InputStream in = LocalStack.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException("missing " + DEFAULTS + " on the classpath");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.forEach((k, v) -> defaults.put(k.toString(), v.toString()));
        return ConfigSource.load(configFile, System.getenv(), cliOverrides).withDefaults(defaults, "local defaults");
    }

    /**
     * Waits until {@code GET <baseUrl>/health/ready} answers 200 for every service.
     *
     * @throws IllegalStateException naming the services and their last answer when the timeout passes first
     */
    public static void awaitReady(List<String> baseUrls, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> waiting = new LinkedHashMap<>();
        baseUrls.forEach(u -> waiting.put(u, "no answer yet"));
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            while (!waiting.isEmpty()) {
                for (String url : List.copyOf(waiting.keySet())) {
                    try {
                        HttpResponse<String> r = http.send(
                                HttpRequest.newBuilder(URI.create(url + "/health/ready"))
                                        .timeout(Duration.ofSeconds(5))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            waiting.remove(url);
                        } else {
                            waiting.put(url, r.statusCode() + " " + r.body());
                        }
                    } catch (IOException e) {
                        waiting.put(url, e.toString());
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("not ready after " + timeout + ": " + waiting);
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for readiness", e);
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        started.push(resource);
        return resource;
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    public PlatformContext platform() {
        return platform;
    }

    public ConfigSource config() {
        return config;
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedRegistry registry() {
        return registry;
    }

    public CollectorService collector() {
        return collector;
    }

    public AnalyticsService analytics() {
        return analytics;
    }

    public ActivationService activation() {
        return activation;
    }

    /** Where to look: URLs, keys and the data directory. */
    public String summary() {
        String adminToken = platform.common().adminToken();
        String shownToken = CommonConfig.DEV_ADMIN_TOKEN.equals(adminToken) ? adminToken : "$CX_ADMIN_TOKEN";
        String devKeys = String.join(", ", new java.util.TreeSet<>(CommonConfig.DEV_WRITE_KEYS));
        return String.join(
                System.lineSeparator(),
                "",
                "  cxflow is running (profile "
                        + platform.common().profile().name().toLowerCase() + ")",
                "  Kafka       " + kafka.bootstrapServers(),
                "  registry    " + registry.url() + "  (Confluent-compatible API: " + registry.ccompatUrl() + ")",
                "  collector   " + collector.baseUrl() + "   write keys: " + devKeys,
                "  analytics   " + analytics.baseUrl(),
                "  activation  " + activation.baseUrl() + "   admin token: "
                        + (CommonConfig.DEV_ADMIN_TOKEN.equals(adminToken) ? adminToken : "(from your config)"),
                "  data        " + dataDir + "   (logs in " + dataDir.resolve("logs") + ")",
                "",
                "  try:",
                "    curl -u dev-web: -H 'Content-Type: application/json' -d '{\"userId\":\"u-1\",\"event\":\"Product Viewed\"}' "
                        + collector.baseUrl() + "/v1/track",
                "    curl '" + analytics.baseUrl() + "/v1/profiles?userId=u-1'",
                "    curl -H 'Authorization: Bearer " + shownToken + "' " + activation.baseUrl() + "/v1/workflows",
                "    curl " + collector.baseUrl() + "/metrics",
                "");
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (!started.isEmpty()) {
            AutoCloseable c = started.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", c.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
