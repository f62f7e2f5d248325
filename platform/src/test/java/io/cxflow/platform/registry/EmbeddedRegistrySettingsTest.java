package io.cxflow.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedRegistrySettingsTest {

    @TempDir
    Path dir;

    @Test
    void shouldDefaultToTheLocalPortsOnLoopbackWithInMemoryStorage() {
        EmbeddedRegistry.Settings settings = EmbeddedRegistry.Settings.defaults(dir.resolve("registry.log"));

        assertThat(settings.host()).isEqualTo("127.0.0.1");
        assertThat(settings.port()).isEqualTo(8085);
        assertThat(settings.managementPort()).isEqualTo(8086);
        assertThat(settings.dataDirectory()).isNull();
        assertThat(EmbeddedRegistry.Settings.ephemeral(dir.resolve("r.log")).port())
                .isZero();
    }

    @Test
    void shouldRefuseANonLoopbackHostBecauseTheRegistryHasNoAuthentication() {
        assertThatThrownBy(() -> new EmbeddedRegistry.Settings(
                        dir.resolve("r.log"), "0.0.0.0", 8085, 8086, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void shouldRefuseTheSamePortTwiceAndOutOfRangePorts() {
        Path log = dir.resolve("r.log");
        assertThatThrownBy(() -> new EmbeddedRegistry.Settings(log, "127.0.0.1", 8085, 8085, Duration.ofSeconds(1)))
                .hasMessageContaining("must differ");
        assertThatThrownBy(() -> new EmbeddedRegistry.Settings(log, "127.0.0.1", 70000, 8086, Duration.ofSeconds(1)))
                .hasMessageContaining("0..65535");
        assertThatThrownBy(() -> new EmbeddedRegistry.Settings(log, "127.0.0.1", 1, 2, Duration.ZERO))
                .hasMessageContaining("startTimeout");
    }

    @Test
    void shouldBindBothPortsToTheHostAndSetTheBackwardRule() {
        RegistryDistribution distribution = RegistryDistribution.locate();
        Path data = dir.resolve("data");

        List<String> command = EmbeddedRegistry.command(
                distribution,
                Path.of(System.getProperty("java.home")),
                EmbeddedRegistry.Settings.defaults(dir.resolve("r.log")).withDataDirectory(data),
                18085,
                18086);

        assertThat(command)
                .contains(
                        "-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=18085",
                        "-Dquarkus.management.host=127.0.0.1",
                        "-Dquarkus.management.port=18086",
                        "-Dapicurio.rules.global.compatibility=BACKWARD",
                        "-Dapicurio.datasource.url=jdbc:h2:file:"
                                + data.toAbsolutePath().resolve("registry"));
        assertThat(command.subList(command.size() - 2, command.size()))
                .containsExactly("-jar", distribution.runnerJar().toString());
    }

    @Test
    void shouldQuoteOnlyWhatTheCurrentRunWroteInTheLogTail() throws IOException {
        Path log = dir.resolve("r.log");
        Files.writeString(log, "old run line\n");
        long offset = Files.size(log);
        Files.writeString(log, "new run line 1\nnew run line 2\n", StandardOpenOption.APPEND);

        String tail = EmbeddedRegistry.logTail(log, offset);

        assertThat(tail).contains("new run line 1", "new run line 2").doesNotContain("old run line");
    }
}
