package io.cxflow.platform.registry;

import io.cxflow.platform.jdk.JdkLocator;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apicurio Registry running as a child process on loopback: the schema registry of the local default
 * ({@code cx up}) and of integration tests.
 *
 * <p>It runs {@code quarkus-run.jar} of the {@link RegistryDistribution} on a Java 21+ found by {@link
 * JdkLocator}, with the global compatibility rule {@code BACKWARD}, both the API and the management
 * port bound to the given loopback host, and its output appended to {@link Settings#logFile()}. {@link
 * #start} returns once {@code /health/ready} and the API answer 200. {@link #close()} stops it (SIGTERM, then a
 * forced kill after 10 s); a JVM shutdown hook does the same if the owner never closes it.
 *
 * <p>Storage is H2: in memory by default (schemas vanish when the process stops), or in files under
 * {@link Settings#dataDirectory()} so schema ids survive restarts.
 */
public final class EmbeddedRegistry implements AutoCloseable {

    /** Path of the native Apicurio v3 REST API. */
    public static final String API_PATH = "/apis/registry/v3";
    /** Path of the Confluent-compatible REST API. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    /** Apicurio Registry 3.3 needs Java 21 or newer. */
    public static final int MIN_JAVA = 21;

    private static final Logger log = LoggerFactory.getLogger(EmbeddedRegistry.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
    private static final int LOG_TAIL_LINES = 40;
    private static final int PORT_ATTEMPTS = 3;

    /**
     * How to run the registry.
     *
     * @param logFile where the registry's output is appended (created with its folders if missing)
     * @param host the loopback address both ports bind to
     * @param port the HTTP port of the APIs; 0 picks a free one
     * @param managementPort the port of {@code /health} and {@code /metrics}; 0 picks a free one
     * @param startTimeout how long {@link #start} waits for readiness
     * @param dataDirectory where H2 keeps the registry's data so it survives restarts; null keeps it in
     *     memory only
     */
    public record Settings(
            Path logFile, String host, int port, int managementPort, Duration startTimeout, Path dataDirectory) {

        public static final String DEFAULT_HOST = "127.0.0.1";
        public static final int DEFAULT_PORT = 8085;
        public static final int DEFAULT_MANAGEMENT_PORT = 8086;
        public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);

        public Settings {
            Objects.requireNonNull(logFile, "logFile");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(startTimeout, "startTimeout");
            requirePort("port", port);
            requirePort("managementPort", managementPort);
            if (port != 0 && port == managementPort) {
                throw new IllegalArgumentException("port and managementPort must differ: " + port);
            }
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive: " + startTimeout);
            }
            if (!isLoopback(host)) {
                throw new IllegalArgumentException("host must be a loopback address (the embedded registry has no"
                        + " authentication; run a real registry to serve other machines): " + host);
            }
            if (dataDirectory != null && dataDirectory.toString().contains(";")) {
                throw new IllegalArgumentException("dataDirectory must not contain ';': " + dataDirectory);
            }
        }

        /** Settings without a data directory: schemas live in memory only. */
        public Settings(Path logFile, String host, int port, int managementPort, Duration startTimeout) {
            this(logFile, host, port, managementPort, startTimeout, null);
        }

        /** 127.0.0.1:8085 (management 8086), in-memory storage: the local default's ports. */
        public static Settings defaults(Path logFile) {
            return new Settings(
                    logFile, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MANAGEMENT_PORT, DEFAULT_START_TIMEOUT, null);
        }

        /** Free ports on 127.0.0.1, in-memory storage: for tests. */
        public static Settings ephemeral(Path logFile) {
            return new Settings(logFile, DEFAULT_HOST, 0, 0, DEFAULT_START_TIMEOUT, null);
        }

        public Settings withPorts(int port, int managementPort) {
            return new Settings(logFile, host, port, managementPort, startTimeout, dataDirectory);
        }

        public Settings withStartTimeout(Duration timeout) {
            return new Settings(logFile, host, port, managementPort, timeout, dataDirectory);
        }

        public Settings withDataDirectory(Path directory) {
            return new Settings(logFile, host, port, managementPort, startTimeout, directory);
        }

        private static void requirePort(String name, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(name + " must be 0..65535: " + port);
            }
        }

        private static boolean isLoopback(String host) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }

    private final Process process;
    private final Settings settings;
    private final int port;
    private final int managementPort;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedRegistry(Process process, Settings settings, int port, int managementPort) {
        this.process = process;
        this.settings = settings;
        this.port = port;
        this.managementPort = managementPort;
        this.shutdownHook = new Thread(() -> stop(process), "cx-registry-shutdown-" + process.pid());
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts the registry and waits until it is ready.
     *
     * @throws IllegalStateException when no Java 21+ or no distribution exists, or the registry exits or
     *     is not ready within {@link Settings#startTimeout()}; the message carries the tail of its log
     */
    public static EmbeddedRegistry start(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        RegistryDistribution distribution = RegistryDistribution.locate();
        Path javaHome = JdkLocator.require(MIN_JAVA, "to run the Apicurio schema registry");
        prepareFiles(settings);

        // another process may grab a free port between picking and binding it: retry with new ones,
        // but only when every port is picked here (a given port that is taken stays taken)
        boolean freePorts = settings.port() == 0 && settings.managementPort() == 0;
        int attempts = freePorts ? PORT_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            int port = settings.port() == 0 ? freePort(settings.host()) : settings.port();
            int managementPort =
                    settings.managementPort() == 0 ? freePort(settings.host(), port) : settings.managementPort();
            try {
                return launch(distribution, javaHome, settings, port, managementPort);
            } catch (PortTakenException e) {
                if (attempt >= attempts) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
                log.info(
                        "Port {} or {} was taken before the registry bound it; retrying with other ports",
                        port,
                        managementPort);
            }
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8085}. */
    public String url() {
        return "http://" + hostForUrl() + ":" + port;
    }

    /** The native v3 API, e.g. {@code http://127.0.0.1:8085/apis/registry/v3}. */
    public String apiUrl() {
        return url() + API_PATH;
    }

    /** The Confluent-compatible API, e.g. {@code http://127.0.0.1:8085/apis/ccompat/v7}. */
    public String ccompatUrl() {
        return url() + CCOMPAT_PATH;
    }

    /** The readiness probe, e.g. {@code http://127.0.0.1:8086/health/ready}. */
    public String healthUrl() {
        return managementUrl(settings.host(), managementPort);
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public Settings settings() {
        return settings;
    }

    /** The process id of the registry. */
    public long pid() {
        return process.pid();
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /**
     * Hands shutdown to the owner: removes the JVM shutdown hook that would otherwise stop the registry on
     * its own. An owner that runs clients against it (such as the all-in-one local stack) calls this and
     * stops the registry itself, after its clients, from its own hook; JVM shutdown hooks run in no order.
     */
    public void detachShutdownHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or already detached
        }
    }

    /** Stops the registry: SIGTERM, then a forced kill after 10 s. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        detachShutdownHook();
        stop(process);
        log.info("Schema registry stopped (pid {})", process.pid());
    }

    @Override
    public String toString() {
        return "EmbeddedRegistry[" + url() + ", pid " + process.pid() + "]";
    }

    private static EmbeddedRegistry launch(
            RegistryDistribution distribution, Path javaHome, Settings settings, int port, int managementPort) {
        List<String> command = command(distribution, javaHome, settings, port, managementPort);
        long logOffset = logSize(settings.logFile());
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .directory(distribution.home().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(settings.logFile().toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the schema registry with " + javaHome, e);
        }
        log.info(
                "Starting the schema registry {} on {}:{} (management {}), pid {}, log {}",
                RegistryDistribution.VERSION,
                settings.host(),
                port,
                managementPort,
                process.pid(),
                settings.logFile());

        EmbeddedRegistry registry = new EmbeddedRegistry(process, settings, port, managementPort);
        try {
            registry.awaitReady(logOffset);
            return registry;
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
    }

    private void awaitReady(long logOffset) {
        long started = System.nanoTime();
        long deadline = started + settings.startTimeout().toNanos();
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(healthUrl()))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        // the management interface (health) starts before the API's port is bound: a taken API port is seen
        // only as the process exiting after health said ready, so the API must answer too
        HttpRequest api = HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects"))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        try {
            while (true) {
                if (!process.isAlive()) {
                    String tail = logTail(settings.logFile(), logOffset);
                    String message = "The schema registry exited with code " + process.exitValue()
                            + " before it was ready. Its log " + settings.logFile() + " ends with:\n" + tail;
                    if (tail.contains("seems to be in use by another process")
                            || tail.contains("Address already in use")) {
                        throw new PortTakenException(message);
                    }
                    throw new IllegalStateException(message);
                }
                if (isReady(http, probe) && isReady(http, api)) {
                    log.info(
                            "Schema registry ready at {} in {} ms",
                            url(),
                            Duration.ofNanos(System.nanoTime() - started).toMillis());
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("The schema registry was not ready within "
                            + settings.startTimeout().toSeconds() + " s (" + healthUrl() + "). Its log "
                            + settings.logFile() + " ends with:\n" + logTail(settings.logFile(), logOffset));
                }
                process.waitFor(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the schema registry", e);
        } finally {
            http.close();
        }
    }

    private static boolean isReady(HttpClient http, HttpRequest probe) throws InterruptedException {
        try {
            return http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (ConnectException e) {
            return false; // not listening yet
        } catch (IOException e) {
            log.debug("Readiness probe failed: {}", e.toString());
            return false;
        }
    }

    static List<String> command(
            RegistryDistribution distribution, Path javaHome, Settings settings, int port, int managementPort) {
        List<String> command = new ArrayList<>();
        command.add(JdkLocator.javaExecutable(javaHome).toString());
        command.add("-Xmx384m");
        command.add("-XX:+UseSerialGC");
        command.add("-Dquarkus.http.host=" + settings.host());
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.host=" + settings.host());
        command.add("-Dquarkus.management.port=" + managementPort);
        command.add("-Dapicurio.rules.global.compatibility=BACKWARD");
        // quiet: no line per request or per registration; the startup line, warnings and errors stay
        command.add("-Dquarkus.http.access-log.enabled=false");
        command.add("-Dquarkus.log.category.\"io.apicurio\".level=WARN");
        if (settings.dataDirectory() != null) {
            Path db = settings.dataDirectory().toAbsolutePath().resolve("registry");
            command.add("-Dapicurio.datasource.url=jdbc:h2:file:" + db);
        }
        command.add("-jar");
        command.add(distribution.runnerJar().toString());
        return command;
    }

    private static void prepareFiles(Settings settings) {
        try {
            Path logParent = settings.logFile().toAbsolutePath().getParent();
            if (logParent != null) {
                Files.createDirectories(logParent);
            }
            if (settings.dataDirectory() != null) {
                Files.createDirectories(settings.dataDirectory());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the registry's log or data folder", e);
        }
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "Schema registry (pid {}) did not stop within {} s; killing it",
                        process.pid(),
                        STOP_GRACE.toSeconds());
                process.destroyForcibly();
                process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static int freePort(String host, int... avoid) {
        for (int i = 0; i < 10; i++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
                int candidate = socket.getLocalPort();
                boolean clash = false;
                for (int taken : avoid) {
                    clash |= taken == candidate;
                }
                if (!clash) {
                    return candidate;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Could not find a free port on " + host, e);
            }
        }
        throw new IllegalStateException("Could not find a free port on " + host);
    }

    private String hostForUrl() {
        return hostForUrl(settings.host());
    }

    private static String hostForUrl(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    private static String managementUrl(String host, int managementPort) {
        return "http://" + hostForUrl(host) + ":" + managementPort + "/health/ready";
    }

    private static long logSize(Path logFile) {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    /** The last lines the current run wrote to the log (from {@code offset} on). */
    static String logTail(Path logFile, long offset) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(offset, length - 16 * 1024);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\\R");
            int first = Math.max(0, lines.length - LOG_TAIL_LINES);
            StringBuilder tail = new StringBuilder();
            for (int i = first; i < lines.length; i++) {
                tail.append("  | ").append(lines[i]).append('\n');
            }
            return tail.isEmpty() ? "  | (nothing)\n" : tail.toString();
        } catch (IOException e) {
            return "  | (log not readable: " + e.getMessage() + ")\n";
        }
    }

    private static File nullFile() {
        return new File(
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows") ? "NUL" : "/dev/null");
    }

    /** The registry could not bind a port it was given; retried with other free ports. */
    private static final class PortTakenException extends RuntimeException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
