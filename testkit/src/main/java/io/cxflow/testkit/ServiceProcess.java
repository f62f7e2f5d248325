package io.cxflow.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A service's {@code main} class run in a child JVM on the test's class path, the way a deployment runs it: its
 * configuration in a properties file passed as the only argument, its output in a log file. Tests stop it with
 * SIGTERM ({@link #stop}) or kill it with SIGKILL ({@link #kill}) to prove what survives a crash.
 */
public final class ServiceProcess implements AutoCloseable {

    /** The JVM options of a child: small heap, quick start. */
    public static final List<String> JVM_OPTIONS =
            List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");

    private final String name;
    private final Process process;
    private final Path log;
    private final long started = System.nanoTime();

    private ServiceProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * The common keys of a service on {@code platform}'s namespace: local profile, the development admin token, the
     * broker, the registry and the topic prefix.
     */
    public static Properties platformConfig(TestPlatform platform) {
        Properties p = new Properties();
        p.setProperty("cx.profile", "local");
        p.setProperty("admin.token", "dev-admin");
        p.setProperty("kafka.bootstrap.servers", platform.bootstrapServers());
        p.setProperty("registry.url", platform.registryUrl());
        p.setProperty("topics.prefix", platform.topics().prefix());
        return p;
    }

    /**
     * Writes {@code config} to {@code <work>/<name>.properties} and starts {@code main} with it, without the
     * parent's {@code CX_*} environment variables; the output goes to {@code <work>/<name>.log}.
     */
    public static ServiceProcess start(Path work, String name, Class<?> main, Properties config) throws IOException {
        Path file = work.resolve(name + ".properties");
        try (var out = Files.newBufferedWriter(file)) {
            config.store(out, name);
        }
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName(), file.toString()));
        Path log = work.resolve(name + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().keySet().removeIf(k -> k.startsWith("CX_"));
        return new ServiceProcess(name, builder.start(), log);
    }

    public String name() {
        return name;
    }

    /** {@link System#nanoTime()} when the process was started. */
    public long startedNanos() {
        return started;
    }

    /** Fails, with the end of the log, when the process has exited. */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + logTail());
        }
    }

    /** SIGTERM; the process must stop by itself within 45 s and its log must contain {@code stoppedLine}. */
    public void stop(String stoppedLine) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(45, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not stop on SIGTERM" + logTail());
        }
        if (!readLog().contains(stoppedLine)) {
            throw new AssertionError("the log of " + name + " does not say '" + stoppedLine + "'" + logTail());
        }
    }

    /** SIGKILL: no shutdown hook, no commit, no leaving a group. The process must die of the signal. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " did not die within 30 s of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while killing " + name, e);
        }
        // 128 + SIGKILL: it died of the signal, it did not exit by itself
        if (process.exitValue() != 137) {
            throw new AssertionError(name + " exited with " + process.exitValue() + ", not 137 (SIGKILL)" + logTail());
        }
    }

    /** The last 40 lines of the log, for failure messages. */
    public String logTail() {
        String[] lines = readLog().split("\n");
        return "\n--- last lines of " + log + ":\n"
                + String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }

    /** The whole log so far. */
    public String readLog() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
