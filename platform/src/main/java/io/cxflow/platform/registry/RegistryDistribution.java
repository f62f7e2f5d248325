package io.cxflow.platform.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unpacked Apicurio Registry server ({@code quarkus-run.jar} with its {@code lib/}, {@code app/}
 * and {@code quarkus/} folders) that {@link EmbeddedRegistry} runs.
 *
 * <p>{@link #locate()} tries, in order: the system property {@value #HOME_PROPERTY} (set by the
 * build for tests), the environment variable {@value #HOME_ENV}, an earlier unpack in the user cache
 * ({@code ~/.cache/cxflow/apicurio-registry-<version>}), and finally unpacks the distribution archive
 * from the local Maven repository into that cache.
 */
public final class RegistryDistribution {

    /** The Apicurio Registry version; must match {@code apicurio.registry.version} in the parent pom. */
    public static final String VERSION = "3.3.3";

    public static final String HOME_PROPERTY = "cx.registry.home";
    public static final String HOME_ENV = "CX_REGISTRY_HOME";
    public static final String RUNNER_JAR = "quarkus-run.jar";

    private static final Logger log = LoggerFactory.getLogger(RegistryDistribution.class);
    private static final String ARTIFACT_PATH =
            "io/apicurio/apicurio-registry-app/" + VERSION + "/apicurio-registry-app-" + VERSION + "-all.tar.gz";

    private final Path home;

    private RegistryDistribution(Path home) {
        this.home = home;
    }

    /** Where {@link #locate(Sources)} looks, so tests can point it at temporary folders. */
    record Sources(String homeProperty, String homeEnv, Path mavenRepository, Path cacheDirectory) {
        Sources {
            Objects.requireNonNull(mavenRepository, "mavenRepository");
            Objects.requireNonNull(cacheDirectory, "cacheDirectory");
        }

        static Sources system() {
            Path userHome = Path.of(System.getProperty("user.home"));
            String repo = System.getProperty("maven.repo.local");
            Path mavenRepository =
                    repo == null || repo.isBlank() ? userHome.resolve(".m2").resolve("repository") : Path.of(repo);
            String xdgCache = System.getenv("XDG_CACHE_HOME");
            Path cacheRoot = xdgCache == null || xdgCache.isBlank() ? userHome.resolve(".cache") : Path.of(xdgCache);
            return new Sources(
                    System.getProperty(HOME_PROPERTY),
                    System.getenv(HOME_ENV),
                    mavenRepository,
                    cacheRoot.resolve("cxflow").resolve("apicurio-registry-" + VERSION));
        }
    }

    /**
     * Finds (or unpacks) the registry distribution.
     *
     * @throws IllegalStateException naming what was tried and how to fix it
     */
    public static RegistryDistribution locate() {
        return locate(Sources.system());
    }

    static RegistryDistribution locate(Sources sources) {
        List<String> tried = new ArrayList<>();

        RegistryDistribution fromProperty =
                configured(sources.homeProperty(), "system property " + HOME_PROPERTY, tried);
        if (fromProperty != null) {
            return fromProperty;
        }
        RegistryDistribution fromEnv = configured(sources.homeEnv(), "environment variable " + HOME_ENV, tried);
        if (fromEnv != null) {
            return fromEnv;
        }

        Path cache = sources.cacheDirectory();
        if (isDistribution(cache)) {
            log.debug("Using the schema registry unpacked in {}", cache);
            return new RegistryDistribution(cache);
        }
        tried.add("the user cache " + cache + " (" + (Files.exists(cache) ? "no " + RUNNER_JAR : "not unpacked yet")
                + ")");

        Path archive = sources.mavenRepository().resolve(ARTIFACT_PATH);
        if (Files.isRegularFile(archive)) {
            try {
                return new RegistryDistribution(unpack(archive, cache));
            } catch (IOException | RuntimeException e) {
                tried.add("unpacking " + archive + " into " + cache + " (failed: " + e.getMessage() + ")");
            }
        } else {
            tried.add("the local Maven repository " + archive + " (no such file)");
        }

        StringBuilder message = new StringBuilder()
                .append("Apicurio Registry ")
                .append(VERSION)
                .append(" distribution not found. Tried:");
        for (String attempt : tried) {
            message.append("\n  - ").append(attempt);
        }
        message.append("\nFix: run `mvn -pl platform package` in the cxflow checkout (it downloads and unpacks it),")
                .append(" or set ")
                .append(HOME_ENV)
                .append(" to an unpacked apicurio-registry-app-")
                .append(VERSION)
                .append("-all.tar.gz.");
        throw new IllegalStateException(message.toString());
    }

    /** The folder holding {@code quarkus-run.jar}; the registry runs with it as working directory. */
    public Path home() {
        return home;
    }

    public Path runnerJar() {
        return home.resolve(RUNNER_JAR);
    }

    public String version() {
        return VERSION;
    }

    @Override
    public String toString() {
        return "Apicurio Registry " + VERSION + " at " + home;
    }

    static boolean isDistribution(Path folder) {
        return folder != null
                && Files.isRegularFile(folder.resolve(RUNNER_JAR))
                && Files.isDirectory(folder.resolve("lib"));
    }

    private static RegistryDistribution configured(String value, String what, List<String> tried) {
        if (value == null || value.isBlank()) {
            tried.add(what + " (not set)");
            return null;
        }
        Path folder = Path.of(value.trim());
        if (isDistribution(folder)) {
            log.debug("Using the schema registry at {} from the {}", folder, what);
            return new RegistryDistribution(folder);
        }
        tried.add(what + "=" + folder + " ("
                + (Files.isDirectory(folder) ? "no " + RUNNER_JAR + " and lib/ in it" : "no such folder") + ")");
        return null;
    }

    /**
     * Unpacks the archive into {@code target} atomically: into a sibling temporary folder first, then
     * renamed, so a crash or a concurrent unpack never leaves a half-written distribution behind.
     */
    static Path unpack(Path archive, Path target) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        log.info("Unpacking the schema registry {} into {} (once)", archive, target);
        Path staging = Files.createTempDirectory(parent, target.getFileName() + ".unpacking-");
        try {
            extract(archive, staging);
            if (!isDistribution(staging)) {
                throw new IOException("the archive has no " + RUNNER_JAR + " and lib/ at its top level");
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileSystemException e) {
                // another process finished first: use its copy
                if (!isDistribution(target)) {
                    throw new IOException(
                            target + " exists but is not a complete distribution; delete it and try again", e);
                }
                log.debug("{} was unpacked concurrently; using that copy", target);
            }
            return target;
        } finally {
            deleteRecursively(staging);
        }
    }

    private static void extract(Path archive, Path into) throws IOException {
        Path root = into.toRealPath();
        try (InputStream file = Files.newInputStream(archive);
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new GzipCompressorInputStream(new BufferedInputStream(file)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path destination = root.resolve(entry.getName()).normalize();
                if (!destination.startsWith(root)) {
                    throw new IOException("archive entry escapes the target folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else if (entry.isFile()) {
                    Files.createDirectories(destination.getParent());
                    Files.copy(tar, destination, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    throw new IOException("unsupported archive entry (links are not expected): " + entry.getName());
                }
            }
        }
    }

    private static void deleteRecursively(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("Could not delete the temporary folder {}: {}", folder, e.getMessage());
        }
    }
}
