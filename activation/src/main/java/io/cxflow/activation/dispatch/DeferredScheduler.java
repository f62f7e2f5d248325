package io.cxflow.activation.dispatch;

import io.cxflow.activation.decision.Decision;
import io.cxflow.activation.ledger.CustomerHistory;
import io.cxflow.activation.ledger.Ledger;
import io.cxflow.activation.ledger.LedgerCodec;
import io.cxflow.activation.ledger.LedgerEntry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the decisions the ledger holds for later: deferred ones once due (the end of quiet hours), and
 * — after a crash or a rebalance — deferred runs that reached {@code INTENT} but not an outcome, once
 * they are older than {@code recoveryAge} (repeated with the same idempotency key). Only customers of
 * the membership partitions this instance owns are run: a customer's partition is the one the
 * default partitioner gives its id ({@code murmur2}), as on {@code cx.segment-membership.v1}.
 *
 * <p>Ownership follows the dispatcher's assignment ({@link #assigned}/{@link #revoked}); a partition
 * counts as owned only once the ledger has read everything written to it, so a new owner sees what
 * the previous one did.
 */
public final class DeferredScheduler implements Dispatcher.PartitionListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeferredScheduler.class);
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(30);

    private final Ledger ledger;
    private final Predicate<Collection<Integer>> catchUp;
    private final DecisionExecutor executor;
    private final LedgerCodec codec;
    private final Clock clock;
    private final int partitions;
    private final Duration pollInterval;
    private final Duration recoveryAge;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private final Thread loop;
    private volatile boolean running;

    /**
     * @param catchUp waits until the ledger has read everything written to the given partitions;
     *     answers whether it did
     * @param partitions the partition count of the membership topic
     * @param recoveryAge how old an unfinished {@code INTENT} of a deferred run must be before it is
     *     repeated (longer than one decision's retries)
     */
    public DeferredScheduler(
            Ledger ledger,
            Predicate<Collection<Integer>> catchUp,
            DecisionExecutor executor,
            LedgerCodec codec,
            Clock clock,
            int partitions,
            Duration pollInterval,
            Duration recoveryAge) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.catchUp = Objects.requireNonNull(catchUp, "catchUp");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.partitions = partitions;
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.recoveryAge = Objects.requireNonNull(recoveryAge, "recoveryAge");
        this.loop =
                Thread.ofPlatform().name("cx-activation-deferred").daemon(true).unstarted(this::run);
    }

    /** The membership partition of {@code customerId}, as the default partitioner picks it. */
    public static int partitionOf(String customerId, int partitions) {
        return Utils.toPositive(Utils.murmur2(customerId.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    public void start() {
        running = true;
        loop.start();
    }

    public boolean isAlive() {
        return loop.isAlive();
    }

    @Override
    public void assigned(Collection<Integer> assigned) {
        if (!catchUp.test(assigned)) {
            log.warn(
                    "the ledger did not catch up with partitions {} in time; decisions of the previous owner may run again"
                            + " (same idempotency keys)",
                    assigned);
        }
        owned.addAll(assigned);
    }

    @Override
    public void revoked(Collection<Integer> revoked) {
        owned.removeAll(revoked);
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(pollInterval);
                runDue();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("running deferred decisions failed; trying again", e);
            }
        }
    }

    /** Runs every due decision of the owned partitions once; returns how many ran. */
    public int runDue() throws InterruptedException {
        int ran = 0;
        Instant now = clock.instant();
        for (String customerId : ledger.customersWithPending()) {
            if (!owned.contains(partitionOf(customerId, partitions))) {
                continue;
            }
            CustomerHistory history = ledger.history(customerId);
            for (LedgerEntry entry : history.pending()) {
                boolean due = entry.state() == LedgerEntry.State.DEFERRED
                        ? !entry.dueAt().isAfter(now)
                        : !entry.at().plus(recoveryAge).isAfter(now);
                if (!due) {
                    continue;
                }
                Decision decision;
                try {
                    decision = codec.readDecision(entry.decision());
                } catch (IllegalArgumentException e) {
                    log.error("dropping an unreadable deferred decision of the ledger: {}", e.getMessage());
                    ledger.append(
                            customerId,
                            new LedgerEntry(entry.key(), entry.channel(), LedgerEntry.State.FAILED, now, null, null));
                    continue;
                }
                await(executor.executeDeferred(decision));
                ran++;
            }
        }
        return ran;
    }

    private static void await(List<Future<?>> writes) throws InterruptedException {
        for (Future<?> write : writes) {
            try {
                write.get();
            } catch (ExecutionException e) {
                log.error("a result of a deferred decision could not be written", e.getCause());
            }
        }
    }

    @Override
    public void close() {
        running = false;
        loop.interrupt();
        try {
            loop.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
