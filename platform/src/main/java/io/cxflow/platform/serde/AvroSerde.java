package io.cxflow.platform.serde;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A typed, pre-configured, shareable serde over Apicurio's Avro serializer and deserializer. It ignores
 * {@code configure} and {@code close} (it is configured once and shared by many clients), names the
 * topic and type in every failure, and refuses a record whose schema is not the expected type.
 *
 * <p>It keeps one Apicurio serializer per topic: an Apicurio serializer caches "schema already
 * registered" by schema content alone, so a single instance writing the same type to a second topic
 * would never register the second topic's subject (nor have the registry check its compatibility).
 */
final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private final Serializer<T> serializer;
    private final Deserializer<T> deserializer;

    AvroSerde(
            Class<T> type, Supplier<Serializer<T>> avroSerializers, Deserializer<T> avroDeserializer, String registry) {
        this.type = type;
        this.serializer = new TypedSerializer<>(type, avroSerializers, new ConcurrentHashMap<>(), registry);
        this.deserializer = new TypedDeserializer<>(type, avroDeserializer, registry);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        // configured once when created
    }

    @Override
    public void close() {
        // shared: the provider owns the resources
    }

    @Override
    public String toString() {
        return "AvroSerde[" + type.getName() + "]";
    }

    private record TypedSerializer<T>(
            Class<T> type,
            Supplier<Serializer<T>> factory,
            ConcurrentMap<String, Serializer<T>> byTopic,
            String registry)
            implements Serializer<T> {

        @Override
        public byte[] serialize(String topic, T data) {
            return serialize(topic, null, data);
        }

        @Override
        public byte[] serialize(String topic, Headers headers, T data) {
            if (data == null) {
                return null;
            }
            try {
                Serializer<T> delegate = byTopic.computeIfAbsent(topic, t -> factory.get());
                return headers == null ? delegate.serialize(topic, data) : delegate.serialize(topic, headers, data);
            } catch (SerializationException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new SerializationException(
                        "Could not serialize " + type.getName() + " for topic " + topic + " with the " + registry + ": "
                                + rootMessage(e),
                        e);
            }
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            // configured once when created
        }

        @Override
        public void close() {
            // shared: the provider owns the resources
        }
    }

    private record TypedDeserializer<T>(Class<T> type, Deserializer<T> delegate, String registry)
            implements Deserializer<T> {

        @Override
        public T deserialize(String topic, byte[] data) {
            return deserialize(topic, null, data);
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
            if (data == null) {
                return null;
            }
            if (data.length < 5 || data[0] != 0) {
                throw new SerializationException("Record on topic " + topic + " is not in the Confluent wire format"
                        + " (magic byte 0 and a 4-byte schema id); cannot read it as " + type.getName());
            }
            Object value;
            try {
                value = headers == null
                        ? delegate.deserialize(topic, data)
                        : delegate.deserialize(topic, headers, data);
            } catch (SerializationException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new SerializationException(
                        "Could not deserialize a record of topic " + topic + " written with schema id "
                                + schemaId(data) + " as " + type.getName() + " with the " + registry + ": "
                                + rootMessage(e),
                        e);
            }
            if (!type.isInstance(value)) {
                throw new SerializationException("Record on topic " + topic + " written with schema id "
                        + schemaId(data) + " is a " + describe(value) + ", not a " + type.getName());
            }
            return type.cast(value);
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            // configured once when created
        }

        @Override
        public void close() {
            // shared: the provider owns the resources
        }

        private static int schemaId(byte[] data) {
            return ByteBuffer.wrap(data, 1, 4).getInt();
        }

        private static String describe(Object value) {
            if (value instanceof SpecificRecord record) {
                return record.getSchema().getFullName();
            }
            return value == null ? "null" : value.getClass().getName();
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
