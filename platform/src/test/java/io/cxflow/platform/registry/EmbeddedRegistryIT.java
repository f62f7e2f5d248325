package io.cxflow.platform.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process lifecycle of the embedded registry: persistence across a restart, clean stop, and a clear
 * failure when it cannot start. The serde behaviour against a running registry is in RegistrySerdesIT.
 */
class EmbeddedRegistryIT {

    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Kept\",\"namespace\":\"it\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final String OTHER = "{\"type\":\"record\",\"name\":\"Other\",\"namespace\":\"it\",\"fields\":["
            + "{\"name\":\"x\",\"type\":\"long\"}]}";

    @TempDir
    Path dir;

    @Test
    void shouldKeepSchemasAndTheirIdsAcrossARestartWithADataDirectory() throws Exception {
        EmbeddedRegistry.Settings settings =
                EmbeddedRegistry.Settings.ephemeral(logFile("restart")).withDataDirectory(dir.resolve("registry-data"));

        // Given a schema registered before a restart
        int id;
        long firstPid;
        EmbeddedRegistry first = EmbeddedRegistry.start(settings);
        try {
            firstPid = first.pid();
            assertThat(first.url()).isEqualTo("http://127.0.0.1:" + first.port());
            assertThat(first.apiUrl()).isEqualTo(first.url() + "/apis/registry/v3");
            assertThat(first.ccompatUrl()).isEqualTo(first.url() + "/apis/ccompat/v7");
            assertThat(get(first.apiUrl() + "/system/info").statusCode()).isEqualTo(200);
            id = CompatibilityCheck.register(first.ccompatUrl(), "kept-value", SCHEMA);
        } finally {
            first.close();
        }

        // Then the process is gone, and closing again is harmless
        assertThat(first.isRunning()).isFalse();
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive)).isIn(Optional.empty(), Optional.of(false));
        first.close();

        // When it starts again on the same data
        try (EmbeddedRegistry second = EmbeddedRegistry.start(settings)) {
            // Then the id still means the same schema, and new schemas get new ids
            HttpResponse<String> byId = get(second.ccompatUrl() + "/schemas/ids/" + id);
            assertThat(byId.statusCode()).isEqualTo(200);
            assertThat(byId.body()).contains("Kept");
            assertThat(CompatibilityCheck.register(second.ccompatUrl(), "kept-value", SCHEMA))
                    .isEqualTo(id);
            assertThat(CompatibilityCheck.register(second.ccompatUrl(), "other-value", OTHER))
                    .isNotEqualTo(id);
        }
    }

    @Test
    void shouldFailWithTheLogTailWhenItsPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Path log = logFile("port-taken");
            EmbeddedRegistry.Settings settings =
                    new EmbeddedRegistry.Settings(log, "127.0.0.1", taken.getLocalPort(), 0, Duration.ofSeconds(90));

            assertThatThrownBy(() -> EmbeddedRegistry.start(settings))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code")
                    .hasMessageContaining(log.toString())
                    .hasMessageContaining(String.valueOf(taken.getLocalPort()));
        }
    }

    private Path logFile(String name) {
        return Path.of("target", "registry-it", "EmbeddedRegistryIT-" + name + ".log");
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
