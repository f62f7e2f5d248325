package io.cxflow.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryDistributionTest {

    private static final String ARCHIVE =
            "io/apicurio/apicurio-registry-app/3.3.3/apicurio-registry-app-3.3.3-all.tar.gz";

    @TempDir
    Path dir;

    @Test
    void shouldPreferTheSystemPropertyOverTheEnvironmentVariable() throws IOException {
        Path fromProperty = fakeDistribution(dir.resolve("property"));
        Path fromEnv = fakeDistribution(dir.resolve("env"));

        RegistryDistribution distribution = RegistryDistribution.locate(new RegistryDistribution.Sources(
                fromProperty.toString(), fromEnv.toString(), dir.resolve("m2"), dir.resolve("cache")));

        assertThat(distribution.home()).isEqualTo(fromProperty);
        assertThat(distribution.runnerJar()).isEqualTo(fromProperty.resolve("quarkus-run.jar"));
    }

    @Test
    void shouldFallBackToTheEnvironmentVariableWhenThePropertyPointsAtNothing() throws IOException {
        Path fromEnv = fakeDistribution(dir.resolve("env"));

        RegistryDistribution distribution = RegistryDistribution.locate(new RegistryDistribution.Sources(
                dir.resolve("gone").toString(), fromEnv.toString(), dir.resolve("m2"), dir.resolve("cache")));

        assertThat(distribution.home()).isEqualTo(fromEnv);
    }

    @Test
    void shouldUnpackTheArchiveFromTheMavenRepositoryIntoTheCacheWhenNothingIsConfigured() throws IOException {
        // Given
        Path repo = dir.resolve("m2");
        writeArchive(
                repo.resolve(ARCHIVE),
                Map.of("quarkus-run.jar", "runner", "lib/main/a.jar", "a", "app/app.jar", "app"));
        Path cache = dir.resolve("cache/cxflow/apicurio-registry-3.3.3");

        // When
        RegistryDistribution distribution =
                RegistryDistribution.locate(new RegistryDistribution.Sources(null, null, repo, cache));

        // Then
        assertThat(distribution.home()).isEqualTo(cache);
        assertThat(cache.resolve("quarkus-run.jar")).hasContent("runner");
        assertThat(cache.resolve("lib/main/a.jar")).hasContent("a");
        try (Stream<Path> siblings = Files.list(cache.getParent())) {
            assertThat(siblings).containsExactly(cache); // no staging folder left behind
        }
    }

    @Test
    void shouldReuseAnEarlierUnpackWithoutTheArchive() throws IOException {
        Path cache = fakeDistribution(dir.resolve("cache/apicurio-registry-3.3.3"));

        RegistryDistribution distribution =
                RegistryDistribution.locate(new RegistryDistribution.Sources(null, "", dir.resolve("empty-m2"), cache));

        assertThat(distribution.home()).isEqualTo(cache);
    }

    @Test
    void shouldRefuseAnArchiveEntryThatEscapesTheTargetFolder() throws IOException {
        Path archive = dir.resolve("evil.tar.gz");
        writeArchive(archive, Map.of("quarkus-run.jar", "runner", "lib/x.jar", "x", "../escaped.txt", "boom"));
        Path target = dir.resolve("cache/apicurio-registry-3.3.3");

        assertThatThrownBy(() -> RegistryDistribution.unpack(archive, target))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("escapes the target folder");
        assertThat(dir.resolve("cache/escaped.txt")).doesNotExist();
        assertThat(target).doesNotExist();
        try (Stream<Path> leftovers = Files.list(dir.resolve("cache"))) {
            assertThat(leftovers).isEmpty();
        }
    }

    @Test
    void shouldNameEverythingTriedAndTheFixWhenNoDistributionIsFound() {
        Path repo = dir.resolve("m2");
        Path cache = dir.resolve("cache/apicurio-registry-3.3.3");

        assertThatThrownBy(() -> RegistryDistribution.locate(
                        new RegistryDistribution.Sources(dir.resolve("missing").toString(), null, repo, cache)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "system property cx.registry.home=" + dir.resolve("missing") + " (no such folder)")
                .hasMessageContaining("environment variable CX_REGISTRY_HOME (not set)")
                .hasMessageContaining(cache + " (not unpacked yet)")
                .hasMessageContaining(repo.resolve(ARCHIVE) + " (no such file)")
                .hasMessageContaining("mvn -pl platform package");
    }

    @Test
    void shouldMatchTheDistributionTheBuildUnpacked() {
        // the build passes the folder it unpacked apicurio-registry-app:${apicurio.registry.version} into
        String home = System.getProperty(RegistryDistribution.HOME_PROPERTY);
        assertThat(home)
                .as("the build sets -D%s", RegistryDistribution.HOME_PROPERTY)
                .isNotBlank();
        assertThat(Path.of(home).getFileName().toString())
                .isEqualTo("apicurio-registry-" + RegistryDistribution.VERSION);
    }

    private static Path fakeDistribution(Path home) throws IOException {
        Files.createDirectories(home.resolve("lib/main"));
        Files.writeString(home.resolve("quarkus-run.jar"), "runner");
        return home;
    }

    private static void writeArchive(Path archive, Map<String, String> files) throws IOException {
        Files.createDirectories(archive.getParent());
        try (OutputStream out = Files.newOutputStream(archive);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
    }
}
