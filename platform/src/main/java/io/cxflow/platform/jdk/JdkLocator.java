package io.cxflow.platform.jdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds an installed Java home of at least a given major version, for processes cxflow starts itself
 * (the embedded schema registry needs Java 21+ even when the caller runs on an older JVM).
 *
 * <p>Order: {@code JAVA_HOME} when it is new enough (an explicit choice wins), then the current JVM,
 * then the newest JDK in the standard folders: {@code /usr/lib/jvm/*}, {@code /usr/java/*}, {@code
 * /opt/java/*}, {@code /Library/Java/JavaVirtualMachines/*}{@code /Contents/Home}, {@code
 * ~/.sdkman/candidates/java/*}, {@code ~/.jdks/*}. A folder counts as a Java home when it has an
 * executable {@code bin/java} and a {@code release} file naming its {@code JAVA_VERSION}.
 */
public final class JdkLocator {

    private static final Logger log = LoggerFactory.getLogger(JdkLocator.class);
    private static final Pattern JAVA_VERSION_LINE =
            Pattern.compile("^JAVA_VERSION\\s*=\\s*\"?([^\"\\s]+)\"?\\s*$", Pattern.MULTILINE);
    private static final Pattern NUMBERS = Pattern.compile("\\d+");

    /** A folder whose children are Java homes, each found at {@code child/suffix}. */
    record SearchRoot(Path folder, String suffix) {
        SearchRoot {
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(suffix, "suffix");
        }

        @Override
        public String toString() {
            return suffix.isEmpty() ? folder + "/*" : folder + "/*/" + suffix;
        }
    }

    private final String javaHomeEnv;
    private final Path currentJavaHome;
    private final int currentMajor;
    private final List<SearchRoot> roots;

    /**
     * @param javaHomeEnv the value of {@code JAVA_HOME}, or null when unset
     * @param currentJavaHome the home of the running JVM, or null to ignore it
     * @param currentMajor the major version of the running JVM
     * @param roots the folders scanned for Java homes
     */
    JdkLocator(String javaHomeEnv, Path currentJavaHome, int currentMajor, List<SearchRoot> roots) {
        this.javaHomeEnv = javaHomeEnv == null || javaHomeEnv.isBlank() ? null : javaHomeEnv.trim();
        this.currentJavaHome = currentJavaHome;
        this.currentMajor = currentMajor;
        this.roots = List.copyOf(roots);
    }

    /** The locator for this machine: the real environment, the running JVM and the standard folders. */
    static JdkLocator system() {
        Path home = Path.of(System.getProperty("user.home"));
        List<SearchRoot> roots = List.of(
                new SearchRoot(Path.of("/usr/lib/jvm"), ""),
                new SearchRoot(Path.of("/usr/java"), ""),
                new SearchRoot(Path.of("/opt/java"), ""),
                new SearchRoot(Path.of("/Library/Java/JavaVirtualMachines"), "Contents/Home"),
                new SearchRoot(home.resolve(".sdkman/candidates/java"), ""),
                new SearchRoot(home.resolve(".jdks"), ""));
        return new JdkLocator(
                System.getenv("JAVA_HOME"),
                Path.of(System.getProperty("java.home")),
                Runtime.version().feature(),
                roots);
    }

    /** A Java home of major version {@code minMajor} or newer, if this machine has one. */
    public static Optional<Path> find(int minMajor) {
        return system().search(minMajor).found();
    }

    /**
     * A Java home of major version {@code minMajor} or newer.
     *
     * @param why what it is needed for, quoted in the error (e.g. "to run the schema registry")
     * @throws IllegalStateException naming every place looked at and how to fix it, when none exists
     */
    public static Path require(int minMajor, String why) {
        return system().searchOrThrow(minMajor, why);
    }

    /** The {@code java} launcher of a Java home. */
    public static Path javaExecutable(Path javaHome) {
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        return javaHome.resolve("bin").resolve(windows ? "java.exe" : "java");
    }

    /**
     * The major version of a Java home, read from its {@code release} file ({@code JAVA_VERSION="21.0.2"}
     * gives 21, {@code "1.8.0_392"} gives 8).
     */
    public static Optional<Integer> majorVersion(Path javaHome) {
        return readVersion(javaHome).map(v -> v.get(0));
    }

    Path searchOrThrow(int minMajor, String why) {
        Search search = search(minMajor);
        return search.found().orElseThrow(() -> new IllegalStateException(search.failureMessage(why)));
    }

    Search search(int minMajor) {
        if (minMajor < 1) {
            throw new IllegalArgumentException("minMajor must be positive: " + minMajor);
        }
        List<String> lookedAt = new ArrayList<>();

        if (javaHomeEnv == null) {
            lookedAt.add("JAVA_HOME (not set)");
        } else {
            Path home = Path.of(javaHomeEnv);
            Optional<List<Integer>> version = inspect(home);
            lookedAt.add("JAVA_HOME=" + home + " (" + describe(home, version) + ")");
            if (version.isPresent() && version.get().get(0) >= minMajor) {
                log.debug("Using JAVA_HOME {} (Java {})", home, version.get().get(0));
                return new Search(minMajor, Optional.of(home), lookedAt);
            }
        }

        if (currentJavaHome != null) {
            lookedAt.add("the running JVM " + currentJavaHome + " (Java " + currentMajor + ")");
            if (currentMajor >= minMajor && Files.isExecutable(javaExecutable(currentJavaHome))) {
                log.debug("Using the running JVM {} (Java {})", currentJavaHome, currentMajor);
                return new Search(minMajor, Optional.of(currentJavaHome), lookedAt);
            }
        }

        Path best = null;
        List<Integer> bestVersion = null;
        Set<Path> seen = new LinkedHashSet<>();
        for (SearchRoot root : roots) {
            List<Path> homes = candidates(root);
            if (homes.isEmpty()) {
                lookedAt.add(root + " (nothing there)");
                continue;
            }
            for (Path home : homes) {
                if (!seen.add(realPath(home))) {
                    continue;
                }
                Optional<List<Integer>> version = inspect(home);
                lookedAt.add(home + " (" + describe(home, version) + ")");
                if (version.isPresent()
                        && version.get().get(0) >= minMajor
                        && (bestVersion == null || compare(version.get(), bestVersion) > 0)) {
                    best = home;
                    bestVersion = version.get();
                }
            }
        }
        if (best != null) {
            log.debug("Using {} (Java {})", best, bestVersion.get(0));
        }
        return new Search(minMajor, Optional.ofNullable(best), lookedAt);
    }

    /** The outcome of a search: the home found, if any, and every place looked at. */
    record Search(int minMajor, Optional<Path> found, List<String> lookedAt) {

        String failureMessage(String why) {
            StringBuilder message =
                    new StringBuilder().append("No Java ").append(minMajor).append(" or newer found");
            if (why != null && !why.isBlank()) {
                message.append(" (needed ").append(why.strip()).append(')');
            }
            message.append(". Looked at:");
            for (String place : lookedAt) {
                message.append("\n  - ").append(place);
            }
            message.append("\nInstall a JDK ")
                    .append(minMajor)
                    .append(" or newer (for example Eclipse Temurin) in one of these folders, or set JAVA_HOME to it.");
            return message.toString();
        }
    }

    private static List<Path> candidates(SearchRoot root) {
        if (!Files.isDirectory(root.folder())) {
            return List.of();
        }
        List<Path> homes = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(root.folder())) {
            for (Path child : children) {
                if (child.getFileName().toString().startsWith(".")) {
                    continue;
                }
                Path home = root.suffix().isEmpty() ? child : child.resolve(root.suffix());
                if (Files.isDirectory(home)) {
                    homes.add(home);
                }
            }
        } catch (IOException e) {
            log.debug("Cannot list {}: {}", root.folder(), e.toString());
        }
        homes.sort(null);
        return homes;
    }

    /** The version of a usable Java home: one with an executable launcher and a readable release file. */
    private static Optional<List<Integer>> inspect(Path home) {
        if (!Files.isExecutable(javaExecutable(home))) {
            return Optional.empty();
        }
        return readVersion(home);
    }

    private static String describe(Path home, Optional<List<Integer>> version) {
        if (version.isPresent()) {
            return "Java " + render(version.get());
        }
        if (!Files.isDirectory(home)) {
            return "no such folder";
        }
        if (!Files.isExecutable(javaExecutable(home))) {
            return "no executable bin/java";
        }
        return Files.isRegularFile(home.resolve("release")) ? "no JAVA_VERSION in its release file" : "no release file";
    }

    private static Optional<List<Integer>> readVersion(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher line = JAVA_VERSION_LINE.matcher(Files.readString(release, StandardCharsets.UTF_8));
            return line.find() ? parseVersion(line.group(1)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            log.debug("Cannot read {}: {}", release, e.toString());
            return Optional.empty();
        }
    }

    /** "21.0.2" → [21, 0, 2]; "1.8.0_392" → [8, 0, 392]; "26-ea" → [26]. */
    static Optional<List<Integer>> parseVersion(String text) {
        List<Integer> parts = new ArrayList<>();
        Matcher number = NUMBERS.matcher(text.split("[-+]", 2)[0]);
        while (number.find()) {
            try {
                parts.add(Integer.parseInt(number.group()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        if (parts.size() > 1 && parts.get(0) == 1) {
            parts.remove(0);
        }
        return parts.isEmpty() || parts.get(0) < 1 ? Optional.empty() : Optional.of(List.copyOf(parts));
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            int x = i < a.size() ? a.get(i) : 0;
            int y = i < b.size() ? b.get(i) : 0;
            if (x != y) {
                return Integer.compare(x, y);
            }
        }
        return 0;
    }

    private static String render(List<Integer> version) {
        StringBuilder text = new StringBuilder();
        for (int part : version) {
            if (!text.isEmpty()) {
                text.append('.');
            }
            text.append(part);
        }
        return text.toString();
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
