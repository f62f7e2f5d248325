package io.cxflow.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {

    private static final ConfigKey<Integer> PORT = ConfigKey.port("collector.port", 8080, "HTTP port");
    private static final ConfigKey<String> HOST = ConfigKey.string("collector.host", "127.0.0.1", "bind address");
    private static final ConfigKey<Long> MAX_BATCH = ConfigKey.size("collector.max-batch-size", 500L * 1024, "batch");
    private static final ConfigKey<String> ADMIN_TOKEN = ConfigKey.secret(
                    "collector.admin-token", null, "admin bearer token")
            .required();
    private static final ConfigKey<Duration> TIMEOUT =
            ConfigKey.duration("collector.delivery-timeout", Duration.ofSeconds(30), "publish bound");

    @TempDir
    Path dir;

    @Test
    void shouldApplyProfileDefaultsOnlyWhereNoLayerSetsTheKey() throws IOException {
        Path file = write("collector.host=10.0.0.1\n");
        Map<String, String> env = Map.of("CX_COLLECTOR_DELIVERY_TIMEOUT", "5s");

        ConfigSource source = ConfigSource.load(file, env, Map.of())
                .withDefaults(
                        Map.of(
                                "collector.host", "192.168.0.1",
                                "collector.port", "9000",
                                "collector.delivery-timeout", "1m"),
                        "local defaults");

        assertThat(source.get(HOST)).as("the file beats the defaults").isEqualTo("10.0.0.1");
        assertThat(source.get(TIMEOUT)).as("the environment beats the defaults").isEqualTo(Duration.ofSeconds(5));
        assertThat(source.get(PORT))
                .as("the default applies where nothing else is set")
                .isEqualTo(9000);
        assertThat(source.origin("collector.port")).isEqualTo("local defaults");
    }

    @Test
    void shouldLetOverridesBeatEnvironmentBeatFileBeatDefault() throws IOException {
        Path file = write("collector.port=7000\ncollector.host=10.0.0.1\ncollector.max-batch-size=1MB\n");
        Map<String, String> env = Map.of("CX_COLLECTOR_PORT", "7100", "CX_COLLECTOR_HOST", "10.0.0.2", "PATH", "/bin");

        ConfigSource source = ConfigSource.load(file, env, Map.of("collector.port", "7200"));

        assertThat(source.get(PORT)).isEqualTo(7200);
        assertThat(source.origin("collector.port")).isEqualTo("override");
        assertThat(source.get(HOST)).isEqualTo("10.0.0.2");
        assertThat(source.origin("collector.host")).isEqualTo("env CX_COLLECTOR_HOST");
        assertThat(source.get(MAX_BATCH)).isEqualTo(1024L * 1024);
        assertThat(source.origin("collector.max-batch-size")).isEqualTo("file " + file);
        assertThat(source.get(TIMEOUT)).isEqualTo(Duration.ofSeconds(30));
        assertThat(source.origin("collector.delivery-timeout")).isEqualTo("default");
    }

    @Test
    void shouldMapDotsAndDashesToUnderscoresInEnvironmentNames() {
        ConfigSource source = ConfigSource.load(null, Map.of("CX_COLLECTOR_MAX_BATCH_SIZE", "64KB"), Map.of());

        assertThat(source.get(MAX_BATCH)).isEqualTo(64L * 1024);
        assertThat(ConfigSource.envName("collector.max-batch-size")).isEqualTo("CX_COLLECTOR_MAX_BATCH_SIZE");
    }

    @Test
    void shouldTreatBlankValuesAsUnsetSoTheLowerLayerApplies() throws IOException {
        Path file = write("collector.port=7000\n");

        ConfigSource source = ConfigSource.load(file, Map.of("CX_COLLECTOR_PORT", "  "), Map.of());

        assertThat(source.get(PORT)).isEqualTo(7000);
    }

    @Test
    void shouldNameTheKeyTheOriginAndTheValueWhenParsingFails() {
        ConfigSource source = ConfigSource.load(null, Map.of("CX_COLLECTOR_PORT", "80a"), Map.of());

        assertThatThrownBy(() -> source.get(PORT))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid value '80a' for collector.port (env CX_COLLECTOR_PORT): not a whole number");
    }

    @Test
    void shouldFailForAMissingRequiredKeyNamingItsEnvironmentVariable() {
        ConfigSource source = ConfigSource.of(Map.of());

        assertThatThrownBy(() -> source.get(ADMIN_TOKEN))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("collector.admin-token")
                .hasMessageContaining("CX_COLLECTOR_ADMIN_TOKEN");
        assertThat(source.find(PORT)).contains(8080);
    }

    @Test
    void shouldReturnEmptyForAnUnsetOptionalKeyWithoutDefault() {
        ConfigKey<String> proxy = ConfigKey.string("collector.proxy", null, "optional proxy");

        assertThat(ConfigSource.of(Map.of()).find(proxy)).isEmpty();
        assertThatThrownBy(() -> ConfigSource.of(Map.of()).get(proxy))
                .hasMessageContaining("missing value for collector.proxy");
    }

    @Test
    void shouldCollectEveryProblemWhenValidatingAllKeys() {
        ConfigSource source = ConfigSource.of(Map.of("collector.port", "99999", "collector.delivery-timeout", "soon"));

        assertThatThrownBy(() -> source.validate(List.of(PORT, HOST, ADMIN_TOKEN, TIMEOUT)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("3 configuration problems")
                .hasMessageContaining("collector.port")
                .hasMessageContaining("collector.admin-token")
                .hasMessageContaining("collector.delivery-timeout")
                .satisfies(e -> assertThat(((ConfigException) e).keys())
                        .containsExactly("collector.port", "collector.admin-token", "collector.delivery-timeout"));
    }

    @Test
    void shouldFailWhenANamedFileDoesNotExist() {
        assertThatThrownBy(() -> ConfigSource.load(dir.resolve("missing.properties"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("config file not found")
                .hasMessageContaining("missing.properties");
    }

    @Test
    void shouldListKeysAndChildNamesUnderAPrefixFromEveryLayer() throws IOException {
        Path file = write("collector.sources.web.write-key=dev-web\n"
                + "collector.sources.web.channel=web\n"
                + "collector.sources.call-center.channel=call_center\n"
                + "collector.port=8080\n");
        Map<String, String> env =
                Map.of("CX_COLLECTOR_SOURCES_WEB_WRITE_KEY", "from-env", "CX_COLLECTOR_SOURCES_POS_CHANNEL", "pos");

        ConfigSource source = ConfigSource.load(file, env, Map.of());

        assertThat(source.keysUnder("collector.sources."))
                .containsExactly(
                        "collector.sources.call-center.channel",
                        "collector.sources.pos.channel",
                        "collector.sources.web.channel",
                        "collector.sources.web.write-key");
        assertThat(source.childNames("collector.sources.")).containsExactly("call-center", "pos", "web");
    }

    @Test
    void shouldReadRelativeKeysThroughASubset() throws IOException {
        Path file =
                write("collector.sources.call-center.write-key=file-key\ncollector.sources.call-center.channel=x\n");
        ConfigKey<String> writeKey =
                ConfigKey.secret("write-key", null, "write key").required();
        ConfigKey<Integer> weight = ConfigKey.integer("weight", 1, 1, 10, "weight");

        ConfigSource source =
                ConfigSource.load(file, Map.of("CX_COLLECTOR_SOURCES_CALL_CENTER_WRITE_KEY", "env-key"), Map.of());
        ConfigSource callCenter = source.subset("collector.sources.call-center.");

        assertThat(callCenter.get(writeKey)).isEqualTo("env-key");
        assertThat(callCenter.origin("write-key")).isEqualTo("env CX_COLLECTOR_SOURCES_CALL_CENTER_WRITE_KEY");
        assertThat(callCenter.get(weight)).isEqualTo(1);
        assertThatThrownBy(
                        () -> callCenter.withOverrides(Map.of("weight", "11")).get(weight))
                .hasMessageContaining("collector.sources.call-center.weight");
    }

    @Test
    void shouldReportKeysNoDeclarationKnows() {
        ConfigSource source = ConfigSource.load(
                null,
                Map.of("CX_COLLECTOR_MAX_BATCH_SIZE", "1MB", "CX_COLLECTOR_PROT", "1"),
                Map.of("collector.port", "1", "collector.hots", "x", "analytics.port", "2"));

        assertThat(source.unknownKeys(List.of(PORT, HOST, MAX_BATCH), "collector."))
                .containsExactlyInAnyOrder("collector.hots", "collector.prot");
    }

    private Path write(String content) throws IOException {
        Path file = dir.resolve("cx.properties");
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
