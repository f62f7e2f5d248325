package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.AnalyticsMetrics;
import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.rejection.Rejections;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.TouchpointEvent;
import java.time.Instant;
import java.util.Objects;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates an event, reads the customer's stored profile and folds the event in. It does not write
 * the store: the profile is stored by the last processor of the chain, after every {@code
 * ProfileStage} has enriched it (the whole chain runs for one record before the next is read).
 */
public final class ProfileAggregateProcessor implements FixedKeyProcessor<String, TouchpointEvent, ProfileOutcome> {

    private static final Logger LOG = LoggerFactory.getLogger(ProfileAggregateProcessor.class);

    private final String profilesStoreName;
    private final ProfileAggregator aggregator;
    private final Serializer<TouchpointEvent> eventSerializer;
    private FixedKeyProcessorContext<String, ProfileOutcome> context;
    private KeyValueStore<String, CustomerProfile> profiles;
    private Sensor rejected;

    public ProfileAggregateProcessor(
            String profilesStoreName, ProfileSettings settings, Serializer<TouchpointEvent> eventSerializer) {
        this.profilesStoreName = Objects.requireNonNull(profilesStoreName, "profilesStoreName");
        this.aggregator = new ProfileAggregator(settings);
        this.eventSerializer = Objects.requireNonNull(eventSerializer, "eventSerializer");
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ProfileOutcome> context) {
        this.context = context;
        this.profiles = context.getStateStore(profilesStoreName);
        this.rejected = context.metrics()
                .addRateTotalSensor(
                        AnalyticsMetrics.STREAMS_SCOPE,
                        AnalyticsMetrics.PROFILE_ENTITY,
                        AnalyticsMetrics.REJECTED_OPERATION,
                        Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(FixedKeyRecord<String, TouchpointEvent> record) {
        String key = record.key();
        TouchpointEvent event = record.value();
        if (event == null) {
            reject(record, null, new InvalidEventException("missing_value", null, "the record has no value"));
            return;
        }
        String routingId = routingId(event);
        if (routingId == null) {
            reject(
                    record,
                    event,
                    new InvalidEventException(
                            "missing_routing_id", "userId", "the event has neither userId nor anonymousId"));
            return;
        }
        if (key == null || key.isBlank()) {
            reject(
                    record,
                    event,
                    new InvalidEventException(
                            "missing_key", null, "the record has no key; the key must be the routing id"));
            return;
        }
        if (!key.equals(routingId)) {
            reject(
                    record,
                    event,
                    new InvalidEventException(
                            "key_mismatch", null, "the record key is not the routing id (userId, else anonymousId)"));
            return;
        }
        CustomerProfile before = profiles.get(key);
        CustomerProfile after;
        try {
            after = aggregator.apply(key, before, event);
        } catch (InvalidEventException e) {
            reject(record, event, e);
            return;
        }
        context.forward(record.withValue(ProfileOutcome.changed(new ProfileChange(key, before, after, event))));
    }

    /** userId, else anonymousId; {@code null} when the event has neither. */
    static String routingId(TouchpointEvent event) {
        if (event.getUserId() != null && !event.getUserId().isBlank()) {
            return event.getUserId();
        }
        if (event.getAnonymousId() != null && !event.getAnonymousId().isBlank()) {
            return event.getAnonymousId();
        }
        return null;
    }

    private void reject(
            FixedKeyRecord<String, TouchpointEvent> record, TouchpointEvent event, InvalidEventException e) {
        RecordMetadata origin = context.recordMetadata().orElse(null);
        String topic = origin == null ? null : origin.topic();
        int partition = origin == null ? -1 : origin.partition();
        long offset = origin == null ? -1L : origin.offset();
        LOG.warn(
                "rejecting event topic={} partition={} offset={} code={} field={}",
                topic,
                partition,
                offset,
                e.code(),
                e.field());
        rejected.record();
        byte[] payload = event == null ? null : eventSerializer.serialize(topic, event);
        context.forward(record.withValue(ProfileOutcome.rejected(Rejections.rejection(
                e.code(),
                e.field(),
                e.getMessage(),
                event == null ? null : event.getSourceId(),
                payload,
                event == null ? null : Rejections.AVRO_CONTENT_TYPE,
                topic,
                partition,
                offset,
                Instant.ofEpochMilli(context.currentSystemTimeMs())))));
    }
}
