package io.cxflow.analytics.query;

/**
 * The state stores the query API reads, by the names the analytics topology gives them, and the rules
 * of the identity stores it relies on. A store missing from the running topology reads as unavailable
 * (503), never as absent.
 *
 * <ul>
 *   <li>{@value #PROFILES}: customer id → {@code CustomerProfile}, partitioned by customer id (string
 *       key serializer, default partitioner);
 *   <li>{@value #MEMBERSHIPS}: {@code <segmentId>:<customerId>} → membership, in the task (partition) of
 *       the customer's profile;
 *   <li>{@value #IDENTITY_INDEX}: {@code <type>:<value>} → customer id, one partition;
 *   <li>{@value #IDENTITY_REDIRECTS}: absorbed customer id → the customer id it now belongs to, on the
 *       host of the identity index.
 * </ul>
 */
public final class QueryStores {

    /** Customer id → profile. */
    public static final String PROFILES = "profiles";

    /** {@code <segmentId>:<customerId>} → membership state, co-partitioned with {@link #PROFILES}. */
    public static final String MEMBERSHIPS = "segment-membership";

    /** {@code <type>:<value>} → customer id. */
    public static final String IDENTITY_INDEX = "identity-index";

    /** Absorbed customer id → surviving customer id. */
    public static final String IDENTITY_REDIRECTS = "identity-redirects";

    /** The longest chain of redirects followed from one customer id. */
    public static final int MAX_REDIRECT_HOPS = 16;

    private QueryStores() {}
}
