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

    /** Events routed to the rejected topic by the profile aggregation. */
    public static final String REJECTED_OPERATION = "rejected";

    /** Customers entering a segment. */
    public static final String ENTERED_OPERATION = "entered";

    /** Customers leaving a segment. */
    public static final String EXITED_OPERATION = "exited";

    /** Segment conditions that failed to evaluate (counted as not holding). */
    public static final String EVALUATION_ERROR_OPERATION = "evaluation-error";

    private AnalyticsMetrics() {}
}
