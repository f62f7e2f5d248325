package io.cxflow.collector;

/** Names and tags of every metric the collector publishes. */
public final class CollectorMetrics {

    /** Counter: messages written to {@code cx.events.v1} and acknowledged; tags {@code source}, {@code type}. */
    public static final String EVENTS_ACCEPTED = "cx.collector.events.accepted";
    /**
     * Counter: messages refused; tags {@code source} ({@code unknown} before authentication) and {@code
     * reason} (the error code).
     */
    public static final String EVENTS_REJECTED = "cx.collector.events.rejected";
    /** Timer with histogram: HTTP request latency; tags {@code route}, {@code status}. */
    public static final String REQUEST_LATENCY = "cx.collector.request.latency";
    /** Distribution: messages per batch request; tag {@code source}. */
    public static final String BATCH_SIZE = "cx.collector.batch.size";
    /** Distribution: request body bytes after decompression; tag {@code route}. */
    public static final String REQUEST_BYTES = "cx.collector.request.bytes";
    /** Timer with histogram: from producer send to broker acknowledgement, per record; tag {@code topic}. */
    public static final String PUBLISH_LATENCY = "cx.collector.publish.latency";
    /** Counter: records the producer failed to write; tags {@code topic}, {@code error} (exception class). */
    public static final String PUBLISH_ERRORS = "cx.collector.publish.errors";
    /** Counter: requests answered 503 because the broker did not acknowledge in time; tag {@code cause}. */
    public static final String PUBLISH_UNAVAILABLE = "cx.collector.publish.unavailable";
    /** Gauge: serialized record bytes handed to the producer and not yet acknowledged or failed. */
    public static final String IN_FLIGHT_BYTES = "cx.collector.inflight.bytes";

    public static final String TAG_SOURCE = "source";
    public static final String TAG_TYPE = "type";
    public static final String TAG_REASON = "reason";
    public static final String TAG_ROUTE = "route";
    public static final String TAG_STATUS = "status";
    public static final String TAG_TOPIC = "topic";
    public static final String TAG_ERROR = "error";
    public static final String TAG_CAUSE = "cause";

    /** The {@code source} tag of a request whose source is not known. */
    public static final String UNKNOWN_SOURCE = "unknown";

    private CollectorMetrics() {}
}
