package io.cxflow.platform.serde;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongFunction;
import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A typed, pre-configured, shareable Avro serde writing and reading the Confluent wire format (magic
 * byte 0, the 4-byte content id, the Avro binary). It ignores {@code configure} and {@code close} (it
 * is configured once and shared by many clients), names the topic and type in every failure, and
 * refuses a record whose schema is not the expected type.
 *
 * <p>The registry is Apicurio's business; the bytes are ours. The <b>first</b> record of each (topic,
 * schema) goes through Apicurio's serializer, which registers the schema under the topic's subject
 * (find-or-create, the registry's compatibility rule deciding) and frames it. Its content id is then
 * cached, and every later record is written by a cached {@link SpecificDatumWriter} behind the same
 * 5-byte prefix — the bytes Apicurio writes, without its per-record writer lookup and schema
 * fingerprinting. The first record's own encoding is compared with Apicurio's bytes, so a framing
 * change in Apicurio fails loudly instead of producing a second wire format.
 *
 * <p>It keeps one Apicurio serializer per topic: an Apicurio serializer caches "schema already
 * registered" by schema content alone, so a single instance writing the same type to a second topic
 * would never register the second topic's subject (nor have the registry check its compatibility).
 *
 * <p>Reading resolves each writer schema id once through the registry and caches a {@link
 * SpecificDatumReader} from that writer schema to the generated class's schema, so records written
 * with an older schema are read into the current class by Avro schema resolution.
 */
final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    private static final byte MAGIC_BYTE = 0;
    private static final int PREFIX_LENGTH = 5;

    private final Class<T> type;
    private final Serializer<T> serializer;
    private final Deserializer<T> deserializer;

    /**
     * @param avroSerializers makes a configured Apicurio serializer, one per topic (registration)
     * @param writerSchemas the writer schema of a content id, from the registry (may throw)
     * @param registry the registry's description, for error messages
     */
    AvroSerde(
            Class<T> type,
            Supplier<Serializer<T>> avroSerializers,
            LongFunction<Schema> writerSchemas,
            String registry) {
        this.type = type;
        SpecificData model = SpecificData.getForClass(type);
        this.serializer = new TypedSerializer<>(type, model, avroSerializers, registry);
        this.deserializer = new TypedDeserializer<>(type, model, writerSchemas, registry);
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

    /** A schema whose content id on one topic is known, with its cached writer. */
    private record Resolved<T>(Schema schema, int id, SpecificDatumWriter<T> writer) {}

    /** One topic: its Apicurio serializer (registration only) and the schemas resolved for it. */
    private static final class TopicState<T> {
        private final Serializer<T> apicurio;
        private final ConcurrentMap<Schema, Resolved<T>> bySchema = new ConcurrentHashMap<>();
        private volatile Resolved<T> last;

        TopicState(Serializer<T> apicurio) {
            this.apicurio = apicurio;
        }

        Resolved<T> lookup(Schema schema) {
            Resolved<T> hit = last;
            if (hit != null && hit.schema() == schema) {
                return hit;
            }
            hit = bySchema.get(schema);
            if (hit != null) {
                last = hit;
            }
            return hit;
        }
    }

    private static final class TypedSerializer<T extends SpecificRecord> implements Serializer<T> {

        private final Class<T> type;
        private final SpecificData model;
        private final Supplier<Serializer<T>> factory;
        private final String registry;
        private final ConcurrentMap<String, TopicState<T>> byTopic = new ConcurrentHashMap<>();
        private final ConcurrentMap<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();
        /** Initial buffer size: the largest record written so far, so most records need no regrowth. */
        private volatile int sizeHint = 256;

        TypedSerializer(Class<T> type, SpecificData model, Supplier<Serializer<T>> factory, String registry) {
            this.type = type;
            this.model = model;
            this.factory = factory;
            this.registry = registry;
        }

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
                TopicState<T> state = byTopic.computeIfAbsent(topic, t -> new TopicState<>(factory.get()));
                Schema schema = data.getSchema();
                Resolved<T> resolved = state.lookup(schema);
                if (resolved == null) {
                    return registerAndWrite(state, topic, headers, schema, data);
                }
                return write(resolved.id(), resolved.writer(), data);
            } catch (SerializationException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new SerializationException(
                        "Could not serialize " + type.getName() + " for topic " + topic + " with the " + registry + ": "
                                + rootMessage(e),
                        e);
            }
        }

        /**
         * The first record of a (topic, schema): Apicurio registers the schema and frames the record;
         * its bytes are returned as they are, and its content id is kept for the records that follow.
         * One thread per topic at a time, so a topic is registered once however many threads start
         * writing to it together.
         */
        private byte[] registerAndWrite(TopicState<T> state, String topic, Headers headers, Schema schema, T data)
                throws IOException {
            synchronized (state) {
                Resolved<T> resolved = state.lookup(schema);
                if (resolved != null) {
                    return write(resolved.id(), resolved.writer(), data);
                }
                byte[] framed = headers == null
                        ? state.apicurio.serialize(topic, data)
                        : state.apicurio.serialize(topic, headers, data);
                if (framed == null || framed.length < PREFIX_LENGTH || framed[0] != MAGIC_BYTE) {
                    throw new SerializationException("The registry serializer did not write the Confluent wire format"
                            + " (magic byte 0 and a 4-byte schema id) for " + type.getName() + " on topic " + topic);
                }
                int id = ByteBuffer.wrap(framed, 1, 4).getInt();
                SpecificDatumWriter<T> writer =
                        writers.computeIfAbsent(schema, s -> new SpecificDatumWriter<>(s, model));
                byte[] ours = write(id, writer, data);
                if (!Arrays.equals(ours, framed)) {
                    throw new SerializationException("The cached Avro writer's bytes for " + type.getName()
                            + " on topic " + topic + " (schema id " + id + ") differ from the registry serializer's;"
                            + " refusing to write a second wire format");
                }
                Resolved<T> fresh = new Resolved<>(schema, id, writer);
                state.bySchema.put(schema, fresh);
                state.last = fresh;
                return framed;
            }
        }

        private byte[] write(int id, SpecificDatumWriter<T> writer, T data) throws IOException {
            Output out = new Output(sizeHint);
            out.prefix(id);
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            writer.write(data, encoder);
            encoder.flush();
            int size = out.size();
            if (size > sizeHint) {
                sizeHint = Math.min(size, 1 << 20);
            }
            return out.toByteArray();
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

    /** How records written with one schema id are read: a reader, or why they cannot be. */
    private record Reader<T>(SpecificDatumReader<T> reader, String writerType) {}

    private static final class TypedDeserializer<T extends SpecificRecord> implements Deserializer<T> {

        private final Class<T> type;
        private final SpecificData model;
        private final Schema readerSchema;
        private final LongFunction<Schema> writerSchemas;
        private final String registry;
        private final ConcurrentMap<Integer, Reader<T>> byId = new ConcurrentHashMap<>();

        TypedDeserializer(Class<T> type, SpecificData model, LongFunction<Schema> writerSchemas, String registry) {
            this.type = type;
            this.model = model;
            this.readerSchema = Objects.requireNonNull(model.getSchema(type), "schema of " + type.getName());
            this.writerSchemas = writerSchemas;
            this.registry = registry;
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            return deserialize(topic, null, data);
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
            if (data == null) {
                return null;
            }
            if (data.length < PREFIX_LENGTH || data[0] != MAGIC_BYTE) {
                throw new SerializationException("Record on topic " + topic + " is not in the Confluent wire format"
                        + " (magic byte 0 and a 4-byte schema id); cannot read it as " + type.getName());
            }
            int id = ByteBuffer.wrap(data, 1, 4).getInt();
            Reader<T> reader;
            T value;
            try {
                reader = byId.get(id);
                if (reader == null) {
                    reader = byId.computeIfAbsent(id, this::reader);
                }
                if (reader.reader() == null) {
                    value = null;
                } else {
                    BinaryDecoder decoder =
                            DecoderFactory.get().binaryDecoder(data, PREFIX_LENGTH, data.length - PREFIX_LENGTH, null);
                    value = reader.reader().read(null, decoder);
                }
            } catch (IOException | RuntimeException e) {
                throw new SerializationException(
                        "Could not deserialize a record of topic " + topic + " written with schema id " + id + " as "
                                + type.getName() + " with the " + registry + ": " + rootMessage(e),
                        e);
            }
            if (value == null) {
                throw new SerializationException("Record on topic " + topic + " written with schema id " + id + " is a "
                        + reader.writerType() + ", not a " + type.getName());
            }
            return value;
        }

        /**
         * The reader for one writer schema id. A writer schema naming another type is refused (as a
         * cached verdict), like a record of another class would be.
         */
        private Reader<T> reader(int id) {
            Schema writer = writerSchemas.apply(Integer.toUnsignedLong(id));
            if (writer == null) {
                throw new IllegalStateException("No schema for id " + Integer.toUnsignedLong(id));
            }
            if (writer.getType() != Schema.Type.RECORD || !writer.getFullName().equals(readerSchema.getFullName())) {
                return new Reader<>(null, writer.getFullName());
            }
            return new Reader<>(new SpecificDatumReader<>(writer, readerSchema, model), writer.getFullName());
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

    /** An unsynchronized growable byte buffer starting with the 5-byte prefix. */
    private static final class Output extends OutputStream {
        private byte[] buf;
        private int count;

        Output(int capacity) {
            buf = new byte[Math.max(capacity, 64)];
        }

        void prefix(int id) {
            buf[0] = MAGIC_BYTE;
            buf[1] = (byte) (id >>> 24);
            buf[2] = (byte) (id >>> 16);
            buf[3] = (byte) (id >>> 8);
            buf[4] = (byte) id;
            count = PREFIX_LENGTH;
        }

        @Override
        public void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        int size() {
            return count;
        }

        byte[] toByteArray() {
            return count == buf.length ? buf : Arrays.copyOf(buf, count);
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
    }

    /** The deepest cause of a failure as {@code SimpleClassName: message}. */
    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
