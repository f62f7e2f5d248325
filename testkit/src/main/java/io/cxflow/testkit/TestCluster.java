package io.cxflow.testkit;

import io.cxflow.platform.kafka.EmbeddedKafka;
import io.cxflow.platform.registry.EmbeddedRegistry;
import io.cxflow.platform.serde.RegistrySerdes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One real broker and one real schema registry for a whole test JVM.
 *
 * <ul>
 *   <li>default: an in-process KRaft broker ({@link EmbeddedKafka}) and an Apicurio child process ({@link
 *       EmbeddedRegistry}), no Docker needed;
 *   <li>{@code CX_TEST_KAFKA=testcontainers}: the {@code apache/kafka} image (override with {@code
 *       CX_TEST_KAFKA_IMAGE}) when a Docker engine answers;
 *   <li>{@code CX_TEST_BOOTSTRAP=host:port}: an external cluster.
 * </ul>
 *
 * The registry is embedded unless {@code CX_TEST_REGISTRY_URL} names one.
 */
public final class TestCluster implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    private static final Logger LOG = LoggerFactory.getLogger(TestCluster.class);
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    /** Where the broker comes from. */
    public enum Mode {
        EMBEDDED,
        TESTCONTAINERS,
        EXTERNAL
    }

    private final Mode mode;
    private final String bootstrapServers;
    private final String registryUrl;
    private final RegistrySerdes serdes;
    private final Path workDir;
    private final AutoCloseable broker;
    private final EmbeddedRegistry registry;
    private final Admin admin;
    private final String runId = Long.toString(ProcessHandle.current().pid(), 36);
    private volatile boolean closed;

    private TestCluster(
            Mode mode,
            String bootstrapServers,
            String registryUrl,
            Path workDir,
            AutoCloseable broker,
            EmbeddedRegistry registry) {
        this.mode = mode;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.workDir = workDir;
        this.broker = broker;
        this.registry = registry;
        this.serdes = RegistrySerdes.forUrl(registryUrl);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "cx-testkit-admin");
        this.admin = Admin.create(props);
    }

    /** Starts (or connects to) the broker and registry selected by the environment. */
    public static TestCluster start() {
        return start(System.getenv());
    }

    static TestCluster start(Map<String, String> env) {
        Path workDir = tempDir();
        AutoCloseable broker = null;
        EmbeddedRegistry registry = null;
        try {
            Mode mode = modeOf(env);
            String bootstrap;
            switch (mode) {
                case EXTERNAL -> {
                    bootstrap = env.get("CX_TEST_BOOTSTRAP");
                }
                case TESTCONTAINERS -> {
                    KafkaContainer container =
                            new KafkaContainer(env.getOrDefault("CX_TEST_KAFKA_IMAGE", "apache/kafka:4.1.1"));
                    container.start();
                    broker = container;
                    bootstrap = container.getBootstrapServers();
                }
                default -> {
                    EmbeddedKafka kafka = EmbeddedKafka.start(
                            new EmbeddedKafka.Settings(workDir.resolve("kafka"), "127.0.0.1", 0, 0, Map.of()));
                    broker = kafka;
                    bootstrap = kafka.bootstrapServers();
                }
            }
            String registryUrl = env.get("CX_TEST_REGISTRY_URL");
            if (registryUrl == null || registryUrl.isBlank()) {
                registry = EmbeddedRegistry.start(EmbeddedRegistry.Settings.ephemeral(workDir.resolve("registry.log")));
                registryUrl = registry.url();
            }
            LOG.info("test cluster: mode={} bootstrap={} registry={}", mode, bootstrap, registryUrl);
            return new TestCluster(mode, bootstrap, registryUrl, workDir, broker, registry);
        } catch (RuntimeException e) {
            closeQuietly(registry);
            closeQuietly(broker);
            throw e;
        }
    }

    private static Mode modeOf(Map<String, String> env) {
        String bootstrap = env.get("CX_TEST_BOOTSTRAP");
        if (bootstrap != null && !bootstrap.isBlank()) {
            return Mode.EXTERNAL;
        }
        String kind = env.getOrDefault("CX_TEST_KAFKA", "embedded");
        if (kind.equalsIgnoreCase("testcontainers")) {
            if (!DockerClientFactory.instance().isDockerAvailable()) {
                throw new IllegalStateException(
                        "CX_TEST_KAFKA=testcontainers but no Docker engine answers; unset it to use the embedded broker");
            }
            return Mode.TESTCONTAINERS;
        }
        if (!kind.equalsIgnoreCase("embedded")) {
            throw new IllegalStateException("CX_TEST_KAFKA must be 'embedded' or 'testcontainers', not '" + kind + "'");
        }
        return Mode.EMBEDDED;
    }

    /** A fresh namespace (topic prefix, ids) on this cluster. */
    public TestPlatform newPlatform(String scope) {
        String clean = scope.replaceAll("[^A-Za-z0-9]", "").toLowerCase();
        if (clean.length() > 24) {
            clean = clean.substring(0, 24);
        }
        String id = "t" + runId + "-" + NAMESPACES.incrementAndGet() + "-" + clean;
        return new TestPlatform(this, id);
    }

    public Mode mode() {
        return mode;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String registryUrl() {
        return registryUrl;
    }

    public RegistrySerdes serdes() {
        return serdes;
    }

    public Admin admin() {
        return admin;
    }

    /** A directory for this test JVM's files, deleted at the end. */
    public Path workDir() {
        return workDir;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeQuietly(admin);
        closeQuietly(serdes);
        closeQuietly(registry);
        closeQuietly(broker);
        deleteRecursively(workDir);
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("cx-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", c, e.toString());
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
