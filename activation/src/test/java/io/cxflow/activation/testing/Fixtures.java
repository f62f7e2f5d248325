package io.cxflow.activation.testing;

import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.decision.IdempotencyKey;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.StepKind;
import io.cxflow.avro.TriggerKind;
import io.cxflow.avro.WorkflowDefinition;
import io.cxflow.avro.WorkflowStep;
import io.cxflow.avro.WorkflowTrigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small builders of the records activation reads. */
public final class Fixtures {

    public static final Instant AT = Instant.parse("2026-11-22T18:03:11Z");

    private Fixtures() {}

    public static SegmentMembershipChanged change(
            String customerId, String segmentId, MembershipChange change, long membershipVersion) {
        return SegmentMembershipChanged.newBuilder()
                .setCustomerId(customerId)
                .setSegmentId(segmentId)
                .setSegmentVersion(2)
                .setChange(change)
                .setMembershipVersion(membershipVersion)
                .setReason("event Order Completed")
                .setAt(AT)
                .setIdentities(Map.of("email", List.of("ann@example.com"), "userId", List.of("u-1")))
                .setEmail("ann@example.com")
                .setPhone(null)
                .setConsent(Map.of("email", true))
                .setTimezone("Europe/Rome")
                .build();
    }

    public static WorkflowDefinition webhookWorkflow(
            String id, String segmentId, TriggerKind on, long version, String... urls) {
        List<WorkflowStep> steps = new ArrayList<>();
        for (int i = 0; i < urls.length; i++) {
            steps.add(WorkflowStep.newBuilder()
                    .setId("step-" + (i + 1))
                    .setKind(StepKind.SEND)
                    .setChannel("webhook")
                    .setSettings(Map.of("url", urls[i]))
                    .build());
        }
        return WorkflowDefinition.newBuilder()
                .setId(id)
                .setName(null)
                .setTrigger(WorkflowTrigger.newBuilder()
                        .setKind(on)
                        .setSegmentId(segmentId)
                        .build())
                .setSteps(steps)
                .setVersion(version)
                .setUpdatedAt(AT)
                .build();
    }

    /** A webhook workflow triggered by the event {@code event} (one step per url). */
    public static WorkflowDefinition eventWorkflow(String id, String event, long version, String... urls) {
        WorkflowDefinition workflow = webhookWorkflow(id, null, TriggerKind.EVENT, version, urls);
        workflow.setTrigger(WorkflowTrigger.newBuilder()
                .setKind(TriggerKind.EVENT)
                .setSegmentId(null)
                .setEvent(event)
                .build());
        return workflow;
    }

    public static Decision webhookDecision(
            String workflowId, String stepId, String url, SegmentMembershipChanged change) {
        return new Decision(
                new IdempotencyKey(workflowId, stepId, change.getCustomerId(), change.getMembershipVersion()),
                1,
                "webhook",
                Map.of("url", url),
                change);
    }
}
