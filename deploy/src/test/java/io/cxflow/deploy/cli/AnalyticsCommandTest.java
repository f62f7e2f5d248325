package io.cxflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.reset.ApplicationProgress;
import org.junit.jupiter.api.Test;

class AnalyticsCommandTest {

    @Test
    void shouldListRebuildUnderAnalytics() {
        CxRun run = CxRun.of("analytics");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: cx analytics").contains("rebuild");
    }

    @Test
    void shouldDescribeRebuildWithEveryOptionAndACopyPasteExample() {
        CxRun run = CxRun.of("analytics", "rebuild", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: cx analytics rebuild")
                .contains("--bootstrap-servers")
                .contains("--registry-url")
                .contains("--prefix")
                .contains("--application-id")
                .contains("--state-dir")
                .contains("--config")
                .contains("Stop every analytics instance first")
                .contains("cx analytics rebuild --config /etc/cxflow/analytics.properties");
    }

    @Test
    void shouldRefuseAnUnknownOptionWithAClearMessage() {
        CxRun run = CxRun.of("analytics", "rebuild", "--no-such-flag");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--no-such-flag'");
    }

    @Test
    void shouldRefuseANonNumericPortOrTimeout() {
        CxRun port = CxRun.of("analytics", "rebuild", "--port", "eighty");
        CxRun timeout = CxRun.of("analytics", "rebuild", "--timeout", "soon");

        assertThat(port.exitCode()).isEqualTo(2);
        assertThat(port.err()).contains("--port").contains("eighty");
        assertThat(timeout.exitCode()).isEqualTo(2);
        assertThat(timeout.err()).contains("--timeout").contains("soon");
    }

    @Test
    void shouldRefuseAMissingConfigFileNamingIt() {
        CxRun run = CxRun.of("analytics", "rebuild", "--config", "/no/such/analytics.properties");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("config file not found").contains("/no/such/analytics.properties");
    }

    @Test
    void shouldRefuseAnApplicationIdThatIsNotOne() {
        CxRun run = CxRun.of("analytics", "rebuild", "--application-id", "../etc");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("analytics.application-id");
    }

    @Test
    void shouldRenderProgressWithRateAndEta() {
        String line = AnalyticsCommand.Rebuild.render(
                new ApplicationProgress.Progress(500, 1000, false, -1, false), 2_000_000_000L);

        assertThat(line)
                .contains("50%")
                .contains("500 / 1,000 events")
                .contains("250 events/s")
                .contains("ETA 0m02s");
    }

    @Test
    void shouldShowTheInternalBacklogOnceTheInputIsDone() {
        String line = AnalyticsCommand.Rebuild.render(
                new ApplicationProgress.Progress(1000, 1000, true, 42, false), 4_000_000_000L);

        assertThat(line).contains("100%").contains("draining internal topics: 42 left");
    }
}
