package io.cxflow.activation.dispatch;

import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.RetryPolicy;
import io.cxflow.activation.channel.SendContext;
import io.cxflow.activation.channel.WebhookConnector;
import io.cxflow.activation.condition.StepCondition;
import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.guard.Guardrails;
import io.cxflow.activation.guard.Verdict;
import io.cxflow.activation.ledger.CustomerHistory;
import io.cxflow.activation.ledger.Ledger;
import io.cxflow.activation.ledger.LedgerCodec;
import io.cxflow.activation.ledger.LedgerEntry;
import io.cxflow.activation.profile.SendTimeProfiles;
import io.cxflow.activation.template.MessageTemplates;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.SegmentMembershipChanged;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the decisions of one membership change: each through the guardrails and its channel
 * connector, retrying retriable failures per the {@link RetryPolicy}, and publishing a result for
 * every failed attempt ({@code RETRYING}) and for the outcome ({@code SENT}, {@code FAILED} — also to
 * the dead-letter topic —, {@code SKIPPED} or {@code DEFERRED}). Steps of one workflow run in order;
 * once a step has failed, the workflow's later steps are {@code SKIPPED}; once a step is deferred to
 * the end of quiet hours, its later steps are deferred with it.
 *
 * <p><b>Idempotency protocol</b> (per decision, on the customer's {@link Ledger}): a decision whose
 * key is {@code DONE} or {@code FAILED} is not run again (a {@code SKIPPED} result says so); one whose
 * key is {@code DEFERRED} is left to the scheduler; one whose key is {@code INTENT} was interrupted
 * after the ledger said it would call the provider, so the call is repeated with the same
 * idempotency key (the provider deduplicates); otherwise the guardrails judge it, and a decision to
 * send writes {@code INTENT} (durable) before the first attempt, then, once the outcome's result
 * ({@code SENT}, or {@code FAILED} with its dead letter) is durable, {@code DONE} or {@code FAILED}
 * (durable): a crash between the two repeats the call with the same key and the result, never leaves
 * an outcome without its result. Work on one customer is serialised by {@link Ledger#lock}.
 * Thread-safe otherwise: it holds no per-call state.
 */
public final class DecisionExecutor {

    private static final Logger log = LoggerFactory.getLogger(DecisionExecutor.class);

    private final Map<String, ChannelConnector> connectors;
    private final MessageTemplates templates;
    private final RetryPolicy retryPolicy;
    private final ResultSink sink;
    private final ActivationMetrics metrics;
    private final Clock clock;
    private final RandomGenerator random;
    private final Guardrails guardrails;
    private final Ledger ledger;
    private final LedgerCodec codec;
    private final boolean cancelWhenLeft;
    private final SendTimeProfiles profiles;

    /** An executor that judges and renders from the snapshot of the trigger only. */
    public DecisionExecutor(
            Map<String, ChannelConnector> connectors,
            MessageTemplates templates,
            RetryPolicy retryPolicy,
            ResultSink sink,
            ActivationMetrics metrics,
            Clock clock,
            RandomGenerator random,
            Guardrails guardrails,
            Ledger ledger,
            LedgerCodec codec,
            boolean cancelWhenLeft) {
        this(
                connectors,
                templates,
                retryPolicy,
                sink,
                metrics,
                clock,
                random,
                guardrails,
                ledger,
                codec,
                cancelWhenLeft,
                SendTimeProfiles.none());
    }

    /**
     * @param profiles gives each decision its customer's latest profile just before it is judged
     *     ({@link SendTimeProfiles#attach}); while analytics cannot answer, {@link
     *     io.cxflow.activation.profile.ProfileUnavailableException} leaves the change to run again
     */
    public DecisionExecutor(
            Map<String, ChannelConnector> connectors,
            MessageTemplates templates,
            RetryPolicy retryPolicy,
            ResultSink sink,
            ActivationMetrics metrics,
            Clock clock,
            RandomGenerator random,
            Guardrails guardrails,
            Ledger ledger,
            LedgerCodec codec,
            boolean cancelWhenLeft,
            SendTimeProfiles profiles) {
        this.profiles = Objects.requireNonNull(profiles, "profiles");
        this.cancelWhenLeft = cancelWhenLeft;
        this.connectors = Map.copyOf(connectors);
        this.templates = Objects.requireNonNull(templates, "templates");
        this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
        this.sink = Objects.requireNonNull(sink, "sink");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.guardrails = Objects.requireNonNull(guardrails, "guardrails");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * Runs {@code decisions} (as planned for one change) and returns the pending result writes; the
     * caller must wait for them before it counts the change as done.
     *
     * @throws InterruptedException when the service is stopping; results already published stand,
     *     the rest of the change is not done
     * @throws Ledger.LedgerException when the ledger cannot be written; the change must run again
     */
    public List<Future<?>> execute(List<Decision> decisions) throws InterruptedException {
        List<Future<?>> writes = new ArrayList<>();
        Set<String> failedWorkflows = new HashSet<>();
        Map<String, Verdict> deferredWorkflows = new HashMap<>();
        Instant now = clock.instant();
        for (Decision decision : decisions) {
            if (failedWorkflows.contains(decision.workflowId())) {
                skip(decision, "an earlier step of the workflow failed", writes);
                continue;
            }
            boolean waiting =
                    decision.notBefore() != null && decision.notBefore().isAfter(now);
            if (!waiting && !decision.conditions().isEmpty()) {
                decision = profiles.attach(decision); // its conditions are judged now, on the latest profile
            }
            String notTaken = waiting ? null : branchNotTaken(decision);
            if (notTaken != null) {
                // the if is reached now: a step of the branch not taken is not planned for later
                skip(decision, notTaken, writes);
                continue;
            }
            Verdict deferred = deferredWorkflows.get(decision.workflowId());
            if (decision.notBefore() != null
                    && decision.notBefore().isAfter(now)
                    && (deferred == null || decision.notBefore().isAfter(deferred.until()))) {
                deferred = Verdict.defer("waiting until the workflow's wait is over", decision.notBefore());
            }
            ActivationStatus status;
            synchronized (ledger.lock(decision.customerId())) {
                status = deferred != null ? defer(decision, deferred, false, writes) : run(decision, false, writes);
            }
            if (status == ActivationStatus.FAILED) {
                failedWorkflows.add(decision.workflowId());
            } else if (status == ActivationStatus.DEFERRED) {
                Instant until = ledger.history(decision.customerId())
                        .entry(decision.key().value())
                        .map(LedgerEntry::dueAt)
                        .orElse(null);
                if (until != null && (deferred == null || until.isAfter(deferred.until()))) {
                    deferred = Verdict.defer("an earlier step of the workflow was deferred", until);
                }
                if (deferred != null) {
                    deferredWorkflows.put(decision.workflowId(), deferred);
                }
            }
        }
        return writes;
    }

    /**
     * Runs a decision that was deferred and is now due: the guardrails judge it again, except quiet
     * hours. Returns the pending result writes.
     */
    public List<Future<?>> executeDeferred(Decision decision) throws InterruptedException {
        List<Future<?>> writes = new ArrayList<>();
        synchronized (ledger.lock(decision.customerId())) {
            // the scheduler read the ledger before taking the lock: the entry may have been cancelled,
            // refreshed or run since
            Optional<LedgerEntry> entry =
                    ledger.history(decision.customerId()).entry(decision.key().value());
            if (entry.isEmpty() || !entry.get().isPending()) {
                return writes;
            }
            run(codec.readDecision(entry.get().decision()), true, writes);
        }
        return writes;
    }

    /**
     * Brings the customer's deferred decisions up to date with {@code change}, the customer's newest
     * membership change: those planned for an earlier change in the same segment are cancelled (the
     * customer left, or left and came back, before they were due; unless {@code cancelWhenLeft} is
     * off), and the others take the newer customer snapshot (consent, contact points, time zone), so
     * the guardrails and templates judge them at their due time against the latest snapshot. Returns
     * the pending result writes.
     */
    public List<Future<?>> onChange(SegmentMembershipChanged change) throws InterruptedException {
        List<Future<?>> writes = new ArrayList<>();
        synchronized (ledger.lock(change.getCustomerId())) {
            for (LedgerEntry entry : ledger.history(change.getCustomerId()).pending()) {
                if (entry.state() != LedgerEntry.State.DEFERRED) {
                    continue; // an INTENT already promised the call: it is finished, not cancelled
                }
                Decision decision;
                try {
                    decision = codec.readDecision(entry.decision());
                } catch (IllegalArgumentException e) {
                    continue; // the scheduler drops it
                }
                SegmentMembershipChanged planned = decision.change();
                if (cancelWhenLeft
                        && planned.getSegmentId().equals(change.getSegmentId())
                        && planned.getMembershipVersion() < change.getMembershipVersion()) {
                    ledger.append(change.getCustomerId(), entry(decision, LedgerEntry.State.SKIPPED));
                    skip(
                            decision,
                            "membership changed (" + change.getChange() + " " + change.getSegmentId()
                                    + ") before the step was due",
                            writes);
                } else if (change.getAt().isAfter(planned.getAt()) && !sameSnapshot(planned, change)) {
                    SegmentMembershipChanged refreshed = SegmentMembershipChanged.newBuilder(planned)
                            .setIdentities(change.getIdentities())
                            .setEmail(change.getEmail())
                            .setPhone(change.getPhone())
                            .setConsent(change.getConsent())
                            .setTimezone(change.getTimezone())
                            .build();
                    Decision updated = new Decision(
                            decision.key(),
                            decision.workflowVersion(),
                            decision.channel(),
                            decision.settings(),
                            refreshed,
                            decision.notBefore(),
                            decision.conditions());
                    ledger.append(
                            change.getCustomerId(),
                            new LedgerEntry(
                                    entry.key(),
                                    entry.channel(),
                                    LedgerEntry.State.DEFERRED,
                                    entry.at(),
                                    entry.dueAt(),
                                    codec.writeDecision(updated),
                                    entry.retry()));
                }
            }
        }
        return writes;
    }

    private static boolean sameSnapshot(SegmentMembershipChanged a, SegmentMembershipChanged b) {
        return Objects.equals(a.getIdentities(), b.getIdentities())
                && Objects.equals(a.getEmail(), b.getEmail())
                && Objects.equals(a.getPhone(), b.getPhone())
                && Objects.equals(a.getConsent(), b.getConsent())
                && Objects.equals(a.getTimezone(), b.getTimezone());
    }

    /** Why the decision's branch is not taken for its customer snapshot, or {@code null} when it is. */
    private static String branchNotTaken(Decision decision) {
        for (Decision.Condition condition : decision.conditions()) {
            if (StepCondition.test(condition.expression(), decision) != condition.expected()) {
                return "branch not taken: condition `" + condition.expression() + "` is " + !condition.expected();
            }
        }
        return null;
    }

    private void skip(Decision decision, String reason, List<Future<?>> writes) {
        writes.add(publish(decision, ActivationStatus.SKIPPED, 0, null, reason, false));
        metrics.dispatched(decision.channel(), ActivationStatus.SKIPPED);
    }

    /**
     * @param again true when a due decision is deferred once more (quiet hours at the end of a wait):
     *     its entry is replaced; otherwise an existing entry (a redelivered change) is left alone
     */
    private ActivationStatus defer(Decision decision, Verdict verdict, boolean again, List<Future<?>> writes)
            throws InterruptedException {
        Optional<LedgerEntry> existing =
                ledger.history(decision.customerId()).entry(decision.key().value());
        if (!again && existing.isPresent() && existing.get().state() != LedgerEntry.State.SKIPPED) {
            // a redelivered change: already deferred (nothing to add) or already run
            return existing.get().isPending() ? ActivationStatus.DEFERRED : ActivationStatus.SKIPPED;
        }
        ledger.append(
                decision.customerId(),
                new LedgerEntry(
                        decision.key().value(),
                        decision.channel(),
                        LedgerEntry.State.DEFERRED,
                        clock.instant(),
                        verdict.until(),
                        codec.writeDecision(decision),
                        existing.map(LedgerEntry::retry).orElse(null)));
        writes.add(publish(
                decision,
                ActivationStatus.DEFERRED,
                0,
                null,
                verdict.reason() + "; deferred until " + verdict.until(),
                false));
        metrics.dispatched(decision.channel(), ActivationStatus.DEFERRED);
        return ActivationStatus.DEFERRED;
    }

    private ActivationStatus run(Decision decision, boolean due, List<Future<?>> writes) throws InterruptedException {
        String key = decision.key().value();
        CustomerHistory history = ledger.history(decision.customerId());
        Optional<LedgerEntry> entry = history.entry(key);
        LedgerEntry.State state = entry.map(LedgerEntry::state).orElse(null);
        if (state == LedgerEntry.State.DONE || state == LedgerEntry.State.FAILED) {
            skip(
                    decision,
                    state == LedgerEntry.State.DONE
                            ? "already sent (idempotency ledger): not run again"
                            : "already failed (idempotency ledger): not run again; replay it from the dead-letter"
                                    + " topic with cx activations retry-dlq",
                    writes);
            return state == LedgerEntry.State.DONE ? ActivationStatus.SENT : ActivationStatus.FAILED;
        }
        if (!due && entry.map(LedgerEntry::isPending).orElse(false)) {
            return ActivationStatus.DEFERRED; // the scheduler runs it when due
        }
        ChannelConnector connector = connectors.get(decision.channel());
        if (connector == null) {
            return fail(
                    decision,
                    0,
                    null,
                    "no connector for channel '" + decision.channel() + "' on this deployment",
                    writes);
        }
        decision = profiles.attach(decision); // consent, conditions and templates see the latest profile
        if (state != LedgerEntry.State.INTENT) {
            String notTaken = branchNotTaken(decision);
            if (notTaken != null) {
                if (state == LedgerEntry.State.DEFERRED) {
                    ledger.append(decision.customerId(), entry(decision, LedgerEntry.State.SKIPPED));
                }
                skip(decision, notTaken, writes);
                return ActivationStatus.SKIPPED;
            }
            Verdict verdict = guardrails.check(decision, history, clock.instant(), true);
            if (verdict.kind() == Verdict.Kind.SKIP) {
                if (state == LedgerEntry.State.DEFERRED) {
                    ledger.append(decision.customerId(), entry(decision, LedgerEntry.State.SKIPPED));
                }
                skip(decision, verdict.reason(), writes);
                return ActivationStatus.SKIPPED;
            }
            if (verdict.kind() == Verdict.Kind.DEFER) {
                return defer(decision, verdict, due, writes);
            }
            // a deferred run keeps the decision in its INTENT: its change is committed already, so
            // only the scheduler can repeat it after a crash
            ledger.append(
                    decision.customerId(),
                    new LedgerEntry(
                            key,
                            decision.channel(),
                            LedgerEntry.State.INTENT,
                            clock.instant(),
                            null,
                            due ? codec.writeDecision(decision) : null,
                            entry.map(LedgerEntry::retry).orElse(null)));
        }
        SendContext context;
        try {
            context = sendContext(decision);
        } catch (MessageTemplates.TemplateException e) {
            return fail(decision, 0, null, e.getMessage(), writes);
        }
        for (int attempt = 1; ; attempt++) {
            Delivery delivery = connector.deliver(decision, context, attempt);
            metrics.attempt(decision.channel(), delivery);
            if (delivery.sent()) {
                // the result first: a crash between the two leaves INTENT (sent again with the same key, the
                // result repeated), never DONE without its result
                awaitDurable(publish(decision, ActivationStatus.SENT, attempt, delivery, null, false));
                ledger.append(decision.customerId(), entry(decision, LedgerEntry.State.DONE));
                metrics.dispatched(decision.channel(), ActivationStatus.SENT);
                return ActivationStatus.SENT;
            }
            if (delivery.retriable() && retryPolicy.mayRetryAfter(attempt)) {
                Duration wait = retryPolicy.backoff(attempt, delivery.retryAfter(), random);
                log.debug(
                        "{} attempt {} failed ({}); retrying in {} ms",
                        decision,
                        attempt,
                        delivery.reason(),
                        wait.toMillis());
                writes.add(publish(decision, ActivationStatus.RETRYING, attempt, delivery, delivery.reason(), false));
                metrics.retry(decision.channel());
                Thread.sleep(wait);
                continue;
            }
            String reason = delivery.retriable()
                    ? "gave up after " + attempt + " attempts: " + delivery.reason()
                    : delivery.reason();
            log.warn("{} failed after {} attempt(s): {}", decision, attempt, reason);
            return fail(decision, attempt, delivery, reason, writes);
        }
    }

    private ActivationStatus fail(
            Decision decision, int attempt, Delivery delivery, String reason, List<Future<?>> writes)
            throws InterruptedException {
        // the result (and its dead letter) first: a crash between the two runs the decision again rather than
        // leave FAILED on the ledger with nothing on the dead-letter topic to replay
        awaitDurable(publish(decision, ActivationStatus.FAILED, attempt, delivery, reason, true));
        // the decision stays with its FAILED entry: a dead-letter replay runs it again from there
        ledger.append(
                decision.customerId(),
                new LedgerEntry(
                        decision.key().value(),
                        decision.channel(),
                        LedgerEntry.State.FAILED,
                        clock.instant(),
                        null,
                        codec.writeDecision(decision),
                        retryOf(decision)));
        metrics.dispatched(decision.channel(), ActivationStatus.FAILED);
        return ActivationStatus.FAILED;
    }

    /**
     * Waits until a result is durable.
     *
     * @throws ResultWriteException when it could not be written; the change runs again
     */
    private static void awaitDurable(Future<?> write) throws InterruptedException {
        try {
            write.get();
        } catch (ExecutionException e) {
            throw new ResultWriteException(e.getCause());
        }
    }

    /** A ledger entry of {@code decision} in {@code state}, keeping the replay request it runs under. */
    private LedgerEntry entry(Decision decision, LedgerEntry.State state) {
        return new LedgerEntry(
                decision.key().value(), decision.channel(), state, clock.instant(), null, null, retryOf(decision));
    }

    /** The dead-letter replay request the decision runs under, or {@code null}. */
    private String retryOf(Decision decision) {
        return ledger.history(decision.customerId())
                .entry(decision.key().value())
                .map(LedgerEntry::retry)
                .orElse(null);
    }

    /**
     * What every attempt of {@code decision} is given: the step's content rendered once from the
     * snapshot and the latest profile read for it (so retries send the same bytes), and that profile.
     * The webhook's document is the decision itself and gets no content.
     */
    private SendContext sendContext(Decision decision) {
        if (WebhookConnector.CHANNEL.equals(decision.channel())) {
            return SendContext.none();
        }
        return new SendContext(
                templates.render(decision),
                decision.profile() == null ? null : decision.profile().toAvro());
    }

    private Future<?> publish(
            Decision decision,
            ActivationStatus status,
            int attempt,
            Delivery delivery,
            String reason,
            boolean deadLetter) {
        ActivationResult result = ActivationResults.of(decision, status, attempt, delivery, reason, clock.instant());
        try {
            return sink.publish(result, deadLetter);
        } catch (RuntimeException e) {
            // the producer refused the write outright (closed, no metadata in time, serialization)
            return CompletableFuture.failedFuture(e);
        }
    }
}
