package io.cxflow.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class CxCommandLineTest {

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = Cx.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"up", "demo", "topics", "sources", "import"})
    void shouldDescribeEveryCommandWithHelp(String command) {
        Run run = run(command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("Usage: cx " + command).contains("--help");
    }

    @Test
    void shouldListTheDataDirAndPortsOfUp() {
        Run run = run("up", "--help");

        assertThat(run.out())
                .contains("--data-dir")
                .contains("--kafka-port")
                .contains("--registry-port")
                .contains("--collector-port")
                .contains("--analytics-port")
                .contains("--activation-port");
    }

    @Test
    void shouldRefuseAnUnknownOptionWithAClearMessage() {
        Run run = run("up", "--no-such-flag");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown option: '--no-such-flag'");
    }

    @Test
    void shouldRefuseANonNumericPort() {
        Run run = run("up", "--kafka-port", "ninety");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--kafka-port").contains("ninety");
    }
}
