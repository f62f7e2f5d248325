package io.cxflow.platform.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigKeyTest {

    enum Mode {
        AT_LEAST_ONCE,
        EXACTLY_ONCE
    }

    private static final ConfigKey<Duration> TIMEOUT = ConfigKey.duration("test.timeout", Duration.ofSeconds(30), "t");
    private static final ConfigKey<Long> SIZE = ConfigKey.size("test.max-size", 1024L, "s");

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "30s, PT30S",
        "5m, PT5M",
        "2h, PT2H",
        "7d, PT168H",
        "0, PT0S",
        "PT1M30S, PT1M30S",
        "P2D, PT48H",
        "10 S, PT10S"
    })
    void shouldParseDurationsWithUnitsAndIso8601(String text, String expected) {
        assertThat(TIMEOUT.parse(text, "test")).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "5 minutes", "1w", "-5s", "PTX", "s"})
    void shouldRefuseDurationsWithoutAKnownUnitNamingTheKeyAndValue(String text) {
        assertThatThrownBy(() -> TIMEOUT.parse(text, "env CX_TEST_TIMEOUT"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.timeout")
                .hasMessageContaining("'" + text + "'")
                .hasMessageContaining("env CX_TEST_TIMEOUT")
                .extracting(e -> ((ConfigException) e).key())
                .isEqualTo("test.timeout");
    }

    @Test
    void shouldRefuseNegativeIsoDurations() {
        assertThatThrownBy(() -> TIMEOUT.parse("-PT5S", "file x"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("must be not negative");
    }

    @ParameterizedTest
    @CsvSource({
        "512, 512",
        "512B, 512",
        "32KB, 32768",
        "32kb, 32768",
        "5MB, 5242880",
        "5MiB, 5242880",
        "1GB, 1073741824"
    })
    void shouldParseSizesInPowersOf1024(String text, long bytes) {
        assertThat(SIZE.parse(text, "test")).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5XB", "1.5MB", "-1KB", "MB", "99999999999999999999"})
    void shouldRefuseMalformedSizes(String text) {
        assertThatThrownBy(() -> SIZE.parse(text, "test"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.max-size");
    }

    @Test
    void shouldFormatValuesAsTheyAreWritten() {
        assertThat(TIMEOUT.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(TIMEOUT.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(SIZE.format(32L * 1024)).isEqualTo("32KB");
        assertThat(SIZE.format(1000L)).isEqualTo("1000B");
    }

    @Test
    void shouldEnforceIntegerRangesAndPorts() {
        ConfigKey<Integer> threads = ConfigKey.integer("test.threads", 2, 1, 16, "t");
        ConfigKey<Integer> port = ConfigKey.port("test.port", 8080, "p");

        assertThat(threads.parse("16", "test")).isEqualTo(16);
        assertThat(port.parse("0", "test")).isZero();
        assertThatThrownBy(() -> threads.parse("17", "test")).hasMessageContaining("must be between 1 and 16");
        assertThatThrownBy(() -> threads.parse("two", "test")).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> port.parse("65536", "test")).hasMessageContaining("a port between 0 and 65535");
    }

    @Test
    void shouldParseBooleansStrictly() {
        ConfigKey<Boolean> flag = ConfigKey.bool("test.enabled", false, "f");

        assertThat(flag.parse("TRUE", "test")).isTrue();
        assertThat(flag.parse("false", "test")).isFalse();
        assertThatThrownBy(() -> flag.parse("yes", "test")).hasMessageContaining("must be true or false");
    }

    @Test
    void shouldParseEnumsIgnoringCaseAndDashes() {
        ConfigKey<Mode> mode = ConfigKey.enumeration("test.mode", Mode.class, Mode.AT_LEAST_ONCE, "m");

        assertThat(mode.parse("exactly-once", "test")).isEqualTo(Mode.EXACTLY_ONCE);
        assertThat(mode.parse("AT_LEAST_ONCE", "test")).isEqualTo(Mode.AT_LEAST_ONCE);
        assertThatThrownBy(() -> mode.parse("maybe", "test"))
                .hasMessageContaining("must be one of at_least_once, exactly_once");
    }

    @Test
    void shouldSplitListsOnCommasAndDropEmptyItems() {
        ConfigKey<List<String>> hosts = ConfigKey.list("test.hosts", List.of(), "h");

        assertThat(hosts.parse(" a, b ,,c ", "test")).containsExactly("a", "b", "c");
    }

    @Test
    void shouldExpandTheHomeFolderInPaths() {
        ConfigKey<Path> dir = ConfigKey.path("test.dir", Path.of("data"), "d");

        assertThat(dir.parse("~/cx", "test")).isEqualTo(Path.of(System.getProperty("user.home"), "cx"));
        assertThat(dir.parse("/var/lib/cx", "test")).isEqualTo(Path.of("/var/lib/cx"));
    }

    @Test
    void shouldApplyExtraRulesAndCheckTheDefaultAgainstThem() {
        ConfigKey<Duration> interval = TIMEOUT.atLeast(Duration.ofSeconds(1)).atMost(Duration.ofMinutes(5));

        assertThatThrownBy(() -> interval.parse("500ms", "test")).hasMessageContaining("must be at least 1s");
        assertThatThrownBy(() -> interval.parse("6m", "test")).hasMessageContaining("must be at most 5m");
        assertThatThrownBy(() -> TIMEOUT.atMost(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("default of test.timeout");
    }

    @Test
    void shouldNeverShowASecretValueInErrors() {
        ConfigKey<String> token =
                ConfigKey.secret("test.token", null, "t").check("at least 12 characters", t -> t.length() >= 12);

        assertThatThrownBy(() -> token.parse("hunter2", "env CX_TEST_TOKEN"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.token")
                .hasMessageContaining("****")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void shouldRefuseBadlyShapedKeyNames() {
        assertThatThrownBy(() -> ConfigKey.string("Collector.Port", null, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ConfigKey.string("collector..port", null, "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(ConfigKey.string("collector.max-batch-size", null, "x").envName())
                .isEqualTo("CX_COLLECTOR_MAX_BATCH_SIZE");
    }
}
