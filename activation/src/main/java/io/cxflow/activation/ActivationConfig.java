package io.cxflow.activation;

import io.cxflow.activation.channel.ChannelRegistry;
import io.cxflow.activation.channel.RetryPolicy;
import io.cxflow.activation.channel.audience.AudienceConfig;
import io.cxflow.activation.channel.email.EmailConfig;
import io.cxflow.activation.channel.push.PushConfig;
import io.cxflow.activation.channel.sms.SmsConfig;
import io.cxflow.activation.channel.task.AgentTaskConfig;
import io.cxflow.activation.feedback.FeedbackConfig;
import io.cxflow.activation.guard.GuardrailConfig;
import io.cxflow.activation.limit.LimitConfig;
import io.cxflow.activation.profile.ProfileConfig;
import io.cxflow.activation.trigger.EventTriggerConfig;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The typed, immutable configuration of the activation service, read once from a {@link ConfigSource}
 * ({@code activation.*} keys, environment {@code CX_ACTIVATION_*}).
 *
 * @param host the address the HTTP API binds
 * @param port the HTTP port; 0 picks a free one
 * @param groupId the consumer group on {@code cx.segment-membership.v1}
 * @param webhookConnectTimeout bound on opening a connection to a webhook
 * @param webhookRequestTimeout bound on a whole webhook exchange
 * @param signingSecret HMAC-SHA256 secret for {@code X-Cx-Signature}; empty for unsigned requests
 * @param retry attempts and backoff of retriable deliveries
 * @param maxPollRecords records per poll of the membership topic
 * @param batchBudget how long one polled batch may run before unfinished records wait for the next poll
 * @param shutdownGrace how long a stop lets deliveries in flight finish before interrupting them
 * @param workflowWriteTimeout bound on a workflow write: broker acknowledgement, then visibility
 * @param historyPerCustomer results kept per customer for {@code GET /v1/activations}
 * @param historyMaxCustomers customers kept for {@code GET /v1/activations}
 * @param historyLookback how far back {@code cx.activations.v1} is read at start
 * @param channels the configurations of the channels besides the webhook ({@code activation.email.*},
 *     {@code activation.sms.*}, {@code activation.push.*}, {@code activation.audience.*}, {@code
 *     activation.agent-task.*}); an absent one turns its channel off
 * @param guardrails consent, suppression, caps, quiet hours and the ledger
 * @param feedback how outcomes, receipts and engagement become events on {@code cx.events.v1}
 * @param profiles where the latest profile is read at send time ({@code activation.profiles.*})
 * @param eventTriggers the event-trigger bridge ({@code activation.event-triggers.*}); it runs when
 *     {@code profiles} has a URL
 * @param limits workflow limits ({@code activation.limits.*})
 */
public record ActivationConfig(
        String host,
        int port,
        String groupId,
        Duration webhookConnectTimeout,
        Duration webhookRequestTimeout,
        Optional<String> signingSecret,
        RetryPolicy retry,
        int maxPollRecords,
        Duration batchBudget,
        Duration shutdownGrace,
        Duration workflowWriteTimeout,
        int historyPerCustomer,
        int historyMaxCustomers,
        Duration historyLookback,
        ChannelRegistry.Settings channels,
        GuardrailConfig guardrails,
        FeedbackConfig feedback,
        ProfileConfig profiles,
        EventTriggerConfig eventTriggers,
        LimitConfig limits) {

    private static final String POSITIVE = "greater than 0";

    public static final ConfigKey<String> HOST =
            ConfigKey.string("activation.host", "127.0.0.1", "address the activation HTTP API binds");
    public static final ConfigKey<Integer> PORT =
            ConfigKey.port("activation.port", 8082, "port of the activation HTTP API (0 = a free port)");
    public static final ConfigKey<String> GROUP_ID =
            ConfigKey.string("activation.group.id", "cx-activation", "consumer group reading cx.segment-membership.v1");
    public static final ConfigKey<Duration> WEBHOOK_CONNECT_TIMEOUT = ConfigKey.duration(
                    "activation.webhook.connect-timeout",
                    Duration.ofSeconds(2),
                    "bound on opening a connection to a webhook")
            .check(POSITIVE, d -> !d.isZero());
    public static final ConfigKey<Duration> WEBHOOK_REQUEST_TIMEOUT = ConfigKey.duration(
                    "activation.webhook.request-timeout",
                    Duration.ofSeconds(10),
                    "bound on one webhook exchange, from sending to the end of the answer")
            .check(POSITIVE, d -> !d.isZero());
    public static final ConfigKey<String> WEBHOOK_SIGNING_SECRET = ConfigKey.secret(
            "activation.webhook.signing-secret",
            null,
            "HMAC-SHA256 secret for the X-Cx-Signature header of webhook requests; unset sends them unsigned");
    public static final ConfigKey<Integer> RETRY_MAX_ATTEMPTS = ConfigKey.integer(
            "activation.retry.max-attempts",
            5,
            1,
            20,
            "attempts per decision, the first included, while failures are retriable");
    public static final ConfigKey<Duration> RETRY_INITIAL_BACKOFF = ConfigKey.duration(
                    "activation.retry.initial-backoff",
                    Duration.ofMillis(200),
                    "base delay after the first failed attempt; doubles per attempt, with jitter")
            .check(POSITIVE, d -> !d.isZero());
    public static final ConfigKey<Duration> RETRY_MAX_BACKOFF = ConfigKey.duration(
                    "activation.retry.max-backoff",
                    Duration.ofSeconds(10),
                    "cap of any delay between attempts, Retry-After included")
            .check(POSITIVE, d -> !d.isZero());
    public static final ConfigKey<Integer> MAX_POLL_RECORDS =
            ConfigKey.integer("activation.dispatch.max-poll-records", 100, 1, 10_000, "membership records per poll");
    public static final ConfigKey<Duration> BATCH_BUDGET = ConfigKey.duration(
                    "activation.dispatch.batch-budget",
                    Duration.ofSeconds(30),
                    "how long one polled batch may run; unfinished records are read again by the next poll")
            .check(POSITIVE, d -> !d.isZero());
    public static final ConfigKey<Duration> SHUTDOWN_GRACE = ConfigKey.duration(
            "activation.dispatch.shutdown-grace",
            Duration.ofSeconds(10),
            "how long a stop lets deliveries in flight finish before interrupting them (they run again)");
    public static final ConfigKey<Duration> WORKFLOW_WRITE_TIMEOUT = ConfigKey.duration(
                    "activation.workflows.write-timeout",
                    Duration.ofSeconds(10),
                    "bound on a workflow write: broker acknowledgement, then visibility in the view")
            .check("at least 1s", d -> d.compareTo(Duration.ofSeconds(1)) >= 0);
    public static final ConfigKey<Integer> HISTORY_PER_CUSTOMER = ConfigKey.integer(
            "activation.history.per-customer", 50, 1, 10_000, "results kept per customer for GET /v1/activations");
    public static final ConfigKey<Integer> HISTORY_MAX_CUSTOMERS = ConfigKey.integer(
            "activation.history.max-customers",
            100_000,
            1,
            10_000_000,
            "customers kept for GET /v1/activations (least recently used dropped first)");
    public static final ConfigKey<Duration> HISTORY_LOOKBACK = ConfigKey.duration(
            "activation.history.lookback",
            Duration.ofDays(1),
            "how far back cx.activations.v1 is read at start for GET /v1/activations");

    /** Every key, in the order the startup log shows them. */
    public static final List<ConfigKey<?>> KEYS = List.of(
            HOST,
            PORT,
            GROUP_ID,
            WEBHOOK_CONNECT_TIMEOUT,
            WEBHOOK_REQUEST_TIMEOUT,
            WEBHOOK_SIGNING_SECRET,
            RETRY_MAX_ATTEMPTS,
            RETRY_INITIAL_BACKOFF,
            RETRY_MAX_BACKOFF,
            MAX_POLL_RECORDS,
            BATCH_BUDGET,
            SHUTDOWN_GRACE,
            WORKFLOW_WRITE_TIMEOUT,
            HISTORY_PER_CUSTOMER,
            HISTORY_MAX_CUSTOMERS,
            HISTORY_LOOKBACK);

    public ActivationConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(webhookConnectTimeout, "webhookConnectTimeout");
        Objects.requireNonNull(webhookRequestTimeout, "webhookRequestTimeout");
        Objects.requireNonNull(signingSecret, "signingSecret");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(batchBudget, "batchBudget");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(workflowWriteTimeout, "workflowWriteTimeout");
        Objects.requireNonNull(historyLookback, "historyLookback");
        Objects.requireNonNull(channels, "channels");
        Objects.requireNonNull(guardrails, "guardrails");
        Objects.requireNonNull(feedback, "feedback");
        Objects.requireNonNull(profiles, "profiles");
        Objects.requireNonNull(eventTriggers, "eventTriggers");
        Objects.requireNonNull(limits, "limits");
    }

    /** Every key this config reads: its own and those of every channel. */
    public static List<ConfigKey<?>> allKeys() {
        List<ConfigKey<?>> all = new java.util.ArrayList<>(KEYS);
        all.addAll(EmailConfig.KEYS);
        all.addAll(SmsConfig.KEYS);
        all.addAll(PushConfig.KEYS);
        all.addAll(AudienceConfig.KEYS);
        all.addAll(AgentTaskConfig.KEYS);
        all.addAll(GuardrailConfig.KEYS);
        all.addAll(FeedbackConfig.KEYS);
        all.addAll(ProfileConfig.KEYS);
        all.addAll(EventTriggerConfig.KEYS);
        all.addAll(LimitConfig.KEYS);
        return List.copyOf(all);
    }

    /**
     * Reads every key; fails with one {@link ConfigException} listing every problem.
     *
     * @throws ConfigException naming the offending keys
     */
    public static ActivationConfig from(ConfigSource source) {
        source.validate(KEYS);
        Duration initial = source.get(RETRY_INITIAL_BACKOFF);
        Duration max = source.get(RETRY_MAX_BACKOFF);
        if (max.compareTo(initial) < 0) {
            throw new ConfigException(
                    RETRY_MAX_BACKOFF.name(),
                    RETRY_MAX_BACKOFF.name() + " (" + RETRY_MAX_BACKOFF.format(max) + ") must be at least "
                            + RETRY_INITIAL_BACKOFF.name() + " (" + RETRY_INITIAL_BACKOFF.format(initial) + ")");
        }
        String groupId = source.get(GROUP_ID);
        if (groupId.isBlank()) {
            throw new ConfigException(GROUP_ID.name(), GROUP_ID.name() + " must not be empty");
        }
        return new ActivationConfig(
                source.get(HOST),
                source.get(PORT),
                groupId,
                source.get(WEBHOOK_CONNECT_TIMEOUT),
                source.get(WEBHOOK_REQUEST_TIMEOUT),
                source.find(WEBHOOK_SIGNING_SECRET),
                new RetryPolicy(source.get(RETRY_MAX_ATTEMPTS), initial, max),
                source.get(MAX_POLL_RECORDS),
                source.get(BATCH_BUDGET),
                source.get(SHUTDOWN_GRACE),
                source.get(WORKFLOW_WRITE_TIMEOUT),
                source.get(HISTORY_PER_CUSTOMER),
                source.get(HISTORY_MAX_CUSTOMERS),
                source.get(HISTORY_LOOKBACK),
                new ChannelRegistry.Settings(
                        EmailConfig.from(source),
                        SmsConfig.from(source),
                        PushConfig.from(source),
                        AudienceConfig.from(source),
                        AgentTaskConfig.from(source)),
                GuardrailConfig.from(source),
                FeedbackConfig.from(source),
                ProfileConfig.from(source),
                EventTriggerConfig.from(source),
                LimitConfig.from(source));
    }

    /** The defaults, with {@code overrides} (key → text) on top: for tests and embedding. */
    public static ActivationConfig of(Map<String, String> overrides) {
        return from(ConfigSource.of(overrides));
    }

    @Override
    public String toString() {
        return "ActivationConfig[host=" + host + ", port=" + port + ", groupId=" + groupId + ", signingSecret="
                + (signingSecret.isPresent() ? "****" : "(none)") + ", retry=" + retry + ", channels=" + channels + ", "
                + guardrails + ", " + feedback + ", " + profiles + "]";
    }
}
