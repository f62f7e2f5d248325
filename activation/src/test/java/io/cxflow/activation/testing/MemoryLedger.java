package io.cxflow.activation.testing;

import io.cxflow.activation.ledger.CustomerHistory;
import io.cxflow.activation.ledger.Ledger;
import io.cxflow.activation.ledger.LedgerEntry;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A ledger in memory, for tests of the executor and the scheduler without a broker. */
public final class MemoryLedger implements Ledger {

    private final Map<String, CustomerHistory> histories = new ConcurrentHashMap<>();
    private final Clock clock;
    private int writes;

    public MemoryLedger(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CustomerHistory history(String customerId) {
        return histories.getOrDefault(customerId, CustomerHistory.empty());
    }

    @Override
    public synchronized CustomerHistory append(String customerId, LedgerEntry entry) {
        CustomerHistory next = history(customerId).with(entry, clock.instant(), Duration.ofDays(30));
        histories.put(customerId, next);
        writes++;
        return next;
    }

    /** Puts an entry as a previous run would have left it. */
    public void seed(String customerId, LedgerEntry entry) {
        append(customerId, entry);
    }

    public synchronized int writes() {
        return writes;
    }

    @Override
    public Object lock(String customerId) {
        return this;
    }

    @Override
    public Collection<String> customersWithPending() {
        return histories.entrySet().stream()
                .filter(e -> !e.getValue().pending().isEmpty())
                .map(Map.Entry::getKey)
                .toList();
    }

    public List<LedgerEntry> entries(String customerId) {
        return history(customerId).entries();
    }
}
