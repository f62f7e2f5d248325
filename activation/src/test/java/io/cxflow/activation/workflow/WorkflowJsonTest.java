package io.cxflow.activation.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.avro.StepKind;
import io.cxflow.avro.TriggerKind;
import io.cxflow.avro.WorkflowDefinition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-22T18:03:11Z");

    private static JsonNode json(String text) throws Exception {
        return MAPPER.readTree(text);
    }

    private static List<FieldError> errorsOf(String id, String body) throws Exception {
        JsonNode node = json(body);
        try {
            WorkflowJson.parse(id, node, 1, NOW);
        } catch (WorkflowValidationException e) {
            return e.errors();
        }
        throw new AssertionError("expected a validation failure for " + body);
    }

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void shouldBuildDefinitionWhenBodyIsTheDocumentedExample() throws Exception {
        WorkflowDefinition w = WorkflowJson.parse("welcome", json("""
                        {"segment": "high-value", "on": "ENTERED",
                         "steps": [{"send": {"channel": "webhook", "url": "http://127.0.0.1:9999/hook"}}]}
                        """), 3, NOW);

        assertThat(w.getId()).isEqualTo("welcome");
        assertThat(w.getName()).isNull();
        assertThat(w.getTrigger().getKind()).isEqualTo(TriggerKind.ENTERED);
        assertThat(w.getTrigger().getSegmentId()).isEqualTo("high-value");
        assertThat(w.getSteps()).hasSize(1);
        assertThat(w.getSteps().getFirst().getId()).isEqualTo("step-1");
        assertThat(w.getSteps().getFirst().getKind()).isEqualTo(StepKind.SEND);
        assertThat(w.getSteps().getFirst().getChannel()).isEqualTo("webhook");
        assertThat(w.getSteps().getFirst().getSettings()).containsEntry("url", "http://127.0.0.1:9999/hook");
        assertThat(w.getVersion()).isEqualTo(3);
        assertThat(w.getUpdatedAt()).isEqualTo(NOW);
        assertThat(w.getEnabled()).isTrue();
        assertThat(w.getDeleted()).isFalse();
    }

    @Test
    void shouldKeepNameStepIdsAndEnabledWhenGiven() throws Exception {
        WorkflowDefinition w = WorkflowJson.parse("vip-exit", json("""
                        {"name": "VIP left", "segment": "vip", "on": "exited", "enabled": false,
                         "steps": [{"id": "crm", "send": {"channel": "webhook", "url": "https://crm.example.com/x"}},
                                   {"send": {"channel": "webhook", "url": "https://ops.example.com/y"}}]}
                        """), 1, NOW);

        assertThat(w.getName()).isEqualTo("VIP left");
        assertThat(w.getTrigger().getKind()).isEqualTo(TriggerKind.EXITED);
        assertThat(w.getEnabled()).isFalse();
        assertThat(w.getSteps()).extracting(s -> s.getId()).containsExactly("crm", "step-2");
    }

    @Test
    void shouldRenderTheSubmittedShapeBack() throws Exception {
        WorkflowDefinition w = WorkflowJson.parse("welcome", json("""
                        {"name": "Welcome", "segment": "high-value", "on": "ENTERED",
                         "steps": [{"id": "notify", "send": {"channel": "webhook", "url": "http://127.0.0.1:9999/hook"}}]}
                        """), 2, NOW);

        assertThat(json(MAPPER.writeValueAsString(WorkflowJson.render(w)))).isEqualTo(json("""
                                {"id": "welcome", "name": "Welcome", "segment": "high-value", "on": "ENTERED",
                                 "steps": [{"id": "notify", "send": {"channel": "webhook", "url": "http://127.0.0.1:9999/hook"}}],
                                 "enabled": true, "version": 2, "updatedAt": "2026-11-22T18:03:11Z"}
                                """));
    }

    @Test
    void shouldNameTheChannelFieldWhenChannelIsUnknown() throws Exception {
        List<FieldError> errors = errorsOf(
                "w", "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"pigeon\"}}]}");

        assertThat(fields(errors)).containsExactly("steps[0].send.channel");
        assertThat(errors.getFirst().message()).contains("unknown channel 'pigeon'");
    }

    @Test
    void shouldSayNotAvailableYetWhenChannelIsPlanned() throws Exception {
        List<FieldError> errors = errorsOf(
                "w", "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"email\"}}]}");

        assertThat(fields(errors)).containsExactly("steps[0].send.channel");
        assertThat(errors.getFirst().message()).contains("not available yet");
    }

    @Test
    void shouldRequireUrlWhenChannelIsWebhook() throws Exception {
        List<FieldError> errors = errorsOf(
                "w", "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"webhook\"}}]}");

        assertThat(fields(errors)).containsExactly("steps[0].send.url");
        assertThat(errors.getFirst().message()).contains("required");
    }

    @Test
    void shouldRefuseUrlWhenSchemeIsNotHttp() throws Exception {
        List<FieldError> errors = errorsOf(
                "w",
                "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"webhook\", \"url\": \"ftp://example.com/x\"}}]}");

        assertThat(fields(errors)).containsExactly("steps[0].send.url");
        assertThat(errors.getFirst().message()).contains("http or https");
    }

    @Test
    void shouldRefuseUrlWhenItCarriesCredentials() throws Exception {
        List<FieldError> errors = errorsOf(
                "w",
                "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"webhook\", \"url\": \"https://user:pw@example.com/x\"}}]}");

        assertThat(fields(errors)).containsExactly("steps[0].send.url");
    }

    @Test
    void shouldRefuseUrlWhenItIsRelative() throws Exception {
        List<FieldError> errors = errorsOf(
                "w",
                "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"webhook\", \"url\": \"/hook\"}}]}");

        assertThat(fields(errors)).containsExactly("steps[0].send.url");
    }

    @Test
    void shouldNameOnWhenTriggerIsUnknown() throws Exception {
        List<FieldError> errors = errorsOf(
                "w",
                "{\"segment\": \"s\", \"on\": \"JOINED\", \"steps\": [{\"send\": {\"channel\": \"webhook\", \"url\": \"http://h/x\"}}]}");

        assertThat(fields(errors)).containsExactly("on");
        assertThat(errors.getFirst().message()).contains("ENTERED or EXITED");
    }

    @Test
    void shouldRefuseWhenStepsAreEmpty() throws Exception {
        List<FieldError> errors = errorsOf("w", "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": []}");

        assertThat(fields(errors)).containsExactly("steps");
    }

    @Test
    void shouldNameIdWhenIdBreaksThePattern() throws Exception {
        List<FieldError> errors = errorsOf(
                "Bad:Id",
                "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"webhook\", \"url\": \"http://h/x\"}}]}");

        assertThat(fields(errors)).containsExactly("id");
    }

    @Test
    void shouldReportEveryProblemAtOnce() throws Exception {
        List<FieldError> errors = errorsOf("ok", """
                {"segment": "High Value", "colour": "red",
                 "steps": [{"wait": {"for": "1h"}}, {"id": "x", "send": {"channel": "webhook", "url": 7}}]}
                """);

        assertThat(fields(errors))
                .containsExactlyInAnyOrder("colour", "segment", "on", "steps[0].wait", "steps[1].send.url");
    }

    @Test
    void shouldRefuseDuplicateStepIds() throws Exception {
        List<FieldError> errors = errorsOf("w", """
                {"segment": "s", "on": "ENTERED",
                 "steps": [{"id": "a", "send": {"channel": "webhook", "url": "http://h/1"}},
                           {"id": "a", "send": {"channel": "webhook", "url": "http://h/2"}}]}
                """);

        assertThat(fields(errors)).containsExactly("steps[1].id");
    }

    @Test
    void shouldRefuseBodyWhenItIsNotAnObject() throws Exception {
        assertThatThrownBy(() -> WorkflowJson.parse("w", json("[1]"), 1, NOW))
                .isInstanceOf(WorkflowValidationException.class)
                .hasMessageContaining("body");
    }
}
