package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.AnalyticsMetrics;
import io.cxflow.analytics.identity.IdentitySettings;
import io.cxflow.analytics.identity.internal.IdentifierKeys;
import io.cxflow.analytics.identity.internal.Link;
import io.cxflow.analytics.identity.internal.LinkOrder;
import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.rejection.Rejections;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.EventType;
import io.cxflow.avro.TouchpointEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing task of an event (partitioned like {@code cx.events.v1}, by routing id): validates the
 * event, folds it into the partial profile of its routing identifier ({@code userId:…}, else {@code
 * anonymousId:…}), sends the identity graph every pair of identifiers not linked before (or now seen
 * earlier), and sends the new partial to the routing id's current customer.
 */
public final class RoutingProcessor implements Processor<String, TouchpointEvent, String, RoutingOutput> {

    private static final Logger LOG = LoggerFactory.getLogger(RoutingProcessor.class);

    private final String partialsStore;
    private final String linksStore;
    private final String assignmentsStore;
    private final ProfileAggregator aggregator;
    private final IdentitySettings identity;
    private final Serializer<TouchpointEvent> eventSerializer;
    private final PartialCodec codec;
    private ProcessorContext<String, RoutingOutput> context;
    private KeyValueStore<String, byte[]> partials;
    private DecodedPartials decoded;
    private KeyValueStore<String, byte[]> links;
    private KeyValueStore<String, String> assignments;
    private Sensor rejected;

    public RoutingProcessor(
            String partialsStore,
            String linksStore,
            String assignmentsStore,
            ProfileSettings settings,
            IdentitySettings identity,
            Serializer<TouchpointEvent> eventSerializer,
            PartialCodec codec) {
        this.partialsStore = partialsStore;
        this.linksStore = linksStore;
        this.assignmentsStore = assignmentsStore;
        this.aggregator = new ProfileAggregator(settings, identity);
        this.identity = Objects.requireNonNull(identity, "identity");
        this.eventSerializer = Objects.requireNonNull(eventSerializer, "eventSerializer");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @Override
    public void init(ProcessorContext<String, RoutingOutput> context) {
        this.context = context;
        this.partials = context.getStateStore(partialsStore);
        this.decoded = DecodedPartials.shared(codec);
        this.links = context.getStateStore(linksStore);
        this.assignments = context.getStateStore(assignmentsStore);
        this.rejected = context.metrics()
                .addRateTotalSensor(
                        AnalyticsMetrics.STREAMS_SCOPE,
                        AnalyticsMetrics.PROFILE_ENTITY,
                        AnalyticsMetrics.REJECTED_OPERATION,
                        Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(Record<String, TouchpointEvent> record) {
        String key = record.key();
        TouchpointEvent event = record.value();
        if (event == null) {
            reject(record, null, new InvalidEventException("missing_value", null, "the record has no value"));
            return;
        }
        String routingValue = routingValue(event);
        if (routingValue == null) {
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
        if (!key.equals(routingValue)) {
            reject(
                    record,
                    event,
                    new InvalidEventException(
                            "key_mismatch", null, "the record key is not the routing id (userId, else anonymousId)"));
            return;
        }
        String routingKey = IdentifierKeys.key(
                isBlank(event.getUserId()) ? IdentitySettings.ANONYMOUS_ID : IdentitySettings.USER_ID,
                routingValue.trim());
        CustomerProfile before = decoded.get(partialsStore, routingKey, partials.get(routingKey));
        List<String> identifiers = new ArrayList<>();
        CustomerProfile partial;
        try {
            partial = aggregator.apply(routingKey, before, event, identifiers);
        } catch (InvalidEventException e) {
            reject(record, event, e);
            return;
        }
        byte[] encoded = PartialCodec.encode(partial);
        partials.put(routingKey, encoded);
        decoded.put(routingKey, encoded, partial);
        long time = event.getTimestamp().toEpochMilli();
        for (LinkCandidate candidate : candidates(routingKey, event, identifiers)) {
            LinkOrder order = new LinkOrder(
                    time, event.getSourceId(), event.getMessageId(), identity.priorityOf(candidate.type()));
            String pair = routingKey + '\u0000' + candidate.key();
            LinkOrder known = decode(links.get(pair));
            if (known != null && !order.before(known)) {
                continue;
            }
            links.put(pair, encode(order));
            context.forward(new Record<>(
                    routingKey,
                    RoutingOutput.of(new Link(routingKey, candidate.key(), order, candidate.alias())),
                    record.timestamp()));
        }
        String customer = assignments.get(routingKey);
        if (customer == null) {
            customer = IdentifierKeys.ownCustomer(routingKey);
        }
        context.forward(new Record<>(
                customer,
                RoutingOutput.of(CustomerOp.part(routingKey, encoded, reason(event), time, event.getSourceId())),
                record.timestamp()));
    }

    private record LinkCandidate(String key, String type, boolean alias) {}

    /** The identifiers the routing id is linked to by this event. */
    private static List<LinkCandidate> candidates(String routingKey, TouchpointEvent event, List<String> identifiers) {
        Set<String> seen = new LinkedHashSet<>();
        List<LinkCandidate> out = new ArrayList<>();
        for (String identifier : identifiers) {
            if (!identifier.equals(routingKey) && seen.add(identifier)) {
                out.add(new LinkCandidate(identifier, IdentifierKeys.type(identifier), false));
            }
        }
        if (event.getType() == EventType.ALIAS
                && !isBlank(event.getPreviousId())
                && IdentifierKeys.isUser(routingKey)) {
            String previous = event.getPreviousId().trim();
            for (String type : List.of(IdentitySettings.USER_ID, IdentitySettings.ANONYMOUS_ID)) {
                String key = IdentifierKeys.key(type, previous);
                if (!key.equals(routingKey) && seen.add(key + "\u0000alias")) {
                    out.add(new LinkCandidate(key, type, true));
                }
            }
        }
        return out;
    }

    /** The reason a segment change names for an event, e.g. {@code event "Order Completed" (track, messageId m-1)}. */
    public static String reason(TouchpointEvent cause) {
        String type = cause.getType().name().toLowerCase(Locale.ROOT);
        String name =
                switch (cause.getType()) {
                    case TRACK -> cause.getEvent();
                    case PAGE -> ProfileAggregator.PAGE_VIEWED;
                    case SCREEN -> ProfileAggregator.SCREEN_VIEWED;
                    case IDENTIFY, GROUP, ALIAS -> null;
                };
        String what = name == null ? "event " + type : "event \"" + name + "\"";
        return what + " (" + type + ", messageId " + cause.getMessageId() + ")";
    }

    static byte[] encode(LinkOrder order) {
        byte[] source = order.sourceId().getBytes(StandardCharsets.UTF_8);
        byte[] message = order.messageId().getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + 4 + 4 + source.length + 4 + message.length)
                .putLong(order.time())
                .putInt(order.priority())
                .putInt(source.length)
                .put(source)
                .putInt(message.length)
                .put(message)
                .array();
    }

    static LinkOrder decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        long time = buffer.getLong();
        int priority = buffer.getInt();
        byte[] source = new byte[buffer.getInt()];
        buffer.get(source);
        byte[] message = new byte[buffer.getInt()];
        buffer.get(message);
        return new LinkOrder(
                time,
                new String(source, StandardCharsets.UTF_8),
                new String(message, StandardCharsets.UTF_8),
                priority);
    }

    /** userId, else anonymousId, trimmed as the collector keys events; {@code null} when neither. */
    static String routingValue(TouchpointEvent event) {
        if (!isBlank(event.getUserId())) {
            return event.getUserId();
        }
        if (!isBlank(event.getAnonymousId())) {
            return event.getAnonymousId();
        }
        return null;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    private void reject(Record<String, TouchpointEvent> record, TouchpointEvent event, InvalidEventException e) {
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
        String sourceId = event == null ? null : event.getSourceId();
        context.forward(new Record<>(
                sourceId,
                RoutingOutput.of(Rejections.rejection(
                        e.code(),
                        e.field(),
                        e.getMessage(),
                        sourceId,
                        payload,
                        event == null ? null : Rejections.AVRO_CONTENT_TYPE,
                        topic,
                        partition,
                        offset,
                        Instant.ofEpochMilli(context.currentSystemTimeMs()))),
                record.timestamp()));
    }
}
