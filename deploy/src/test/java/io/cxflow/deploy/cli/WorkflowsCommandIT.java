package io.cxflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.activation.ActivationConfig;
import io.cxflow.activation.ActivationService;
import io.cxflow.deploy.local.LocalStack;
import io.cxflow.platform.json.Json;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cx workflows} against a running activation service on the embedded broker. */
@CxIntegrationTest
class WorkflowsCommandIT {

    private static final String TOKEN = "cli-it-token";

    private String url;

    @Test
    void shouldValidatePutListGetAndDeleteWorkflows(TestPlatform platform, @TempDir Path dir) throws Exception {
        ActivationConfig config = ActivationConfig.of(
                Map.of("activation.port", "0", "activation.group.id", platform.uniqueId("activation")));
        try (ActivationService activation =
                ActivationService.start(config, platform.createTopics().context(TOKEN))) {
            url = activation.baseUrl();
            LocalStack.awaitReady(List.of(url), Duration.ofSeconds(60));

            // a wrong token is a clear error
            CxRun wrongToken = cx("workflows", "list", "--url", url, "--token", "nope");
            assertThat(wrongToken.exitCode()).isEqualTo(1);
            assertThat(wrongToken.err()).contains("activation did not accept the admin token");

            // validate prints every offending field on its own line and stores nothing
            Path invalid = Files.writeString(dir.resolve("invalid.json"), """
                    {"segment": "High Value", "on": "ENTERED",
                     "steps": [{"send": {"channel": "webhook", "url": "ftp://x"}}, {"wait": "forever"}]}
                    """);
            CxRun refused = cx("workflows", "validate", "--file", invalid.toString());
            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err().lines())
                    .contains("cx: the workflow is not valid:")
                    .anyMatch(line -> line.startsWith("  segment: must be a segment id"))
                    .anyMatch(line -> line.startsWith("  steps[0].send.url: "))
                    .anyMatch(line -> line.startsWith("  steps[1].wait: must be a duration"));
            Path welcome = Files.writeString(dir.resolve("welcome.json"), """
                    {"name": "Welcome", "segment": "high-value", "on": "ENTERED",
                     "steps": [{"id": "hook", "send": {"channel": "webhook", "url": "http://127.0.0.1:9/hook"}},
                               {"wait": "2h"}]}
                    """);
            CxRun valid = cx("workflows", "validate", "welcome", "--file", welcome.toString());
            assertThat(valid.exitCode()).as(valid.err()).isZero();
            assertThat(valid.out())
                    .contains("valid: workflow welcome: segment high-value ENTERED, 2 steps: webhook, wait PT2H")
                    .contains("nothing stored");
            assertThat(cx("workflows", "list").out()).contains("0 workflows");

            // put from a file, then again from stdin: versions 1 and 2
            CxRun created = cx("workflows", "put", "welcome", "--file", welcome.toString());
            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(created.out()).contains("created workflow welcome (version 1): segment high-value ENTERED");
            CxRun saved = withStdin(
                    "{\"segment\": \"high-value\", \"on\": \"EXITED\", \"enabled\": false, \"steps\": [{\"id\": \"hook\","
                            + " \"send\": {\"channel\": \"webhook\", \"url\": \"http://127.0.0.1:9/bye\"}}]}",
                    () -> cx("workflows", "put", "welcome"));
            assertThat(saved.exitCode()).as(saved.err()).isZero();
            assertThat(saved.out()).contains("saved workflow welcome (version 2): segment high-value EXITED");

            // list and get show the stored version; the output of get can be put back as it is
            CxRun list = cx("workflows", "list");
            assertThat(list.out())
                    .containsPattern("welcome\\s+-\\s+segment high-value EXITED\\s+no\\s+2\\s+-\\s+1 step: webhook");
            assertThat(list.out()).contains("1 workflow");
            CxRun get = cx("workflows", "get", "welcome");
            JsonNode document = Json.mapper().readTree(get.out());
            assertThat(document.path("version").asLong()).isEqualTo(2);
            assertThat(document.path("steps").get(0).path("send").path("url").asText())
                    .isEqualTo("http://127.0.0.1:9/bye");
            Path roundTrip = Files.writeString(dir.resolve("round-trip.json"), get.out());
            CxRun putBack = cx("workflows", "put", "welcome", "--file", roundTrip.toString());
            assertThat(putBack.exitCode()).as(putBack.err()).isZero();
            assertThat(putBack.out()).contains("saved workflow welcome (version 3)");
            CxRun otherId = cx("workflows", "put", "other", "--file", roundTrip.toString());
            assertThat(otherId.exitCode()).isEqualTo(2);
            assertThat(otherId.err()).contains("the document's id 'welcome' is not the workflow id 'other'");

            // delete, then get and delete are clear not-founds
            assertThat(cx("workflows", "delete", "welcome").out()).contains("deleted workflow welcome");
            CxRun gone = cx("workflows", "get", "welcome");
            assertThat(gone.exitCode()).isEqualTo(1);
            assertThat(gone.err()).contains("no workflow with id 'welcome'").contains("404");
            assertThat(cx("workflows", "delete", "welcome").err()).contains("no workflow with id 'welcome'");
        }
    }

    private CxRun cx(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--url")) {
            all.addAll(List.of("--url", url, "--token", TOKEN));
        }
        return CxRun.of(all.toArray(String[]::new));
    }

    private static CxRun withStdin(String text, java.util.function.Supplier<CxRun> run) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        try {
            return run.get();
        } finally {
            System.setIn(original);
        }
    }
}
