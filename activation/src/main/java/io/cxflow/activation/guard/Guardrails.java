package io.cxflow.activation.guard;

import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.ledger.CustomerHistory;
import io.cxflow.activation.profile.LatestProfile;
import io.cxflow.avro.SegmentMembershipChanged;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * The checks made at send time, in this order: suppression, consent, frequency caps, quiet hours.
 * Consent and the time zone come from the customer's latest profile when the decision was given one
 * ({@link Decision#profile()}, read from analytics just before): its answer for a channel wins over the
 * snapshot of the trigger, which answers for channels the profile does not mention (and for everything
 * when no profile was read). Suppression looks at the identities of both. Caps count the customer's
 * messages in the ledger. Thread-safe.
 */
public final class Guardrails {

    private final GuardrailConfig config;
    private final SuppressionList suppression;

    public Guardrails(GuardrailConfig config, SuppressionList suppression) {
        this.config = Objects.requireNonNull(config, "config");
        this.suppression = Objects.requireNonNull(suppression, "suppression");
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
        return Verdict.send();
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
