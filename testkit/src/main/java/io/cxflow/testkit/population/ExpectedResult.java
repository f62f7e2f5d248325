package io.cxflow.testkit.population;

import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The customers the identity rules must build from a {@link Population}, and lookups over them. Computed
 * from the generator's knowledge of who owns each identifier and the trap rules, not by grouping the
 * events.
 */
public final class ExpectedResult {

    private final List<ExpectedCustomer> customers;
    private final SortedMap<String, ExpectedCustomer> byId = new TreeMap<>();
    private final SortedMap<String, ExpectedCustomer> byIdentifier = new TreeMap<>();
    private final SortedMap<String, String> redirects = new TreeMap<>();
    private final SortedMap<String, SortedSet<String>> spellings;
    private final long uniqueEvents;
    private final String defaultCurrency;

    ExpectedResult(
            List<ExpectedCustomer> customers,
            SortedMap<String, SortedSet<String>> spellings,
            long uniqueEvents,
            String defaultCurrency) {
        this.customers = List.copyOf(customers);
        for (ExpectedCustomer customer : this.customers) {
            if (byId.put(customer.customerId(), customer) != null) {
                throw new IllegalStateException("two expected customers have the id " + customer.customerId());
            }
            for (String key : customer.identifierKeys()) {
                ExpectedCustomer other = byIdentifier.put(key, customer);
                if (other != null) {
                    throw new IllegalStateException("identifier " + key + " is listed by two expected customers: "
                            + other.customerId() + " and " + customer.customerId());
                }
            }
            for (String absorbed : customer.mergedFrom()) {
                redirects.put(absorbed, customer.customerId());
            }
        }
        SortedMap<String, SortedSet<String>> copy = new TreeMap<>();
        spellings.forEach((key, raw) -> copy.put(key, Collections.unmodifiableSortedSet(new TreeSet<>(raw))));
        this.spellings = Collections.unmodifiableSortedMap(copy);
        this.uniqueEvents = uniqueEvents;
        this.defaultCurrency = defaultCurrency;
    }

    /** Every expected customer, sorted by customer id. */
    public List<ExpectedCustomer> customers() {
        return customers;
    }

    /** The customer with this id (an absorbed id is not one; see {@link #redirects()}). */
    public Optional<ExpectedCustomer> customer(String customerId) {
        return Optional.ofNullable(byId.get(customerId));
    }

    /** The customer that lists the identifier {@code type:value} (normalized) among its identities. */
    public Optional<ExpectedCustomer> byIdentifier(String identifierKey) {
        return Optional.ofNullable(byIdentifier.get(identifierKey));
    }

    /** Every listed identifier key → its customer. */
    public SortedMap<String, ExpectedCustomer> identifiers() {
        return Collections.unmodifiableSortedMap(byIdentifier);
    }

    /** Absorbed customer id (derived from a routing id that is not its customer's anchor) → surviving id. */
    public SortedMap<String, String> redirects() {
        return Collections.unmodifiableSortedMap(redirects);
    }

    /** Email and phone identifier keys → the raw spellings the events used for them. */
    public SortedMap<String, SortedSet<String>> spellings() {
        return spellings;
    }

    /** Distinct {@code (sourceId, messageId)} pairs in the log: the sum of every customer's eventCount. */
    public long uniqueEvents() {
        return uniqueEvents;
    }

    /** The currency of orders without {@code properties.currency} (the product's default). */
    public String defaultCurrency() {
        return defaultCurrency;
    }
}
