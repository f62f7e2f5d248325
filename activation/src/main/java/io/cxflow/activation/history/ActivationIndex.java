package io.cxflow.activation.history;

import io.cxflow.avro.ActivationResult;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest activation results per customer, bounded twice: at most {@code perCustomer} results per
 * customer (the oldest are dropped) and at most {@code maxCustomers} customers (the least recently
 * written or read customer is dropped). It answers "what did activation do for this customer lately",
 * not the full history; {@code cx.activations.v1} is the record.
 */
public final class ActivationIndex {

    private final int perCustomer;
    private final Map<String, ArrayDeque<ActivationResult>> byCustomer;

    public ActivationIndex(int perCustomer, int maxCustomers) {
        if (perCustomer < 1 || maxCustomers < 1) {
            throw new IllegalArgumentException("bounds must be >= 1: " + perCustomer + ", " + maxCustomers);
        }
        this.perCustomer = perCustomer;
        this.byCustomer = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<ActivationResult>> eldest) {
                return size() > maxCustomers;
            }
        };
    }

    public synchronized void add(ActivationResult result) {
        ArrayDeque<ActivationResult> results =
                byCustomer.computeIfAbsent(result.getCustomerId(), k -> new ArrayDeque<>());
        results.addLast(result);
        while (results.size() > perCustomer) {
            results.removeFirst();
        }
    }

    /** The customer's latest results, oldest first; empty when none are known. */
    public synchronized List<ActivationResult> forCustomer(String customerId) {
        ArrayDeque<ActivationResult> results = byCustomer.get(customerId);
        return results == null ? List.of() : List.copyOf(results);
    }

    public synchronized int customers() {
        return byCustomer.size();
    }
}
