package io.cxflow.platform.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) running inside this
 * JVM: the Kafka of the local default ({@code cx up}) and of integration tests.
 *
 * <p>{@link #start} formats the storage under {@link Settings#dataDir()} on first use (a new cluster id,
 * kept in {@code meta.properties}), reuses it afterwards (topics, records and committed offsets survive a
 * restart), binds both listeners to the loopback host, and returns once the broker answers an admin
 * {@code describeCluster}. {@link #close()} shuts it down cleanly; a JVM shutdown hook does the same if
 * the owner never closes it.
 *
 * <p>It is configured for one machine: replication factor 1 and min ISR 1 everywhere (internal topics
 * included), no automatic topic creation (a typo cannot create a topic), no initial rebalance delay,
 * small segments, and few internal partitions. The effective {@code server.properties} is written to the
 * data folder for inspection.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    /** How long {@link #start} waits for the broker to answer. */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private static final String LOG_DIR = "kafka-logs";
    private static final String PROPERTIES_FILE = "server.properties";
    private static final String META_PROPERTIES = "meta.properties";
    private static final int NODE_ID = 1;

    /**
     * Where and how the broker runs.
     *
     * @param dataDir the broker's folder: {@code kafka-logs/} (topics and metadata) and {@code
     *     server.properties}; one broker per folder
     * @param host the loopback address both listeners bind to
     * @param port the client (PLAINTEXT) port; 0 picks a free one
     * @param controllerPort the KRaft controller port; 0 picks a free one
     * @param overrides broker configs applied last (e.g. {@code log.retention.hours})
     */
    public record Settings(Path dataDir, String host, int port, int controllerPort, Map<String, String> overrides) {

        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final int DEFAULT_PORT = 9092;
        public static final int DEFAULT_CONTROLLER_PORT = 9093;

        public Settings {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(host, "host");
            checkPort("port", port);
            checkPort("controllerPort", controllerPort);
            if (port != 0 && port == controllerPort) {
                throw new IllegalArgumentException("port and controllerPort must differ: " + port);
            }
            overrides = Map.copyOf(Objects.requireNonNull(overrides, "overrides"));
        }

        /** {@code 127.0.0.1:9092}, controller on {@code 9093}. */
        public static Settings defaults(Path dataDir) {
            return new Settings(dataDir, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_CONTROLLER_PORT, Map.of());
        }

        public Settings withPorts(int port, int controllerPort) {
            return new Settings(dataDir, host, port, controllerPort, overrides);
        }

        public Settings withOverrides(Map<String, String> more) {
            Map<String, String> merged = new LinkedHashMap<>(overrides);
            merged.putAll(more);
            return new Settings(dataDir, host, port, controllerPort, merged);
        }

        private static void checkPort(String what, int p) {
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException(what + " must be between 0 and 65535: " + p);
            }
        }
    }

    private final Settings settings;
    private final KafkaRaftServer server;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread shutdownHook;

    private EmbeddedKafka(Settings settings, KafkaRaftServer server, int port, int controllerPort, String clusterId) {
        this.settings = settings;
        this.server = server;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.shutdownHook = new Thread(this::closeFromHook, "embedded-kafka-shutdown");
    }

    /**
     * Formats the storage if needed, starts the broker and waits until it answers.
     *
     * @throws IllegalStateException when a port is in use, the data folder is held by another broker, or
     *     the broker does not answer within {@link #START_TIMEOUT}; the message says which
     */
    public static EmbeddedKafka start(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        InetAddress address = loopback(settings.host());
        int port = resolvePort(address, settings.port(), "Kafka", -1);
        int controllerPort = resolvePort(address, settings.controllerPort(), "Kafka controller", port);

        Path dataDir = settings.dataDir().toAbsolutePath();
        Path logDir = dataDir.resolve(LOG_DIR);
        Properties props = serverProperties(settings, logDir, port, controllerPort);
        Path propsFile = dataDir.resolve(PROPERTIES_FILE);
        try {
            Files.createDirectories(logDir);
            writeProperties(props, propsFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Kafka data folder " + dataDir, e);
        }

        String clusterId = readClusterId(logDir);
        if (clusterId == null) {
            clusterId = format(propsFile);
        }

        long started = System.nanoTime();
        KafkaRaftServer server;
        try {
            server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Kafka cannot start on " + dataDir + ": " + rootMessage(e), e);
        }
        try {
            server.startup();
        } catch (RuntimeException e) {
            stop(server);
            throw new IllegalStateException(startFailure(settings.host(), port, controllerPort, dataDir, e), e);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(settings, server, port, controllerPort, clusterId);
        try {
            kafka.awaitReady(START_TIMEOUT);
            kafka.pinTransactionVersion();
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(kafka.shutdownHook);
        log.info(
                "Kafka {} ready at {} (cluster {}, data {}) in {} ms",
                org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                kafka.bootstrapServers(),
                clusterId,
                dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return kafka;
    }

    /**
     * Runs the single node with transactions version 1. With version 2 (KIP-890, the default of a new
     * 4.x cluster) every transaction bumps the producer epoch, and a partition's first batch of a
     * transaction must carry sequence 0: when a later batch of the same transaction reaches the broker
     * first (several requests in flight), it is refused with a retriable OutOfOrderSequence error and
     * retried after a backoff. An exactly-once Streams application writing to many partitions per
     * commit then stalls for seconds at a time on this one loaded node.
     */
    private void pinTransactionVersion() {
        Map<String, Object> config =
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(config)) {
            org.apache.kafka.clients.admin.FinalizedVersionRange finalized = admin.describeFeatures()
                    .featureMetadata()
                    .get(30, TimeUnit.SECONDS)
                    .finalizedFeatures()
                    .get(TRANSACTION_VERSION);
            if (finalized == null || finalized.maxVersionLevel() <= 1) {
                return;
            }
            admin.updateFeatures(
                            Map.of(
                                    TRANSACTION_VERSION,
                                    new org.apache.kafka.clients.admin.FeatureUpdate(
                                            (short) 1,
                                            org.apache.kafka.clients.admin.FeatureUpdate.UpgradeType.SAFE_DOWNGRADE)),
                            new org.apache.kafka.clients.admin.UpdateFeaturesOptions())
                    .all()
                    .get(30, TimeUnit.SECONDS);
            log.info("transaction.version set to 1 (was {})", finalized.maxVersionLevel());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("could not set transaction.version to 1, transactions use version 2: {}", rootMessage(e));
        }
    }

    /** {@code host:port} for the clients' {@code bootstrap.servers}. */
    public String bootstrapServers() {
        String host = settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
        return host + ":" + port;
    }

    /** The client port (the chosen one when the settings said 0). */
    public int port() {
        return port;
    }

    /** The KRaft controller port (the chosen one when the settings said 0). */
    public int controllerPort() {
        return controllerPort;
    }

    /** The cluster id, chosen when the storage was formatted and kept across restarts. */
    public String clusterId() {
        return clusterId;
    }

    public Path dataDir() {
        return settings.dataDir();
    }

    public boolean isRunning() {
        return !closed.get();
    }

    /**
     * Hands shutdown to the owner: removes the JVM shutdown hook that would otherwise stop the broker on
     * its own. An owner that runs clients against it (such as the all-in-one local stack) calls this and
     * stops the broker itself, after its clients, from its own hook; JVM shutdown hooks run in no order.
     */
    public void detachShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or already detached
        }
    }

    /** Shuts the broker down cleanly (the next start needs no log recovery) and waits; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        detachShutdownHook();
        long t0 = System.nanoTime();
        stop(server);
        log.info(
                "Kafka at {} stopped in {} ms",
                bootstrapServers(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    private void closeFromHook() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        log.info("stopping Kafka at {} on JVM shutdown", bootstrapServers());
        stop(server);
        log.info("Kafka at {} stopped", bootstrapServers());
    }

    private static void stop(KafkaRaftServer server) {
        try {
            server.shutdown();
            server.awaitShutdown();
        } catch (RuntimeException e) {
            log.warn("Kafka did not shut down cleanly: {}", rootMessage(e), e);
        }
    }

    private void awaitReady(Duration timeout) {
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "embedded-kafka-readiness",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        try (Admin admin = Admin.create(config)) {
            while (System.nanoTime() < deadline) {
                try {
                    Collection<Node> nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000))
                            .nodes()
                            .get(6, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        return;
                    }
                    last = "no broker registered yet";
                } catch (ExecutionException | TimeoutException e) {
                    last = rootMessage(e);
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka at " + bootstrapServers(), e);
        }
        throw new IllegalStateException(
                "Kafka at " + bootstrapServers() + " did not answer within " + timeout.toSeconds() + " s: " + last);
    }

    // ------------------------------------------------------------------------------------ configuration

    static Properties serverProperties(Settings s, Path logDir, int port, int controllerPort) {
        String host = s.host().contains(":") ? "[" + s.host() + "]" : s.host();
        Map<String, String> c = new TreeMap<>();
        c.put("process.roles", "broker,controller");
        c.put("node.id", Integer.toString(NODE_ID));
        c.put("controller.quorum.bootstrap.servers", host + ":" + controllerPort);
        c.put("listeners", "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        c.put(
                "advertised.listeners",
                "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
        c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        c.put("controller.listener.names", "CONTROLLER");
        c.put("inter.broker.listener.name", "PLAINTEXT");
        c.put("log.dirs", logDir.toString());

        // one node: every replicated thing has one replica
        c.put("default.replication.factor", "1");
        c.put("min.insync.replicas", "1");
        c.put("offsets.topic.replication.factor", "1");
        c.put("offsets.topic.num.partitions", "6");
        c.put("offsets.topic.segment.bytes", Integer.toString(16 * 1024 * 1024));
        c.put("transaction.state.log.replication.factor", "1");
        c.put("transaction.state.log.min.isr", "1");
        c.put("transaction.state.log.num.partitions", "6");
        c.put("transaction.state.log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        c.put("share.coordinator.state.topic.replication.factor", "1");
        c.put("share.coordinator.state.topic.min.isr", "1");
        c.put("share.coordinator.state.topic.num.partitions", "6");
        c.put("share.coordinator.state.topic.segment.bytes", Integer.toString(16 * 1024 * 1024));

        // topics are created from the catalog, never by a typo
        c.put("auto.create.topics.enable", "false");
        c.put("num.partitions", "6");
        c.put("group.initial.rebalance.delay.ms", "0");
        c.put("group.streams.initial.rebalance.delay.ms", "0");

        // small files and buffers for a laptop
        c.put("log.segment.bytes", Integer.toString(64 * 1024 * 1024));
        c.put("log.index.size.max.bytes", Integer.toString(1024 * 1024));
        c.put("log.cleaner.dedupe.buffer.size", Integer.toString(32 * 1024 * 1024));
        c.put("log.cleaner.threads", "1");
        c.put("num.network.threads", "2");
        c.put("num.io.threads", "4");
        c.put("num.recovery.threads.per.data.dir", "2");
        c.putAll(s.overrides());

        Properties props = new Properties();
        props.putAll(c);
        return props;
    }

    private static void writeProperties(Properties props, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            props.store(out, "written by cxflow EmbeddedKafka at every start; edits are overwritten");
        }
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The cluster id of formatted storage, or null when {@code meta.properties} does not exist. */
    static String readClusterId(Path logDir) {
        Path meta = logDir.resolve(META_PROPERTIES);
        if (!Files.isRegularFile(meta)) {
            return null;
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meta, e);
        }
        String id = p.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException(meta + " has no cluster.id; the Kafka data folder is damaged");
        }
        return id;
    }

    private static final String TRANSACTION_VERSION = "transaction.version";

    private static String format(Path propsFile) {
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int rc;
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            rc = StorageTool.execute(
                    new String[] {"format", "--standalone", "-t", clusterId, "-c", propsFile.toString()}, out);
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "cannot format Kafka storage with " + propsFile + ": " + rootMessage(e) + " " + output, e);
        }
        if (rc != 0) {
            throw new IllegalStateException(
                    "formatting Kafka storage with " + propsFile + " failed (" + rc + "): " + output);
        }
        log.info("formatted new Kafka storage for cluster {} in {}", clusterId, propsFile.getParent());
        log.debug(
                "storage tool output: {}",
                output.toString(StandardCharsets.UTF_8).strip());
        return clusterId;
    }

    // ------------------------------------------------------------------------------------------- ports

    private static InetAddress loopback(String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host for the embedded Kafka: " + host, e);
        }
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("the embedded Kafka has no authentication and binds only to loopback"
                    + " addresses such as 127.0.0.1, not " + host);
        }
        return address;
    }

    /** The requested port if free, or a free one for 0; fails clearly when a fixed port is taken. */
    private static int resolvePort(InetAddress address, int requested, String what, int avoid) {
        if (requested != 0) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(address, requested));
            } catch (IOException e) {
                throw new IllegalStateException(what + " port " + address.getHostAddress() + ":" + requested
                        + " is already in use (is another broker running? stop it or choose another port)");
            }
            return requested;
        }
        for (int attempt = 0; attempt < 5; attempt++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(address, 0));
                int p = socket.getLocalPort();
                if (p != avoid) {
                    return p;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot find a free port on " + address.getHostAddress(), e);
            }
        }
        throw new IllegalStateException("cannot find a free port on " + address.getHostAddress());
    }

    private static String startFailure(String host, int port, int controllerPort, Path dataDir, Throwable e) {
        String root = rootMessage(e);
        if (root.contains("Address already in use") || root.contains("failed to bind")) {
            return "Kafka cannot bind " + host + ":" + port + " or " + host + ":" + controllerPort
                    + ": a port is already in use (" + root + ")";
        }
        if (root.contains(".lock") || root.contains("another process")) {
            return "Kafka data folder " + dataDir + " is in use by another broker (" + root + ")";
        }
        return "Kafka failed to start on " + dataDir + ": " + root;
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
