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
 * trigger is this segment and this change — or, for an event occurrence ({@link EventTrigger}), this
 * event — (ordered by workflow id), one decision per step, in step
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
        List<WorkflowDefinition> triggered = EventTrigger.isEvent(change)
                ? catalog.triggeredByEvent(EventTrigger.eventName(change))
                : catalog.triggeredBy(change.getSegmentId(), kind);
        List<Decision> decisions = new ArrayList<>();
        for (WorkflowDefinition workflow : triggered) {
            if (!runnable(workflow)) {
                continue;
            }
            planSteps(workflow, workflow.getSteps(), change, 0, List.of(), decisions);
        }
        return decisions;
    }

    /**
     * Plans {@code steps} in order; returns the wait accumulated by them. A wait inside a branch delays
     * the steps after it in that branch only.
     */
    private static long planSteps(
            WorkflowDefinition workflow,
            List<WorkflowStep> steps,
            SegmentMembershipChanged change,
            long waited,
            List<Decision.Condition> conditions,
            List<Decision> decisions) {
        for (WorkflowStep step : steps) {
            if (step.getKind() == StepKind.WAIT) {
                waited += step.getWaitMillis();
            } else if (step.getKind() == StepKind.IF) {
                List<Decision.Condition> then = new ArrayList<>(conditions);
                then.add(new Decision.Condition(step.getCondition(), true));
                planSteps(workflow, step.getThen(), change, waited, then, decisions);
                List<Decision.Condition> otherwise = new ArrayList<>(conditions);
                otherwise.add(new Decision.Condition(step.getCondition(), false));
                planSteps(workflow, step.getOtherwise(), change, waited, otherwise, decisions);
            } else {
                IdempotencyKey key = new IdempotencyKey(
                        workflow.getId(), step.getId(), change.getCustomerId(), change.getMembershipVersion());
                decisions.add(new Decision(
                        key,
                        workflow.getVersion(),
                        step.getChannel(),
                        step.getSettings(),
                        change,
                        waited == 0 ? null : change.getAt().plusMillis(waited),
                        conditions));
            }
        }
        return waited;
    }

    /**
     * Whether this version can run every step of {@code workflow}: {@code send}, {@code wait} and
     * {@code if} steps. A definition written by a newer version (with other kinds) is left alone rather
     * than run partially.
     */
    public static boolean runnable(WorkflowDefinition workflow) {
        return runnable(workflow.getSteps());
    }

    private static boolean runnable(List<WorkflowStep> steps) {
        for (WorkflowStep step : steps) {
            boolean send = step.getKind() == StepKind.SEND && step.getChannel() != null;
            boolean wait = step.getKind() == StepKind.WAIT && step.getWaitMillis() != null && step.getWaitMillis() >= 0;
            boolean branch = step.getKind() == StepKind.IF
                    && step.getCondition() != null
                    && runnable(step.getThen())
                    && runnable(step.getOtherwise());
            if (!send && !wait && !branch) {
                return false;
            }
        }
        return true;
    }
}
