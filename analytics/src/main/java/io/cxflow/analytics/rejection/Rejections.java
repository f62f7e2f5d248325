package io.cxflow.analytics.rejection;

import io.cxflow.avro.RecordOrigin;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How the analytics topologies reject a record: a {@link RejectedEvent} on {@code
 * cx.events.rejected.v1} with the record's topic, partition and offset, the raw bytes and the reason.
 * The stream then goes on with the next record.
 */
public final class Rejections {

    /** {@code RejectedEvent.stage} of every rejection made here. */
    public static final String STAGE = "analytics";

    /** Content type of a payload that holds a record value in the registry's Avro wire format. */
    public static final String AVRO_CONTENT_TYPE = "application/vnd.cxflow.avro";

    /** Streams config key: the concrete name of the rejected topic, read by the handlers. */
    public static final String REJECTED_TOPIC_CONFIG = "cx.analytics.rejected.topic";

    /** Streams config key: the {@code Serializer<RejectedEvent>} instance the handlers write with. */
    public static final String REJECTED_SERIALIZER_CONFIG = "cx.analytics.rejected.serializer";

    private Rejections() {}

    /**
     * The Streams configuration that routes undecodable records and unexpected processing failures to
     * the rejected topic of {@code topics}. Merge it into the application's Streams config.
     */
    public static Map<String, Object> streamsConfig(Topics topics) {
        return Map.of(
                StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                RejectingDeserializationExceptionHandler.class,
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                RejectingProcessingExceptionHandler.class,
                REJECTED_TOPIC_CONFIG,
                topics.rejected().name(),
                REJECTED_SERIALIZER_CONFIG,
                topics.rejected().valueSerde().serializer());
    }

    /**
     * A rejection made inside a stream.
     *
     * @param code machine-readable reason, e.g. {@code missing_field}
     * @param field the offending field, or {@code null}
     * @param reason human-readable reason (never the payload's content)
     * @param sourceId the source the record came from, when known
     * @param payload the record value's bytes ({@code null} reads as empty)
     * @param contentType what {@code payload} is, or {@code null}
     * @param topic where the record was read
     * @param partition its partition
     * @param offset its offset
     * @param at when it was rejected
     */
    public static RejectedEvent rejection(
            String code,
            String field,
            String reason,
            String sourceId,
            byte[] payload,
            String contentType,
            String topic,
            int partition,
            long offset,
            Instant at) {
        return RejectedEvent.newBuilder()
                .setSourceId(sourceId)
                .setRejectedAt(at)
                .setStage(STAGE)
                .setCode(code)
                .setReason(reason)
                .setField(field)
                .setBatchIndex(null)
                .setPayload(ByteBuffer.wrap(payload == null ? new byte[0] : payload))
                .setContentType(contentType)
                .setOrigin(topic == null ? null : new RecordOrigin(topic, partition, offset))
                .build();
    }

    /** Where a handler writes rejected records: the rejected topic and the serializer of its values. */
    record Target(String topic, Serializer<RejectedEvent> serializer) {

        /**
         * Reads the target from the handler configs that {@link #streamsConfig} sets.
         *
         * @param handler the handler's name, for the error when the configs are missing
         */
        @SuppressWarnings("unchecked")
        static Target from(Map<String, ?> configs, String handler) {
            Object topic = configs.get(REJECTED_TOPIC_CONFIG);
            Object ser = configs.get(REJECTED_SERIALIZER_CONFIG);
            if (!(topic instanceof String) || !(ser instanceof Serializer)) {
                throw new ConfigException("the rejecting " + handler + " handler needs " + REJECTED_TOPIC_CONFIG
                        + " and " + REJECTED_SERIALIZER_CONFIG + ": use Rejections.streamsConfig(topics)");
            }
            return new Target((String) topic, (Serializer<RejectedEvent>) ser);
        }

        /** The rejected record, serialized, ready to hand back to Kafka Streams. */
        ProducerRecord<byte[], byte[]> record(byte[] key, RejectedEvent rejected) {
            return new ProducerRecord<>(topic, null, key, serializer.serialize(topic, rejected));
        }
    }
}
