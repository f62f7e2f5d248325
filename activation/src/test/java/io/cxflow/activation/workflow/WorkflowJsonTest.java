package io.cxflow.activation.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.template.MessageTemplates;
import io.cxflow.avro.StepKind;
import io.cxflow.avro.TriggerKind;
import io.cxflow.avro.WorkflowDefinition;
import io.cxflow.avro.WorkflowStep;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private static List<FieldError> errorsOn(Set<String> configured, String body) throws Exception {
        try {
            WorkflowJson.parse("w", json(body), 1, NOW, configured, new MessageTemplates());
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
    void shouldNameTheChannelAndTheKeyWhenChannelIsNotConfigured() throws Exception {
        List<FieldError> errors = errorsOn(
                Set.of("webhook"),
                "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"id\": \"mail\", \"send\": {\"channel\": \"email\", \"subject\": \"Hi\", \"text\": \"x\"}}]}");

        assertThat(fields(errors)).containsExactly("steps[0].send.channel");
        assertThat(errors.getFirst().message()).contains("not configured").contains("activation.email.smtp.host");
    }

    @Test
    void shouldRequireSubjectAndABodyWhenChannelIsEmail() throws Exception {
        List<FieldError> errors = errorsOf(
                "w", "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"email\"}}]}");

        assertThat(fields(errors)).containsExactlyInAnyOrder("steps[0].send.subject", "steps[0].send.text");
    }

    @Test
    void shouldNameTheSettingWhenItDoesNotBelongToTheChannel() throws Exception {
        List<FieldError> errors = errorsOf(
                "w",
                "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"sms\", \"text\": \"hi\", \"url\": \"http://h/x\"}}]}");

        assertThat(fields(errors)).containsExactly("steps[0].send.url");
        assertThat(errors.getFirst().message()).contains("not a setting of channel sms");
    }

    @Test
    void shouldNameTheFieldWhenATemplateDoesNotCompile() throws Exception {
        List<FieldError> errors = errorsOf(
                "w",
                "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"push\", \"text\": \"Hi {{#customer.email}} unclosed\"}}]}");

        assertThat(fields(errors)).containsExactly("steps[0].send.text");
        assertThat(errors.getFirst().message()).contains("not a valid template");
    }

    @Test
    void shouldCheckAudienceAndOperationWhenChannelIsAds() throws Exception {
        List<FieldError> errors = errorsOf(
                "w",
                "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"ads\", \"audience\": \"High Value\", \"operation\": \"replace\"}}]}");

        assertThat(fields(errors)).containsExactlyInAnyOrder("steps[0].send.audience", "steps[0].send.operation");
    }

    @Test
    void shouldCheckPriorityAndDueInWhenChannelIsAgentTask() throws Exception {
        List<FieldError> errors = errorsOf(
                "w",
                "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"send\": {\"channel\": \"agent_task\", \"priority\": \"asap\", \"due-in\": \"4 hours\"}}]}");

        assertThat(fields(errors)).containsExactlyInAnyOrder("steps[0].send.priority", "steps[0].send.due-in");
    }

    @Test
    void shouldKeepDataAsSettingsAndRenderThemBackAsAnObject() throws Exception {
        WorkflowDefinition w = WorkflowJson.parse("w", json("""
                {"segment": "s", "on": "ENTERED",
                 "steps": [{"id": "p", "send": {"channel": "push", "title": "Hi", "text": "Cart", "data": {"deepLink": "shop://cart"}}}]}
                """), 1, NOW);

        assertThat(w.getSteps().getFirst().getSettings())
                .containsEntry("data.deepLink", "shop://cart")
                .containsEntry("title", "Hi");
        assertThat(WorkflowJson.render(w)
                        .get("steps")
                        .get(0)
                        .get("send")
                        .get("data")
                        .get("deepLink")
                        .asText())
                .isEqualTo("shop://cart");
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
                 "steps": [{"if": {"condition": "true"}}, {"id": "x", "send": {"channel": "webhook", "url": 7}}]}
                """);

        assertThat(fields(errors))
                .containsExactlyInAnyOrder("colour", "segment", "on", "steps[0].if", "steps[1].send.url");
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

    @Test
    void shouldStoreWaitStepsAndRenderThemAsIsoDurations() throws Exception {
        WorkflowDefinition w = WorkflowJson.parse("w", json("""
                {"segment": "s", "on": "ENTERED",
                 "steps": [{"id": "pause", "wait": "2h"}, {"id": "later", "wait": {"for": "PT30M"}},
                           {"id": "hook", "send": {"channel": "webhook", "url": "http://h/x"}}]}
                """), 1, NOW);

        assertThat(w.getSteps())
                .extracting(WorkflowStep::getKind, WorkflowStep::getWaitMillis)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(StepKind.WAIT, 7_200_000L),
                        org.assertj.core.groups.Tuple.tuple(StepKind.WAIT, 1_800_000L),
                        org.assertj.core.groups.Tuple.tuple(StepKind.SEND, null));
        assertThat(WorkflowJson.render(w).get("steps").get(0).get("wait").asText())
                .isEqualTo("PT2H");
    }

    @Test
    void shouldRefuseBadWaitsAndWorkflowsWithoutASend() throws Exception {
        assertThat(fields(errorsOf("w", """
                {"segment": "s", "on": "ENTERED", "steps": [{"wait": "soon"}, {"wait": "0s"}, {"wait": {"for": 3}},
                 {"send": {"channel": "webhook", "url": "http://h/x"}}]}
                """))).containsExactly("steps[0].wait", "steps[1].wait", "steps[2].wait.for");
        assertThat(fields(errorsOf("w", "{\"segment\": \"s\", \"on\": \"ENTERED\", \"steps\": [{\"wait\": \"1h\"}]}")))
                .containsExactly("steps");
    }

    @Test
    void shouldStoreIfStepsWithBothBranchesAndRenderThemBack() throws Exception {
        WorkflowDefinition w = WorkflowJson.parse("w", json("""
                {"segment": "s", "on": "ENTERED", "steps": [
                  {"id": "reach", "if": {"condition": "has(profile.consent.email) && profile.consent.email",
                    "then": [{"id": "mail", "send": {"channel": "email", "subject": "Hi", "text": "x"}}],
                    "else": [{"send": {"channel": "webhook", "url": "http://h/x"}}]}}]}
                """), 1, NOW);

        WorkflowStep branch = w.getSteps().getFirst();
        assertThat(branch.getKind()).isEqualTo(StepKind.IF);
        assertThat(branch.getThen()).extracting(WorkflowStep::getId).containsExactly("mail");
        assertThat(branch.getOtherwise()).extracting(WorkflowStep::getId).containsExactly("reach-else-1");
        JsonNode rendered = WorkflowJson.render(w).get("steps").get(0).get("if");
        assertThat(rendered.get("condition").asText()).contains("profile.consent.email");
        assertThat(rendered.get("else").get(0).get("send").get("url").asText()).isEqualTo("http://h/x");
    }

    @Test
    void shouldNameTheConditionAndNestedFieldsWhenAnIfIsInvalid() throws Exception {
        List<FieldError> errors = errorsOf("w", """
                {"segment": "s", "on": "ENTERED", "steps": [
                  {"id": "a", "send": {"channel": "webhook", "url": "http://h/x"}},
                  {"if": {"condition": "profile.consent.email ==",
                    "then": [{"id": "a", "send": {"channel": "webhook", "url": "http://h/y"}}],
                    "else": [{"send": {"channel": "webhook", "url": "ftp://h"}}]}}]}
                """);

        assertThat(fields(errors))
                .containsExactlyInAnyOrder(
                        "steps[1].if.condition", "steps[1].if.then[0].id", "steps[1].if.else[0].send.url");
    }

    @Test
    void shouldStoreAnEventTriggerAndRenderItBack() throws Exception {
        WorkflowDefinition w = WorkflowJson.parse("thanks", json("""
                {"event": "Order Completed",
                 "steps": [{"id": "hook", "send": {"channel": "webhook", "url": "http://h/x"}}]}
                """), 1, NOW);

        assertThat(w.getTrigger().getKind()).isEqualTo(TriggerKind.EVENT);
        assertThat(w.getTrigger().getEvent()).isEqualTo("Order Completed");
        assertThat(w.getTrigger().getSegmentId()).isNull();
        JsonNode rendered = WorkflowJson.render(w);
        assertThat(rendered.path("event").asText()).isEqualTo("Order Completed");
        assertThat(rendered.has("segment")).isFalse();
        assertThat(rendered.has("on")).isFalse();
        assertThat(WorkflowJson.parse(
                                "thanks",
                                json("{\"event\": \"Order Completed\", \"on\": \"EVENT\", \"steps\":"
                                        + " [{\"send\": {\"channel\": \"webhook\", \"url\": \"http://h/x\"}}]}"),
                                1,
                                NOW)
                        .getTrigger()
                        .getKind())
                .isEqualTo(TriggerKind.EVENT);
    }

    @Test
    void shouldRefuseAnEventTriggerMixedWithASegmentOrMalformed() throws Exception {
        String send = "\"steps\": [{\"send\": {\"channel\": \"webhook\", \"url\": \"http://h/x\"}}]";
        List<FieldError> mixed =
                errorsOf("w", "{\"event\": \"Signed Up\", \"segment\": \"s\", \"on\": \"ENTERED\", " + send + "}");
        assertThat(fields(mixed)).containsExactly("segment", "on");
        assertThat(mixed.getFirst().message()).contains("one trigger");

        assertThat(fields(errorsOf("w", "{\"event\": \" Signed Up\", " + send + "}")))
                .containsExactly("event");
        assertThat(fields(errorsOf("w", "{\"event\": \"" + "x".repeat(201) + "\", " + send + "}")))
                .containsExactly("event");
        assertThat(fields(errorsOf("w", "{\"event\": 3, " + send + "}"))).containsExactly("event");
        List<FieldError> onEvent = errorsOf("w", "{\"segment\": \"s\", \"on\": \"EVENT\", " + send + "}");
        assertThat(onEvent.getFirst().message()).contains("{\"event\": \"Order Completed\"}");
    }

    @Test
    void shouldRefuseAnEventTriggerWhereEventTriggersAreOffNamingTheKey() throws Exception {
        WorkflowRules noProfiles = new WorkflowRules(Channels.ALL, new MessageTemplates(), false);

        assertThatThrownBy(() -> WorkflowJson.parse(
                        "w",
                        json("{\"event\": \"Signed Up\", \"steps\": [{\"send\": {\"channel\": \"webhook\","
                                + " \"url\": \"http://h/x\"}}]}"),
                        1,
                        NOW,
                        noProfiles))
                .isInstanceOfSatisfying(
                        WorkflowValidationException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(error -> {
                            assertThat(error.field()).isEqualTo("event");
                            assertThat(error.message()).contains("activation.profiles.url");
                        }));
    }

    @Test
    void shouldStoreLimitsNormalisedAndRenderThemBack() throws Exception {
        WorkflowDefinition w = WorkflowJson.parse("w", json("""
                {"segment": "s", "on": "ENTERED", "limits": {"total": "10000 / 1D", "perCustomer": "1/7d"},
                 "steps": [{"send": {"channel": "webhook", "url": "http://h/x"}}]}
                """), 1, NOW);

        assertThat(w.getLimits()).containsExactly(Map.entry("perCustomer", "1/7d"), Map.entry("total", "10000/1d"));
        assertThat(WorkflowJson.render(w).path("limits").toString())
                .isEqualTo("{\"perCustomer\":\"1/7d\",\"total\":\"10000/1d\"}");
        assertThat(WorkflowJson.render(WorkflowJson.parse("w", json("""
                                {"segment": "s", "on": "ENTERED",
                                 "steps": [{"send": {"channel": "webhook", "url": "http://h/x"}}]}
                                """), 1, NOW))
                        .has("limits"))
                .isFalse();
    }

    @Test
    void shouldNameEveryLimitThatIsNotValid() throws Exception {
        String send = "\"steps\": [{\"send\": {\"channel\": \"webhook\", \"url\": \"http://h/x\"}}]";
        List<FieldError> errors = errorsOf(
                "w",
                "{\"segment\": \"s\", \"on\": \"ENTERED\", \"limits\": {\"perDay\": \"1\", \"perCustomer\":"
                        + " \"once a week\", \"total\": 5}, " + send + "}");
        assertThat(fields(errors)).containsExactly("limits.perDay", "limits.perCustomer", "limits.total");
        assertThat(errors.get(1).message()).contains("1/7d");

        List<FieldError> bounds = errorsOf(
                "w",
                "{\"segment\": \"s\", \"on\": \"ENTERED\", \"limits\": {\"perCustomer\": \"0/1d\", \"total\":"
                        + " \"5/30s\"}, " + send + "}");
        assertThat(fields(bounds)).containsExactly("limits.perCustomer", "limits.total");

        assertThat(fields(errorsOf("w", "{\"segment\": \"s\", \"on\": \"ENTERED\", \"limits\": [], " + send + "}")))
                .containsExactly("limits");
    }

    @Test
    void shouldBoundLimitWindowsByWhatTheDeploymentRemembers() throws Exception {
        WorkflowRules rules =
                new WorkflowRules(Channels.ALL, new MessageTemplates(), true, Duration.ofDays(30), Duration.ofDays(1));
        String body = "{\"segment\": \"s\", \"on\": \"ENTERED\", \"limits\": {\"perCustomer\": \"1/31d\","
                + " \"total\": \"100/2d\"}, \"steps\": [{\"send\": {\"channel\": \"webhook\", \"url\": \"http://h/x\"}}]}";

        assertThatThrownBy(() -> WorkflowJson.parse("w", json(body), 1, NOW, rules))
                .isInstanceOfSatisfying(WorkflowValidationException.class, e -> {
                    assertThat(fields(e.errors())).containsExactly("limits.perCustomer", "limits.total");
                    assertThat(e.errors().get(0).message())
                            .contains("at most 30d")
                            .contains("activation.ledger.retention");
                    assertThat(e.errors().get(1).message())
                            .contains("at most 1d")
                            .contains("activation.limits.total-lookback");
                });
    }
}
