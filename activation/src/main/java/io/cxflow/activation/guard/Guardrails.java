package io.cxflow.activation.guard;

import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.ledger.CustomerHistory;
import io.cxflow.activation.ledger.LedgerEntry;
import io.cxflow.activation.limit.WorkflowUsage;
import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.activation.workflow.WorkflowLimits;
import io.cxflow.avro.SegmentMembershipChanged;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The checks made at send time, in this order: suppression, consent, frequency caps, the workflow's
 * {@code perCustomer} limit (its effects on the customer's ledger), quiet hours, the workflow's {@code
 * total} limit (a place reserved in {@link WorkflowUsage} for a decision that goes ahead).
 * Consent and the time zone come from the customer's latest profile when the decision was given one
 * ({@link Decision#profile()}, read from analytics just before): its answer for a channel wins over the
 * snapshot of the trigger, which answers for channels the profile does not mention (and for everything
 * when no profile was read). Suppression looks at the identities of both. Caps count the customer's
 * messages in the ledger. Thread-safe.
 */
public final class Guardrails {

    private final GuardrailConfig config;
    private final SuppressionList suppression;
    private final Function<String, WorkflowLimits> limits;
    private final WorkflowUsage usage;

    /** Guardrails without workflow limits. */
    public Guardrails(GuardrailConfig config, SuppressionList suppression) {
        this(config, suppression, id -> WorkflowLimits.none(), null);
    }

    /**
     * @param limits the current limits of a workflow by id
     * @param usage the effects of each workflow across customers, for {@code total} limits; {@code null}
     *     leaves {@code total} limits unchecked
     */
    public Guardrails(
            GuardrailConfig config,
            SuppressionList suppression,
            Function<String, WorkflowLimits> limits,
            WorkflowUsage usage) {
        this.config = Objects.requireNonNull(config, "config");
        this.suppression = Objects.requireNonNull(suppression, "suppression");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.usage = usage;
    }

    public SuppressionList suppression() {
        return suppression;
    }

    /**
     * Judges {@code decision} at {@code now}.
     *
     * @param history the customer's ledger, without this decision's own entry
     * @param quietHoursApply false when the decision was already deferred to the end of quiet hours
     */
    public Verdict check(Decision decision, CustomerHistory history, Instant now, boolean quietHoursApply) {
        SegmentMembershipChanged change = decision.change();
        LatestProfile latest = decision.profile();
        String channel = decision.channel();
        if (suppression.isSuppressed(change) || (latest != null && suppression.isSuppressed(latest))) {
            return Verdict.skip("customer is suppressed");
        }
        if (config.consentChannels().contains(channel)) {
            Boolean granted = latest != null && latest.consent().containsKey(channel)
                    ? latest.consent().get(channel)
                    : change.getConsent().get(channel);
            if (granted == null) {
                if (!config.grantedByDefault().contains(channel)) {
                    return Verdict.skip(
                            "no consent for " + channel + " (unknown; the default for " + channel + " is not granted)");
                }
            } else if (!granted) {
                return Verdict.skip("no consent for " + channel);
            }
        }
        for (FrequencyCap cap : config.caps()) {
            if (!cap.counts(channel, config.countedChannels())) {
                continue;
            }
            int sent = history.messagesSince(now.minus(cap.window()), c -> cap.counts(c, config.countedChannels()));
            if (sent >= cap.max()) {
                return Verdict.skip("frequency cap " + cap + " reached");
            }
        }
        WorkflowLimits workflowLimits = limits.apply(decision.workflowId());
        if (workflowLimits.perCustomer().isPresent()) {
            WorkflowLimits.Limit limit = workflowLimits.perCustomer().get();
            if (effectsOfWorkflow(history, decision.workflowId(), now.minus(limit.window())) >= limit.max()) {
                return Verdict.skip("workflow limit perCustomer " + limit + " reached");
            }
        }
        if (quietHoursApply
                && config.quietHours().isPresent()
                && config.quietChannels().contains(channel)) {
            ZoneId zone = zone(latest == null ? null : latest.timezone())
                    .or(() -> zone(change.getTimezone()))
                    .orElse(config.defaultZone());
            Optional<Instant> end = config.quietHours().get().end(now, zone);
            if (end.isPresent()) {
                return Verdict.defer("quiet hours " + config.quietHours().get() + " in " + zone, end.get());
            }
        }
        // last: a place under the total is taken only by a decision that goes ahead now
        if (workflowLimits.total().isPresent() && usage != null) {
            WorkflowLimits.Limit limit = workflowLimits.total().get();
            if (!usage.tryReserve(decision.workflowId(), decision.key().value(), limit.max(), limit.window(), now)) {
                return Verdict.skip("workflow limit total " + limit + " reached");
            }
        }
        return Verdict.send();
    }

    /** The customer's effects (ledger {@code INTENT} or {@code DONE}) of workflow {@code workflowId} since {@code since}. */
    private static long effectsOfWorkflow(CustomerHistory history, String workflowId, Instant since) {
        String prefix = workflowId + ':';
        long n = 0;
        for (LedgerEntry entry : history.entries()) {
            if (entry.countsAsMessage()
                    && !entry.at().isBefore(since)
                    && entry.key().startsWith(prefix)) {
                n++;
            }
        }
        return n;
    }

    private static Optional<ZoneId> zone(String timezone) {
        if (timezone == null || timezone.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(ZoneId.of(timezone));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
