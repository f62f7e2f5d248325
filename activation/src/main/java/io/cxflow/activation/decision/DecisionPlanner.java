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
 * version cannot run are skipped ({@link #runnable}). A {@code wait} step adds its duration to the
 * {@link Decision#notBefore} of the steps after it, counted from the change's time (so a redelivery
 * or a restart does not wait again from the start).
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
            long waited = 0;
            for (WorkflowStep step : workflow.getSteps()) {
                if (step.getKind() == StepKind.WAIT) {
                    waited += step.getWaitMillis();
                    continue;
                }
                IdempotencyKey key = new IdempotencyKey(
                        workflow.getId(), step.getId(), change.getCustomerId(), change.getMembershipVersion());
                decisions.add(new Decision(
                        key,
                        workflow.getVersion(),
                        step.getChannel(),
                        step.getSettings(),
                        change,
                        waited == 0 ? null : change.getAt().plusMillis(waited)));
            }
        }
        return decisions;
    }

    /**
     * Whether this version can run every step of {@code workflow}: {@code send} and {@code wait} steps.
     * A definition written by a newer version (with conditions) is left alone rather than run
     * partially.
     */
    public static boolean runnable(WorkflowDefinition workflow) {
        for (WorkflowStep step : workflow.getSteps()) {
            boolean send = step.getKind() == StepKind.SEND && step.getChannel() != null;
            boolean wait = step.getKind() == StepKind.WAIT && step.getWaitMillis() != null && step.getWaitMillis() >= 0;
            if (!send && !wait) {
                return false;
            }
        }
        return true;
    }
}
