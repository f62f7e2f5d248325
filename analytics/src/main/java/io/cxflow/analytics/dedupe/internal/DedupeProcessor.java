package io.cxflow.analytics.dedupe.internal;

import io.cxflow.analytics.AnalyticsMetrics;
import io.cxflow.analytics.dedupe.DedupeTopology;
import io.cxflow.avro.TouchpointEvent;
import java.util.Objects;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards an event unless the same {@code (sourceId, messageId)} has an entry within {@code window}
 * of its {@code receivedAt}, before or after (a late redelivery and an out-of-order earlier copy are
 * both duplicates); remembers every forwarded event at its {@code receivedAt}.
 */
public final class DedupeProcessor implements FixedKeyProcessor<String, TouchpointEvent, TouchpointEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(DedupeProcessor.class);

    private final String storeName;
    private final long windowMs;
    private FixedKeyProcessorContext<String, TouchpointEvent> context;
    private WindowStore<String, Long> seen;
    private Sensor duplicates;

    public DedupeProcessor(String storeName, long windowMs) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        if (windowMs <= 0) {
            throw new IllegalArgumentException("windowMs must be positive: " + windowMs);
        }
        this.windowMs = windowMs;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, TouchpointEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
        this.duplicates = context.metrics()
                .addRateTotalSensor(
                        AnalyticsMetrics.STREAMS_SCOPE,
                        AnalyticsMetrics.DEDUPE_ENTITY,
                        AnalyticsMetrics.DUPLICATE_OPERATION,
                        Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(FixedKeyRecord<String, TouchpointEvent> record) {
        TouchpointEvent event = record.value();
        if (event == null) {
            context.forward(record);
            return;
        }
        String key = DedupeTopology.key(event.getSourceId(), event.getMessageId());
        long receivedAt = event.getReceivedAt().toEpochMilli();
        long from = Math.max(0L, receivedAt - windowMs);
        long to = receivedAt > Long.MAX_VALUE - windowMs ? Long.MAX_VALUE : receivedAt + windowMs;
        RecordMetadata origin = context.recordMetadata().orElse(null);
        try (WindowStoreIterator<Long> earlier = seen.fetch(key, from, to)) {
            if (earlier.hasNext()) {
                duplicates.record();
                if (LOG.isDebugEnabled()) {
                    LOG.debug(
                            "dropping duplicate topic={} partition={} offset={} sourceId={} messageId={} firstOffset={}",
                            origin == null ? null : origin.topic(),
                            origin == null ? -1 : origin.partition(),
                            origin == null ? -1L : origin.offset(),
                            event.getSourceId(),
                            event.getMessageId(),
                            earlier.next().value);
                }
                return;
            }
        }
        seen.put(key, origin == null ? -1L : origin.offset(), receivedAt);
        context.forward(record);
    }
}
