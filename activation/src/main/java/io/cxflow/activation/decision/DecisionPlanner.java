package io.cxflow.activation.decision;

import io.cxflow.activation.workflow.WorkflowCatalog;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.StepKind;
import io.cxflow.avro.TriggerKind;
import io.cxflow.avro.WorkflowDefinition;
import io.cxflow.avro.WorkflowStep;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one membership change into the decisions it triggers: for each enabled workflow whose
 * trigger is this segment and this change (ordered by workflow id), one decision per step, in step
 * order. A pure function of the change and the catalog, so the same change planned against the same
 * catalog always yields the same decisions and the same idempotency keys. Workflows with steps this
 * version cannot run are skipped ({@link #runnable}).
 */
public final class DecisionPlanner {

    private DecisionPlanner() {}

    public static List<Decision> plan(SegmentMembershipChanged change, WorkflowCatalog catalog) {
        TriggerKind kind = change.getChange() == MembershipChange.ENTERED ? TriggerKind.ENTERED : TriggerKind.EXITED;
        List<Decision> decisions = new ArrayList<>();
        for (WorkflowDefinition workflow : catalog.triggeredBy(change.getSegmentId(), kind)) {
            if (!runnable(workflow)) {
                continue;
            }
            for (WorkflowStep step : workflow.getSteps()) {
                IdempotencyKey key = new IdempotencyKey(
                        workflow.getId(), step.getId(), change.getCustomerId(), change.getMembershipVersion());
                decisions.add(new Decision(key, workflow.getVersion(), step.getChannel(), step.getSettings(), change));
            }
        }
        return decisions;
    }

    /**
     * Whether this version can run every step of {@code workflow}: only {@code send} steps exist so
     * far. A definition written by a newer version (with waits or conditions) is left alone rather
     * than run partially.
     */
    public static boolean runnable(WorkflowDefinition workflow) {
        for (WorkflowStep step : workflow.getSteps()) {
            if (step.getKind() != StepKind.SEND || step.getChannel() == null) {
                return false;
            }
        }
        return true;
    }
}
