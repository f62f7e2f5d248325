package io.cxflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.analytics.segment.SegmentCondition;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class SegmentsCommandTest {

    private static CxRun run(String... args) {
        return CxRun.of(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"list", "get", "put", "delete", "preview", "members"})
    void shouldDescribeEverySubcommandWithExamples(String command) {
        CxRun run = run("segments", command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: cx segments " + command)
                .contains("--url")
                .contains("--token")
                .contains("Example");
    }

    @Test
    void shouldShowExampleConditionsThatCompile() {
        List<String> conditions = new ArrayList<>();
        for (String command : List.of("put", "preview")) {
            conditions.addAll(
                    exampleConditions(run("segments", command, "--help").out()));
        }
        conditions.addAll(exampleConditions(run("segments", "--help").out()));

        assertThat(conditions).hasSizeGreaterThanOrEqualTo(5);
        for (String condition : conditions) {
            assertThatCode(() -> SegmentCondition.compile(condition))
                    .as(condition)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void shouldRefuseAPutWithoutACondition() {
        CxRun run = run("segments", "put", "buyers", "--name", "Buyers");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("give the condition: --condition");
    }

    @Test
    void shouldRefuseAMissingOrMalformedFile(@TempDir Path dir) throws Exception {
        CxRun missing = run(
                "segments", "put", "buyers", "--file", dir.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file").contains("nope.json");

        Path list = Files.writeString(dir.resolve("list.json"), "[1, 2]");
        CxRun notObject = run("segments", "put", "buyers", "--file", list.toString());
        assertThat(notObject.exitCode()).isEqualTo(2);
        assertThat(notObject.err()).contains("must hold a JSON object");

        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"condition\": ");
        CxRun notJson = run("segments", "preview", "--file", broken.toString());
        assertThat(notJson.exitCode()).isEqualTo(2);
        assertThat(notJson.err()).contains("is not a JSON object");

        Path noCondition = Files.writeString(dir.resolve("named.json"), "{\"name\": \"Buyers\"}");
        CxRun incomplete = run("segments", "put", "buyers", "--file", noCondition.toString());
        assertThat(incomplete.exitCode()).isEqualTo(2);
        assertThat(incomplete.err()).contains("has no \"condition\"");
    }

    @Test
    void shouldRefuseBadOptionValues() {
        assertThat(run("segments", "members", "buyers", "--limit", "0").err()).contains("--limit must be 1 to 1000");
        assertThat(run("segments", "preview", "--condition", "true", "--timeout-ms", "0")
                        .err())
                .contains("--timeout-ms must be 1 to 30000");
        assertThat(run("segments", "list", "--url", "ftp://127.0.0.1:8081").err())
                .contains("--url must be http://host:port");
        CxRun missingId = run("segments", "get");
        assertThat(missingId.exitCode()).isEqualTo(2);
        assertThat(missingId.err()).contains("Missing required parameter: 'ID'");
    }

    @Test
    void shouldWantATokenForARemoteAnalytics() {
        SegmentsCommand.Connection connection = new SegmentsCommand.Connection();
        connection.url = "http://analytics.internal:8081";
        CommandLine cli = new CommandLine(new SegmentsCommand());

        assertThatThrownBy(() -> connection.token("analytics.internal", Map.of(), cli))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--token or CX_ADMIN_TOKEN");
        assertThat(connection.token("analytics.internal", Map.of("CX_ADMIN_TOKEN", "from-env"), cli))
                .isEqualTo("from-env");
        assertThat(connection.token("127.0.0.1", Map.of(), cli)).isEqualTo("dev-admin");
        connection.token = "given";
        assertThat(connection.token("analytics.internal", Map.of("CX_ADMIN_TOKEN", "from-env"), cli))
                .isEqualTo("given");
    }

    @Test
    void shouldSayWhenAnalyticsCannotBeReached() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        CxRun run = run("segments", "list", "--url", "http://127.0.0.1:" + closed);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot reach analytics at http://127.0.0.1:" + closed);
    }

    /** The conditions of the examples: after --condition in quotes, or in the example file's JSON. */
    private static List<String> exampleConditions(String help) {
        List<String> out = new ArrayList<>();
        Matcher inline = Pattern.compile("--condition '([^']*)'").matcher(help);
        while (inline.find()) {
            out.add(inline.group(1));
        }
        Matcher inFile = Pattern.compile("\"condition\": \"([^\"]*)\"").matcher(help);
        while (inFile.find()) {
            out.add(inFile.group(1));
        }
        return out;
    }
}
