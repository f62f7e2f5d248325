package io.cxflow.activation.decision;

import static io.cxflow.activation.testing.Fixtures.change;
import static io.cxflow.activation.testing.Fixtures.eventWorkflow;
import static io.cxflow.activation.testing.Fixtures.webhookWorkflow;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.activation.testing.ProfileServer;
import io.cxflow.activation.workflow.WorkflowCatalog;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.StepKind;
import io.cxflow.avro.TriggerKind;
import io.cxflow.avro.WorkflowDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DecisionPlannerTest {

    private final WorkflowCatalog catalog = WorkflowCatalog.of(List.of(
            webhookWorkflow("b-welcome", "high-value", TriggerKind.ENTERED, 4, "http://h/1", "http://h/2"),
            webhookWorkflow("a-audit", "high-value", TriggerKind.ENTERED, 1, "http://h/audit"),
            webhookWorkflow("goodbye", "high-value", TriggerKind.EXITED, 1, "http://h/bye"),
            webhookWorkflow("other", "churn-risk", TriggerKind.ENTERED, 1, "http://h/other")));

    @Test
    void shouldPlanEveryStepOfEveryMatchingWorkflowInOrder() {
        List<Decision> decisions =
                DecisionPlanner.plan(change("c-1", "high-value", MembershipChange.ENTERED, 5), catalog);

        assertThat(decisions)
                .extracting(d -> d.key().value())
                .containsExactly("a-audit:step-1:c-1:5", "b-welcome:step-1:c-1:5", "b-welcome:step-2:c-1:5");
        assertThat(decisions.get(1).workflowVersion()).isEqualTo(4);
        assertThat(decisions.get(2).settings()).containsEntry("url", "http://h/2");
    }

    @Test
    void shouldMatchOnlyTheChangeKindOfTheTrigger() {
        List<Decision> decisions =
                DecisionPlanner.plan(change("c-1", "high-value", MembershipChange.EXITED, 6), catalog);

        assertThat(decisions).extracting(d -> d.key().value()).containsExactly("goodbye:step-1:c-1:6");
    }

    @Test
    void shouldPlanNothingWhenNoWorkflowWatchesTheSegment() {
        assertThat(DecisionPlanner.plan(change("c-1", "nobody", MembershipChange.ENTERED, 1), catalog))
                .isEmpty();
    }

    @Test
    void shouldSkipDisabledAndDeletedWorkflows() {
        WorkflowDefinition disabled = webhookWorkflow("off", "vip", TriggerKind.ENTERED, 1, "http://h/x");
        disabled.setEnabled(false);
        WorkflowCatalog withDisabled = WorkflowCatalog.of(List.of(disabled))
                .with(webhookWorkflow("gone", "vip", TriggerKind.ENTERED, 1, "http://h/y"))
                .without("gone");

        assertThat(DecisionPlanner.plan(change("c-1", "vip", MembershipChange.ENTERED, 1), withDisabled))
                .isEmpty();
        assertThat(withDisabled.get("off")).isNotNull();
        assertThat(withDisabled.get("gone")).isNull();
    }

    @Test
    void shouldLeaveWorkflowsAloneWhenTheyHaveStepsThisVersionCannotRun() {
        WorkflowDefinition future = webhookWorkflow("later", "vip", TriggerKind.ENTERED, 1, "http://h/x");
        future.getSteps().getFirst().setKind(StepKind.WAIT);

        assertThat(DecisionPlanner.plan(
                        change("c-1", "vip", MembershipChange.ENTERED, 1), WorkflowCatalog.of(List.of(future))))
                .isEmpty();
    }

    @Test
    void shouldPlanTheSameKeysWhenTheSameChangeIsSeenTwice() {
        var change = change("c-9", "high-value", MembershipChange.ENTERED, 2);

        assertThat(DecisionPlanner.plan(change, catalog))
                .extracting(d -> d.key().value())
                .isEqualTo(DecisionPlanner.plan(change, catalog).stream()
                        .map(d -> d.key().value())
                        .toList());
    }

    @Test
    void shouldGiveStepsAfterWaitsTheChangeTimePlusTheWaitsBeforeThem() {
        WorkflowDefinition w = webhookWorkflow("drip", "drip", TriggerKind.ENTERED, 1, "http://h/1", "http://h/2");
        java.util.List<io.cxflow.avro.WorkflowStep> steps = new java.util.ArrayList<>(w.getSteps());
        steps.add(
                1,
                io.cxflow.avro.WorkflowStep.newBuilder()
                        .setId("pause")
                        .setKind(StepKind.WAIT)
                        .setWaitMillis(3_600_000L)
                        .build());
        w.setSteps(steps);

        List<Decision> decisions = DecisionPlanner.plan(
                change("c-1", "drip", MembershipChange.ENTERED, 1), WorkflowCatalog.of(List.of(w)));

        assertThat(decisions)
                .extracting(Decision::notBefore)
                .containsExactly(null, io.cxflow.activation.testing.Fixtures.AT.plusSeconds(3600));
    }

    @Test
    void shouldPlanBothBranchesOfAnIfUnderTheirConditions() {
        WorkflowDefinition w =
                webhookWorkflow("split", "split", TriggerKind.ENTERED, 1, "http://h/then", "http://h/else");
        io.cxflow.avro.WorkflowStep then = w.getSteps().get(0);
        io.cxflow.avro.WorkflowStep otherwise = w.getSteps().get(1);
        w.setSteps(List.of(io.cxflow.avro.WorkflowStep.newBuilder()
                .setId("check")
                .setKind(StepKind.IF)
                .setCondition("profile.consent.email")
                .setThen(List.of(then))
                .setOtherwise(List.of(otherwise))
                .build()));

        List<Decision> decisions = DecisionPlanner.plan(
                change("c-1", "split", MembershipChange.ENTERED, 1), WorkflowCatalog.of(List.of(w)));

        assertThat(decisions)
                .extracting(Decision::conditions)
                .containsExactly(
                        List.of(new Decision.Condition("profile.consent.email", true)),
                        List.of(new Decision.Condition("profile.consent.email", false)));
    }

    @Test
    void shouldPlanTheWorkflowsOfAnEventWithKeysFromItsSourceAndMessageId() {
        WorkflowDefinition thanks = eventWorkflow("thanks", "Order Completed", 2, "http://h/thanks");
        WorkflowCatalog withEvent = catalog.with(thanks);
        LatestProfile customer = LatestProfile.fromJson(ProfileServer.document("c-1", Map.of(), Map.of()));
        Instant at = Instant.parse("2026-11-22T18:03:11Z");

        List<Decision> first = DecisionPlanner.plan(
                EventTrigger.of("Order Completed", "dev-pos", "m-1", at, null, customer), withEvent);
        List<Decision> again = DecisionPlanner.plan(
                EventTrigger.of("Order Completed", "dev-pos", "m-1", at, null, customer), withEvent);
        List<Decision> other = DecisionPlanner.plan(
                EventTrigger.of("Order Completed", "dev-pos", "m-2", at, null, customer), withEvent);

        long occurrence = EventTrigger.occurrence("dev-pos", "m-1");
        assertThat(first).extracting(d -> d.key().value()).containsExactly("thanks:step-1:c-1:" + occurrence);
        assertThat(first.getFirst().trigger()).isEqualTo("event Order Completed");
        assertThat(again)
                .extracting(d -> d.key().value())
                .isEqualTo(first.stream().map(d -> d.key().value()).toList());
        assertThat(other.getFirst().key().value())
                .isNotEqualTo(first.getFirst().key().value());
        assertThat(DecisionPlanner.plan(
                        EventTrigger.of("Product Viewed", "dev-web", "m-3", at, null, customer), withEvent))
                .isEmpty();
        assertThat(withEvent.eventNames()).containsExactly("Order Completed");
    }
}
