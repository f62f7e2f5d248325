package io.cxflow.analytics;

/**
 * Names of the analytics metrics. Processor-level counts are Kafka Streams custom sensors (scope
 * {@value #STREAMS_SCOPE}), so they are exported with the other Streams metrics by the Streams metrics
 * binder: Kafka group {@code stream-cx-analytics-metrics}, metrics {@code <operation>-total} and
 * {@code <operation>-rate} tagged with {@code cx-analytics-id=<entity>}.
 */
public final class AnalyticsMetrics {

    /** Scope of the custom Streams sensors. */
    public static final String STREAMS_SCOPE = "cx-analytics";

    /** Entity of the profile sensors. */
    public static final String PROFILE_ENTITY = "profile";

    /** Entity of the segment sensors. */
    public static final String SEGMENT_ENTITY = "segment";

    /** Entity of the dedupe sensors. */
    public static final String DEDUPE_ENTITY = "dedupe";

    /**
     * Events dropped because the same {@code (sourceId, messageId)} was already counted within the dedupe
     * window. The number of entries of the dedupe window is Kafka Streams' own RocksDB metric {@value
     * #STORE_SIZE_METRIC} (group {@code stream-state-metrics}, tag {@code rocksdb-window-state-id=dedupe},
     * per task, summed over the store's segments).
     */
    public static final String DUPLICATE_OPERATION = "duplicate";

    /** The Kafka Streams RocksDB metric (recording level info) that estimates a store's number of keys. */
    public static final String STORE_SIZE_METRIC = "estimate-num-keys";

    /** Events routed to the rejected topic by the profile aggregation. */
    public static final String REJECTED_OPERATION = "rejected";

    /** Customers entering a segment. */
    public static final String ENTERED_OPERATION = "entered";

    /** Customers leaving a segment. */
    public static final String EXITED_OPERATION = "exited";

    /** Segment conditions that failed to evaluate (counted as not holding). */
    public static final String EVALUATION_ERROR_OPERATION = "evaluation-error";

    /** Customers re-evaluated because time alone could change a segment's answer. */
    public static final String TIME_EVALUATION_OPERATION = "time-evaluation";

    /** Segment conditions evaluated for a profile change (one per segment in force, unless unchanged). */
    public static final String CONDITION_EVALUATED_OPERATION = "condition-evaluated";

    /**
     * Segment conditions not evaluated for a profile change because nothing they read changed and time
     * alone changed no answer since the last evaluation: the earlier answer stands.
     */
    public static final String CONDITION_UNCHANGED_OPERATION = "condition-unchanged";

    /** Profiles re-evaluated by a backfill after a segment definition changed. */
    public static final String BACKFILLED_OPERATION = "backfilled";

    /** Entity of the identity graph's sensors. */
    public static final String IDENTITY_ENTITY = "identity";

    /** Links a limit kept apart (two users, too many devices …). */
    public static final String IDENTITY_REFUSED_OPERATION = "refused";

    /** Customer ids absorbed into another customer. */
    public static final String IDENTITY_MERGED_OPERATION = "merged";

    /** Components regrouped in canonical order (a limit was involved, or a late link arrived). */
    public static final String IDENTITY_REGROUPED_OPERATION = "regrouped";

    /** Links into a component larger than {@code analytics.identity.max-component-size}. */
    public static final String IDENTITY_OVERSIZED_OPERATION = "oversized";

    private AnalyticsMetrics() {}
}
