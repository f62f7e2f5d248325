package io.cxflow.activation.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The ledger of one customer: the latest entry per idempotency key, in the order the keys were first
 * written, and a sequence number that grows with every write (a reader applies a record only when its
 * sequence is newer than what it holds). Immutable.
 *
 * @param seq the number of writes this history has seen
 * @param entries the latest entry per key
 */
public record CustomerHistory(long seq, List<LedgerEntry> entries) {

    private static final CustomerHistory EMPTY = new CustomerHistory(0, List.of());

    public CustomerHistory {
        entries = List.copyOf(entries);
    }

    public static CustomerHistory empty() {
        return EMPTY;
    }

    /** The latest entry of {@code key}. */
    public Optional<LedgerEntry> entry(String key) {
        for (LedgerEntry e : entries) {
            if (e.key().equals(key)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Messages (intended or done) matching {@code channel} at or after {@code since}. */
    public int messagesSince(Instant since, Predicate<String> channel) {
        int n = 0;
        for (LedgerEntry e : entries) {
            if (e.countsAsMessage() && !e.at().isBefore(since) && channel.test(e.channel())) {
                n++;
            }
        }
        return n;
    }

    /** The oldest message matching {@code channel} at or after {@code since}, if any. */
    public Optional<Instant> oldestMessageSince(Instant since, Predicate<String> channel) {
        return entries.stream()
                .filter(e -> e.countsAsMessage() && !e.at().isBefore(since) && channel.test(e.channel()))
                .map(LedgerEntry::at)
                .min(Instant::compareTo);
    }

    /**
     * The entries the scheduler may have to run, in the order they were written: deferred decisions,
     * and decisions of the scheduler that reached {@code INTENT} (they carry the decision).
     */
    public List<LedgerEntry> pending() {
        return entries.stream().filter(LedgerEntry::isPending).toList();
    }

    /**
     * This history with {@code entry} replacing the entry of its key (or added), entries older than
     * {@code retention} before {@code now} dropped (pending ones are kept until they run), and the
     * sequence advanced.
     */
    public CustomerHistory with(LedgerEntry entry, Instant now, Duration retention) {
        Map<String, LedgerEntry> byKey = new LinkedHashMap<>();
        Instant horizon = now.minus(retention);
        for (LedgerEntry e : entries) {
            if (e.isPending() || !e.at().isBefore(horizon)) {
                byKey.put(e.key(), e);
            }
        }
        byKey.put(entry.key(), entry);
        return new CustomerHistory(seq + 1, new ArrayList<>(byKey.values()));
    }
}
