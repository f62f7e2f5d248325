package io.cxflow.activation.feedback;

import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How activation feeds what happened to its messages back into {@code cx.events.v1} ({@code
 * activation.feedback.*}, environment {@code CX_ACTIVATION_FEEDBACK_*}).
 *
 * @param channels the channels whose outcomes, receipts and engagement become events (a subset of
 *     {@code email}, {@code sms}, {@code push})
 * @param sourceId the {@code sourceId} of every feedback event; with the event's {@code messageId} it
 *     is the key analytics deduplicates on
 * @param receiptSecret the HMAC-SHA256 key providers sign delivery receipts with; empty turns {@code
 *     POST /v1/feedback/{channel}} off
 * @param recipientsTopic the compacted topic of the recipient directory; empty for {@code
 *     <activation.group.id>-recipients}
 * @param writeTimeout bound on the broker acknowledgement of a feedback write that a caller waits for
 *     (a receipt, an unsubscribe, a recipient before the first attempt)
 */
public record FeedbackConfig(
        Set<String> channels,
        String sourceId,
        Optional<String> receiptSecret,
        Optional<String> recipientsTopic,
        Duration writeTimeout) {

    /** The channels feedback knows: each has event names ({@link FeedbackEvents}). */
    public static final Set<String> SUPPORTED_CHANNELS = Set.of("email", "sms", "push");

    private static final Pattern SOURCE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public static final ConfigKey<List<String>> CHANNELS = ConfigKey.list(
            "activation.feedback.channels",
            List.of("email", "sms", "push"),
            "channels whose sends, failures, receipts and engagement become events on cx.events.v1 (email, sms, push;"
                    + " empty for none)");
    public static final ConfigKey<String> SOURCE = ConfigKey.string(
            "activation.feedback.source-id",
            "cx-activation",
            "sourceId of feedback events (with the messageId, the key analytics deduplicates on)");
    public static final ConfigKey<String> RECEIPT_SECRET = ConfigKey.secret(
            "activation.feedback.receipt-secret",
            null,
            "HMAC-SHA256 key providers sign delivery receipts with (X-Cx-Signature); unset turns"
                    + " POST /v1/feedback/{channel} off");
    public static final ConfigKey<String> RECIPIENTS_TOPIC = ConfigKey.string(
            "activation.feedback.recipients-topic",
            null,
            "compacted topic of the recipient directory (default <activation.group.id>-recipients; created at start)");
    public static final ConfigKey<Duration> WRITE_TIMEOUT = ConfigKey.duration(
                    "activation.feedback.write-timeout",
                    Duration.ofSeconds(10),
                    "bound on the broker acknowledgement of a receipt's, an unsubscribe's or a recipient's write")
            .check("at least 100ms", d -> d.compareTo(Duration.ofMillis(100)) >= 0);

    /** Every key. */
    public static final List<ConfigKey<?>> KEYS =
            List.of(CHANNELS, SOURCE, RECEIPT_SECRET, RECIPIENTS_TOPIC, WRITE_TIMEOUT);

    public FeedbackConfig {
        channels = Set.copyOf(channels);
        Objects.requireNonNull(sourceId, "sourceId");
        Objects.requireNonNull(receiptSecret, "receiptSecret");
        Objects.requireNonNull(recipientsTopic, "recipientsTopic");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        for (String channel : channels) {
            if (!SUPPORTED_CHANNELS.contains(channel)) {
                throw new IllegalArgumentException("feedback is not available for channel '" + channel + "'");
            }
        }
    }

    /**
     * Reads the keys.
     *
     * @throws ConfigException naming the offending key
     */
    public static FeedbackConfig from(ConfigSource source) {
        source.validate(KEYS);
        Set<String> channels = new TreeSet<>();
        for (String channel : source.get(CHANNELS)) {
            String name = channel.trim().toLowerCase(Locale.ROOT);
            if (!SUPPORTED_CHANNELS.contains(name)) {
                throw new ConfigException(
                        CHANNELS.name(),
                        CHANNELS.name() + ": feedback is available for " + new TreeSet<>(SUPPORTED_CHANNELS) + ", not '"
                                + channel + "'");
            }
            channels.add(name);
        }
        String sourceId = source.get(SOURCE).trim();
        if (!SOURCE_ID.matcher(sourceId).matches()) {
            throw new ConfigException(
                    SOURCE.name(), SOURCE.name() + " must match " + SOURCE_ID.pattern() + " (letters, digits, . _ -)");
        }
        return new FeedbackConfig(
                channels,
                sourceId,
                source.find(RECEIPT_SECRET).filter(s -> !s.isBlank()),
                source.find(RECIPIENTS_TOPIC).map(String::trim).filter(t -> !t.isEmpty()),
                source.get(WRITE_TIMEOUT));
    }

    /** The defaults. */
    public static FeedbackConfig defaults() {
        return from(ConfigSource.of(java.util.Map.of()));
    }

    /** Whether outcomes of {@code channel} become events. */
    public boolean covers(String channel) {
        return channels.contains(channel);
    }

    @Override
    public String toString() {
        return "FeedbackConfig[channels=" + new TreeSet<>(channels) + ", sourceId=" + sourceId + ", receipts="
                + (receiptSecret.isPresent() ? "on" : "off") + "]";
    }
}
