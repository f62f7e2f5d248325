package io.cxflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.workflow.WorkflowJson;
import io.cxflow.platform.json.Json;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class WorkflowsCommandTest {

    @ParameterizedTest
    @ValueSource(strings = {"list", "get", "put", "validate", "delete"})
    void shouldDescribeEverySubcommandWithExamples(String command) {
        CxRun run = CxRun.of("workflows", command, "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("Usage: cx workflows " + command)
                .contains("--url")
                .contains("--token")
                .contains("Example");
    }

    @Test
    void shouldListTheWorkflowsCommandInTheTopLevelHelp() {
        assertThat(CxRun.of("--help").out()).contains("workflows");
    }

    @Test
    void shouldShowAnExampleWorkflowThatActivationAccepts() throws Exception {
        String help = CxRun.of("workflows", "--help").out();
        int start = help.indexOf("welcome.json:");
        String example = help.substring(start + "welcome.json:".length(), help.indexOf("An event trigger"))
                .strip();

        JsonNode body = Json.mapper().readTree(example);

        assertThat(WorkflowJson.parse("welcome", body, 1, Instant.EPOCH).getSteps())
                .hasSize(1);
    }

    @Test
    void shouldPrintEveryFieldErrorOnItsOwnLine() throws Exception {
        JsonNode answer = Json.mapper().readTree("""
                {"error": "invalid_workflow", "message": "2 problems",
                 "errors": [{"field": "segment", "message": "is required"},
                            {"field": "steps[0].send.url", "message": "must be an http(s) URL"}]}
                """);

        AdminClient.CliFailure failure = WorkflowsClient.explain(400, "invalid_workflow", "2 problems", answer);

        assertThat(failure.getMessage())
                .isEqualTo("the workflow is not valid:\n  segment: is required\n  steps[0].send.url: must be an"
                        + " http(s) URL");
    }

    @Test
    void shouldDropTheReadOnlyFieldsOfAStoredDocument(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("w.json"), """
                {"id": "welcome", "segment": "s", "on": "ENTERED", "steps": [], "version": 3,
                 "updatedAt": "2026-11-20T10:00:00Z"}
                """);
        WorkflowsCommand.Document document = new WorkflowsCommand.Document();
        document.file = file;
        CommandLine cli = new CommandLine(new WorkflowsCommand());

        ObjectNode body = document.body("welcome", cli, System.in, true);

        assertThat(body.has("id")).isFalse();
        assertThat(body.has("version")).isFalse();
        assertThat(body.has("updatedAt")).isFalse();
        assertThat(body.path("segment").asText()).isEqualTo("s");
    }

    @Test
    void shouldReadStdinWithoutAFileOnlyWhenItIsNotATerminal() {
        WorkflowsCommand.Document document = new WorkflowsCommand.Document();
        CommandLine cli = new CommandLine(new WorkflowsCommand());
        ByteArrayInputStream stdin =
                new ByteArrayInputStream("{\"event\": \"Order Completed\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(document.body("x", cli, stdin, false).path("event").asText()).isEqualTo("Order Completed");
        assertThatThrownBy(() -> document.body("x", cli, stdin, true))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("give the workflow: --file FILE, or pipe its JSON on stdin");
    }

    @Test
    void shouldRefuseAMissingOrMalformedFile(@TempDir Path dir) throws Exception {
        CxRun missing = CxRun.of(
                "workflows", "put", "w", "--file", dir.resolve("nope.json").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file").contains("nope.json");

        Path list = Files.writeString(dir.resolve("list.json"), "[1]");
        CxRun notObject = CxRun.of("workflows", "validate", "--file", list.toString());
        assertThat(notObject.exitCode()).isEqualTo(2);
        assertThat(notObject.err()).contains("must hold a JSON object");

        CxRun badUrl = CxRun.of("workflows", "list", "--url", "ftp://127.0.0.1:8082");
        assertThat(badUrl.err()).contains("--url must be http://host:port");
    }

    @Test
    void shouldSayWhenActivationCannotBeReached() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        CxRun run = CxRun.of("workflows", "list", "--url", "http://127.0.0.1:" + closed);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("cannot reach activation at http://127.0.0.1:" + closed);
    }
}
