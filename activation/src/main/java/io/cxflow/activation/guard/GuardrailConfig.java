package io.cxflow.activation.guard;

import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The guardrails and the ledger of the activation service ({@code activation.consent.*}, {@code
 * activation.suppression.*}, {@code activation.caps*}, {@code activation.quiet-hours*}, {@code
 * activation.ledger.*}).
 *
 * @param consentChannels channels that need consent {@code true}
 * @param grantedByDefault channels whose unknown consent counts as granted
 * @param suppressed customer ids and identifiers never activated
 * @param followPrivacy whether {@code cx.privacy.v1} suppress/unsuppress/delete requests are applied
 * @param caps the frequency caps
 * @param countedChannels the channels a cap across channels ({@code *}) counts
 * @param quietHours the daily quiet window in the customer's time zone, if any
 * @param quietChannels the channels quiet hours hold back
 * @param defaultZone the time zone of customers without a valid one
 * @param ledgerTopic the ledger topic; empty for {@code <activation.group.id>-ledger}
 * @param ledgerRetention how long the ledger remembers a decision (idempotency and caps)
 * @param deferredPoll how often due deferred decisions are looked for
 * @param cancelWhenLeft whether deferred steps are cancelled when a later membership change of the
 *     customer in the same segment arrives before they are due
 */
public record GuardrailConfig(
        Set<String> consentChannels,
        Set<String> grantedByDefault,
        List<String> suppressed,
        boolean followPrivacy,
        List<FrequencyCap> caps,
        Set<String> countedChannels,
        Optional<QuietHours> quietHours,
        Set<String> quietChannels,
        ZoneId defaultZone,
        Optional<String> ledgerTopic,
        Duration ledgerRetention,
        Duration deferredPoll,
        boolean cancelWhenLeft) {

    public static final ConfigKey<List<String>> CONSENT_CHANNELS = ConfigKey.list(
            "activation.consent.channels",
            List.of("email", "sms", "push", "ads"),
            "channels that message a person and need consent true in the customer's snapshot");
    public static final ConfigKey<List<String>> CONSENT_GRANTED_BY_DEFAULT = ConfigKey.list(
            "activation.consent.granted-by-default",
            List.of(),
            "channels whose unknown consent counts as granted (default: none, unknown = not granted)");
    public static final ConfigKey<List<String>> SUPPRESSED = ConfigKey.list(
            "activation.suppression.list",
            List.of(),
            "customer ids, emails or phones never activated (a global suppression list)");
    public static final ConfigKey<Boolean> FOLLOW_PRIVACY = ConfigKey.bool(
            "activation.suppression.follow-privacy-topic",
            true,
            "apply SUPPRESS / UNSUPPRESS / DELETE requests from cx.privacy.v1");
    public static final ConfigKey<List<String>> CAPS = ConfigKey.list(
            "activation.caps",
            List.of("email:1/24h", "*:3/7d"),
            "frequency caps per customer: <channel>:<max>/<window>, * = across the counted channels");
    public static final ConfigKey<List<String>> CAPS_COUNTED = ConfigKey.list(
            "activation.caps.counted-channels",
            List.of("email", "sms", "push"),
            "channels a cap across channels (*) counts");
    public static final ConfigKey<String> QUIET_HOURS = ConfigKey.string(
            "activation.quiet-hours",
            "21:00-08:00",
            "daily quiet window in the customer's time zone (HH:mm-HH:mm; 'off' for none); messages wait until it ends");
    public static final ConfigKey<List<String>> QUIET_CHANNELS =
            ConfigKey.list("activation.quiet-hours.channels", List.of("sms", "push"), "channels quiet hours hold back");
    public static final ConfigKey<String> DEFAULT_ZONE = ConfigKey.string(
            "activation.quiet-hours.default-timezone", "UTC", "time zone of customers without a valid one");
    public static final ConfigKey<String> LEDGER_TOPIC = ConfigKey.string(
            "activation.ledger.topic",
            null,
            "compacted topic of the decision ledger (default <activation.group.id>-ledger; created at start)");
    public static final ConfigKey<Duration> LEDGER_RETENTION = ConfigKey.duration(
                    "activation.ledger.retention",
                    Duration.ofDays(30),
                    "how long the ledger remembers a decision; at least the longest cap window")
            .check("at least 1m", d -> d.compareTo(Duration.ofMinutes(1)) >= 0);
    public static final ConfigKey<Duration> DEFERRED_POLL = ConfigKey.duration(
                    "activation.deferred.poll-interval",
                    Duration.ofSeconds(1),
                    "how often due deferred decisions are looked for")
            .check("greater than 0", d -> !d.isZero());

    public static final ConfigKey<Boolean> CANCEL_WHEN_LEFT = ConfigKey.bool(
            "activation.deferred.cancel-when-left",
            true,
            "cancel waiting steps when the customer leaves (or re-enters) the segment before they are due");

    /** Every key. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            CONSENT_CHANNELS,
            CONSENT_GRANTED_BY_DEFAULT,
            SUPPRESSED,
            FOLLOW_PRIVACY,
            CAPS,
            CAPS_COUNTED,
            QUIET_HOURS,
            QUIET_CHANNELS,
            DEFAULT_ZONE,
            LEDGER_TOPIC,
            LEDGER_RETENTION,
            DEFERRED_POLL,
            CANCEL_WHEN_LEFT);

    public GuardrailConfig {
        consentChannels = Set.copyOf(consentChannels);
        grantedByDefault = Set.copyOf(grantedByDefault);
        suppressed = List.copyOf(suppressed);
        caps = List.copyOf(caps);
        countedChannels = Set.copyOf(countedChannels);
        Objects.requireNonNull(quietHours, "quietHours");
        quietChannels = Set.copyOf(quietChannels);
        Objects.requireNonNull(defaultZone, "defaultZone");
        Objects.requireNonNull(ledgerTopic, "ledgerTopic");
        Objects.requireNonNull(ledgerRetention, "ledgerRetention");
        Objects.requireNonNull(deferredPoll, "deferredPoll");
    }

    /**
     * Reads the keys.
     *
     * @throws ConfigException naming the offending key
     */
    public static GuardrailConfig from(ConfigSource source) {
        source.validate(KEYS);
        List<FrequencyCap> caps = new ArrayList<>();
        for (String spec : source.get(CAPS)) {
            try {
                caps.add(FrequencyCap.parse(spec));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(CAPS.name(), CAPS.name() + ": " + e.getMessage());
            }
        }
        Optional<QuietHours> quiet;
        String quietText = source.get(QUIET_HOURS).trim();
        if (quietText.isEmpty() || quietText.equalsIgnoreCase("off")) {
            quiet = Optional.empty();
        } else {
            try {
                quiet = Optional.of(QuietHours.parse(quietText));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(QUIET_HOURS.name(), QUIET_HOURS.name() + ": " + e.getMessage());
            }
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(source.get(DEFAULT_ZONE).trim());
        } catch (DateTimeException e) {
            throw new ConfigException(
                    DEFAULT_ZONE.name(), DEFAULT_ZONE.name() + " is not an IANA time zone: " + e.getMessage());
        }
        Duration retention = source.get(LEDGER_RETENTION);
        Duration longest = FrequencyCap.longest(caps);
        if (retention.compareTo(longest) < 0) {
            throw new ConfigException(
                    LEDGER_RETENTION.name(),
                    LEDGER_RETENTION.name() + " must be at least the longest cap window (" + longest + ")");
        }
        return new GuardrailConfig(
                Set.copyOf(source.get(CONSENT_CHANNELS)),
                Set.copyOf(source.get(CONSENT_GRANTED_BY_DEFAULT)),
                source.get(SUPPRESSED),
                source.get(FOLLOW_PRIVACY),
                caps,
                Set.copyOf(source.get(CAPS_COUNTED)),
                quiet,
                Set.copyOf(source.get(QUIET_CHANNELS)),
                zone,
                source.find(LEDGER_TOPIC).map(String::trim).filter(t -> !t.isEmpty()),
                retention,
                source.get(DEFERRED_POLL),
                source.get(CANCEL_WHEN_LEFT));
    }

    @Override
    public String toString() {
        // the suppression list holds PII: count it only
        return "GuardrailConfig[consent=" + consentChannels + ", grantedByDefault=" + grantedByDefault + ", suppressed="
                + suppressed.size() + ", caps=" + caps + ", quietHours="
                + quietHours.map(Object::toString).orElse("off")
                + " on " + quietChannels + "]";
    }
}
