package io.cxflow.activation.decision;

import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.avro.SegmentMembershipChanged;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One thing activation decided to do: run step {@code stepId} of workflow {@code workflowId} for the
 * customer of {@code change}. Everything a channel connector needs is here; nothing refers back to
 * mutable state.
 *
 * @param key the decision's identity, sent to the provider as {@code Idempotency-Key}
 * @param workflowVersion the workflow definition version the decision was taken with
 * @param channel the channel of the send step, e.g. {@code webhook}
 * @param settings the channel settings of the step (e.g. {@code url})
 * @param change the membership change that triggered the workflow, with its customer snapshot
 * @param notBefore the earliest time the step may run (the change time plus the workflow's {@code
 *     wait} steps before it), or {@code null} when it may run at once
 * @param conditions the {@code if} conditions the step sits under, each with the answer its branch
 *     needs; evaluated when the step runs
 * @param profile the customer's latest profile, read when the decision is about to run ({@link
 *     #withProfile}); {@code null} until then, and when none could be given (no profile source, no
 *     profile). Never stored with a deferred decision: it is read again when that runs.
 */
public record Decision(
        IdempotencyKey key,
        long workflowVersion,
        String channel,
        Map<String, String> settings,
        SegmentMembershipChanged change,
        Instant notBefore,
        List<Condition> conditions,
        LatestProfile profile) {

    /**
     * A condition a step sits under.
     *
     * @param expression the CEL expression of the {@code if} step
     * @param expected true in the {@code then} branch, false in the {@code else} branch
     */
    public record Condition(String expression, boolean expected) {
        public Condition {
            Objects.requireNonNull(expression, "expression");
        }
    }

    public Decision {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(change, "change");
        settings = Map.copyOf(settings);
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }

    /** A decision without a latest profile yet. */
    public Decision(
            IdempotencyKey key,
            long workflowVersion,
            String channel,
            Map<String, String> settings,
            SegmentMembershipChanged change,
            Instant notBefore,
            List<Condition> conditions) {
        this(key, workflowVersion, channel, settings, change, notBefore, conditions, null);
    }

    /** A decision under no condition. */
    public Decision(
            IdempotencyKey key,
            long workflowVersion,
            String channel,
            Map<String, String> settings,
            SegmentMembershipChanged change,
            Instant notBefore) {
        this(key, workflowVersion, channel, settings, change, notBefore, List.of());
    }

    /** A decision that may run at once. */
    public Decision(
            IdempotencyKey key,
            long workflowVersion,
            String channel,
            Map<String, String> settings,
            SegmentMembershipChanged change) {
        this(key, workflowVersion, channel, settings, change, null);
    }

    /** This decision with the customer's latest profile. */
    public Decision withProfile(LatestProfile latest) {
        return new Decision(key, workflowVersion, channel, settings, change, notBefore, conditions, latest);
    }

    public String workflowId() {
        return key.workflowId();
    }

    public String stepId() {
        return key.stepId();
    }

    public String customerId() {
        return key.customerId();
    }

    /** Why this decision was taken, e.g. {@code segment high-value ENTERED} or {@code event Order Completed}. */
    public String trigger() {
        if (EventTrigger.isEvent(change)) {
            return "event " + EventTrigger.eventName(change);
        }
        return "segment " + change.getSegmentId() + ' ' + change.getChange();
    }

    @Override
    public String toString() {
        // settings may hold URLs with tokens and the change holds PII: neither belongs in a log line
        return "Decision[" + key.workflowId() + ':' + key.stepId() + ", channel=" + channel + ", v" + workflowVersion
                + "]";
    }
}
