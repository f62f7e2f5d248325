package io.cxflow.platform.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReportTest {

    private static final ConfigKey<Integer> PORT = ConfigKey.port("collector.port", 8080, "HTTP port");
    private static final ConfigKey<String> TOKEN = ConfigKey.secret("collector.admin-token", null, "admin token");
    private static final ConfigKey<String> SMTP_PASSWORD = ConfigKey.secret("collector.smtp-password", null, "smtp");
    private static final ConfigKey<Duration> TIMEOUT =
            ConfigKey.duration("collector.delivery-timeout", Duration.ofSeconds(30), "publish bound");

    @Test
    void shouldShowEffectiveValuesWithOriginsAndMaskSecrets() {
        ConfigSource source = ConfigSource.load(
                null, Map.of("CX_COLLECTOR_ADMIN_TOKEN", "s3cr3t-token"), Map.of("collector.delivery-timeout", "PT2M"));

        ConfigReport report = ConfigReport.of(source, List.of(PORT, TOKEN, SMTP_PASSWORD, TIMEOUT));

        assertThat(report.rows())
                .containsExactly(
                        new ConfigReport.Row("collector.port", "8080", "default"),
                        new ConfigReport.Row("collector.admin-token", "****", "env CX_COLLECTOR_ADMIN_TOKEN"),
                        new ConfigReport.Row("collector.smtp-password", "(not set)", "default"),
                        new ConfigReport.Row("collector.delivery-timeout", "2m", "override"));
        assertThat(report.render())
                .contains("collector.admin-token")
                .contains("****")
                .doesNotContain("s3cr3t-token")
                .contains("collector.delivery-timeout = 2m");
    }

    @Test
    void shouldReportInvalidValuesInsteadOfThrowingAndStillMaskSecrets() {
        ConfigKey<String> longToken = TOKEN.check("at least 20 characters", t -> t.length() >= 20);
        ConfigSource source = ConfigSource.of(Map.of("collector.port", "http", "collector.admin-token", "short"));

        String rendered = source.describe(List.of(PORT, longToken));

        assertThat(rendered)
                .contains("http (invalid)")
                .contains("**** (invalid)")
                .doesNotContain("short");
    }
}
