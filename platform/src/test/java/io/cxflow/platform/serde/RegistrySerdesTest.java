package io.cxflow.platform.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.cxflow.avro.Context;
import io.cxflow.avro.EventType;
import io.cxflow.avro.PageContext;
import io.cxflow.avro.SegmentDefinition;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.schemas.Topic;
import io.cxflow.schemas.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class RegistrySerdesTest {

    private static final String TOPIC = "cx.events.v1";

    private final InMemoryRegistryClient registry = new InMemoryRegistryClient();
    private final RegistrySerdes serdes = RegistrySerdes.inMemory(registry);

    @Test
    void shouldRoundTripATouchpointEventAsItsGeneratedClass() {
        Serde<TouchpointEvent> serde = serdes.avro(TouchpointEvent.class, false);
        TouchpointEvent event = event("m-1");

        byte[] bytes = serde.serializer().serialize(TOPIC, event);
        TouchpointEvent back = serde.deserializer().deserialize(TOPIC, bytes);

        assertThat(back).isInstanceOf(TouchpointEvent.class).isEqualTo(event);
        assertThat(back.getContext().getPage().getPath()).isEqualTo("/checkout");
    }

    @Test
    void shouldWriteTheConfluentWireFormatWithTheContentIdOfTheTopicValueSubject() throws IOException {
        Serde<TouchpointEvent> serde = serdes.avro(TouchpointEvent.class, false);

        byte[] bytes = serde.serializer().serialize(TOPIC, event("m-1"));

        long contentId = registry.latestContentId(TOPIC + "-value").orElseThrow();
        assertThat(bytes[0]).as("magic byte").isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).as("4-byte schema id").isEqualTo((int) contentId);
        assertThat(registry.artifactIds()).containsExactly(TOPIC + "-value");
        // the rest is the plain Avro binary of the record
        assertThat(Arrays.copyOfRange(bytes, 5, bytes.length)).isEqualTo(rawAvro(event("m-1")));
    }

    @Test
    void shouldRegisterTheSchemaSelfContainedSoConfluentClientsNeedNoReferences() {
        serdes.avro(TouchpointEvent.class, false).serializer().serialize(TOPIC, event("m-1"));

        long contentId = registry.latestContentId(TOPIC + "-value").orElseThrow();
        Schema registered = new Schema.Parser().parse(registry.getSchemaByContentId(contentId));
        assertThat(registered).isEqualTo(TouchpointEvent.getClassSchema());
        assertThat(registry.getReferencesByContentId(contentId)).isEmpty();
    }

    @Test
    void shouldNotHeaderTheRecordWhenHeadersArePassed() {
        RecordHeaders headers = new RecordHeaders();
        Serde<TouchpointEvent> serde = serdes.avro(TouchpointEvent.class, false);

        byte[] bytes = serde.serializer().serialize(TOPIC, headers, event("m-1"));

        assertThat(headers.toArray()).isEmpty();
        assertThat(bytes[0]).isZero();
        assertThat(serde.deserializer().deserialize(TOPIC, headers, bytes)).isEqualTo(event("m-1"));
    }

    @Test
    void shouldRegisterTheSubjectOfEveryTopicTheSameSerdeWritesTo() {
        // e.g. ActivationResult goes to cx.activations.v1 and cx.activations.dlq.v1
        Serde<TouchpointEvent> serde = serdes.avro(TouchpointEvent.class, false);

        byte[] first = serde.serializer().serialize("topic-a", event("m-1"));
        byte[] second = serde.serializer().serialize("topic-b", event("m-2"));

        assertThat(registry.artifactIds()).containsExactly("topic-a-value", "topic-b-value");
        assertThat(ByteBuffer.wrap(second, 1, 4).getInt())
                .as("same content, same id")
                .isEqualTo(ByteBuffer.wrap(first, 1, 4).getInt());
    }

    @Test
    void shouldRegisterKeysUnderTheTopicKeySubject() {
        Serde<SegmentDefinition> keySerde = serdes.avro(SegmentDefinition.class, true);

        byte[] bytes = keySerde.serializer().serialize("cx.segment-definitions.v1", definition("vip"));

        assertThat(registry.artifactIds()).containsExactly("cx.segment-definitions.v1-key");
        assertThat(keySerde.deserializer().deserialize("cx.segment-definitions.v1", bytes))
                .isEqualTo(definition("vip"));
    }

    @Test
    void shouldPassNullsThroughForTombstones() {
        Serde<SegmentDefinition> serde = serdes.avro(SegmentDefinition.class, false);

        assertThat(serde.serializer().serialize("t", null)).isNull();
        assertThat(serde.deserializer().deserialize("t", null)).isNull();
        assertThat(registry.artifactIds()).isEmpty();
    }

    @Test
    void shouldHandOutOneSerdePerTypeAndSide() {
        assertThat(serdes.avro(TouchpointEvent.class, false)).isSameAs(serdes.avro(TouchpointEvent.class, false));
        assertThat(serdes.avro(TouchpointEvent.class, true)).isNotSameAs(serdes.avro(TouchpointEvent.class, false));
    }

    @Test
    void shouldDecodeRecordsWrittenByAnotherProviderOnTheSameRegistry() {
        RegistrySerdes producerSide = RegistrySerdes.inMemory(registry);

        byte[] bytes =
                producerSide.avro(TouchpointEvent.class, false).serializer().serialize(TOPIC, event("m-9"));

        assertThat(serdes.avro(TouchpointEvent.class, false).deserializer().deserialize(TOPIC, bytes))
                .isEqualTo(event("m-9"));
    }

    @Test
    void shouldReadARecordWrittenWithAnOlderSchemaIntoTheCurrentClass() throws IOException {
        // Given a record written before SegmentDefinition had 'description' and 'tags'
        Schema old = new Schema.Parser().parse("""
                {"type": "record", "name": "SegmentDefinition", "namespace": "io.cxflow.avro", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "name", "type": "string"},
                  {"name": "condition", "type": "string"},
                  {"name": "topic", "type": "boolean", "default": false},
                  {"name": "version", "type": "long", "default": 1},
                  {"name": "updatedAt", "type": {"type": "long", "logicalType": "timestamp-millis"}},
                  {"name": "deleted", "type": "boolean", "default": false}
                ]}""");
        long oldId = registry.register("cx.segment-definitions.v1-value", old.toString());
        GenericRecord written = new GenericData.Record(old);
        written.put("id", "vip");
        written.put("name", "VIP");
        written.put("condition", "profile.orders.count >= 2");
        written.put("topic", true);
        written.put("version", 3L);
        written.put("updatedAt", 1_700_000_000_000L);
        written.put("deleted", false);
        byte[] bytes = confluentFrame(oldId, old, written);

        // When
        SegmentDefinition read = serdes.avro(SegmentDefinition.class, false)
                .deserializer()
                .deserialize("cx.segment-definitions.v1", bytes);

        // Then
        assertThat(read.getId()).isEqualTo("vip");
        assertThat(read.getVersion()).isEqualTo(3L);
        assertThat(read.getTopic()).isTrue();
        assertThat(read.getDescription()).isNull();
        assertThat(read.getTags()).isEmpty();
        assertThat(read.getUpdatedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void shouldRefuseARecordOfAnotherTypeWithAClearError() {
        byte[] definitionBytes =
                serdes.avro(SegmentDefinition.class, false).serializer().serialize("mixed", definition("vip"));

        assertThatThrownBy(() ->
                        serdes.avro(TouchpointEvent.class, false).deserializer().deserialize("mixed", definitionBytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("io.cxflow.avro.SegmentDefinition")
                .hasMessageContaining("not a io.cxflow.avro.TouchpointEvent")
                .hasMessageContaining("mixed");
    }

    @Test
    void shouldRefuseBytesThatAreNotConfluentFramed() {
        Serde<TouchpointEvent> serde = serdes.avro(TouchpointEvent.class, false);

        assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, "{\"json\":true}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("not in the Confluent wire format");
    }

    @Test
    void shouldNameTheUnknownSchemaIdWhenTheRegistryDoesNotKnowIt() {
        byte[] bytes = serdes.avro(TouchpointEvent.class, false).serializer().serialize(TOPIC, event("m-1"));
        ByteBuffer.wrap(bytes, 1, 4).putInt(4242);

        assertThatThrownBy(() -> RegistrySerdes.inMemory()
                        .avro(TouchpointEvent.class, false)
                        .deserializer()
                        .deserialize(TOPIC, bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 4242")
                .hasMessageContaining("No content with id 4242");
    }

    @Test
    void shouldRefuseToSerializeWhenTheTopicAlreadyHoldsABackwardIncompatibleSchema() {
        // Given the subject holds a schema whose records this class cannot be read by: a required field
        // the current TouchpointEvent does not have
        Schema other = new Schema.Parser().parse("""
                {"type": "record", "name": "TouchpointEvent", "namespace": "io.cxflow.avro", "fields": [
                  {"name": "messageId", "type": "string"}
                ]}""");
        registry.register(TOPIC + "-value", other.toString());

        // When / Then the current class adds required fields without defaults: refused
        assertThatThrownBy(() ->
                        serdes.avro(TouchpointEvent.class, false).serializer().serialize(TOPIC, event("m-1")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(TOPIC)
                .hasMessageContaining("Incompatible artifact");
    }

    @Test
    void shouldSerializeFromManyThreadsWithOneRegistrationPerSubject() throws Exception {
        Serde<TouchpointEvent> serde = serdes.avro(TouchpointEvent.class, false);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<TouchpointEvent>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String id = "m-" + i;
                results.add(pool.submit(() -> serde.deserializer()
                        .deserialize(TOPIC, serde.serializer().serialize(TOPIC, event(id)))));
            }
            Set<String> ids = new HashSet<>();
            for (Future<TouchpointEvent> result : results) {
                ids.add(result.get().getMessageId());
            }
            assertThat(ids).hasSize(400);
        } finally {
            pool.shutdownNow();
        }
        assertThat(registry.artifactIds()).containsExactly(TOPIC + "-value");
        assertThat(registry.latestContentId(TOPIC + "-value")).contains(1L);
    }

    @Test
    void shouldWriteTheSameBytesAsApicuriosOwnSerializer() {
        // Given Apicurio's serializer, configured as the serdes configure it, on the same registry
        AvroKafkaSerializer<TouchpointEvent> apicurio = new AvroKafkaSerializer<>(registry);
        apicurio.configure(RegistrySerdes.serdeConfig(), false);
        Serde<TouchpointEvent> serde = serdes.avro(TouchpointEvent.class, false);

        // When / Then every record, the first (registration) and the cached-writer ones after it
        for (int i = 0; i < 50; i++) {
            TouchpointEvent record = i % 2 == 0 ? SerdeThroughput.realisticEvent(i) : event("m-" + i);
            byte[] ours = serde.serializer().serialize(TOPIC, record);
            assertThat(ours).as("record %d", i).isEqualTo(apicurio.serialize(TOPIC, record));
        }
        assertThat(registry.artifactIds()).containsExactly(TOPIC + "-value");
    }

    @Test
    void shouldWriteTheSameKeyBytesAsApicuriosOwnSerializer() {
        AvroKafkaSerializer<SegmentDefinition> apicurio = new AvroKafkaSerializer<>(registry);
        apicurio.configure(RegistrySerdes.serdeConfig(), true);
        Serde<SegmentDefinition> keySerde = serdes.avro(SegmentDefinition.class, true);

        for (String id : List.of("vip", "churn-risk", "new")) {
            assertThat(keySerde.serializer().serialize("defs", definition(id)))
                    .isEqualTo(apicurio.serialize("defs", definition(id)));
        }
        assertThat(registry.artifactIds()).containsExactly("defs-key");
    }

    @Test
    void shouldReadRecordsWrittenByApicuriosOwnSerializer() {
        AvroKafkaSerializer<TouchpointEvent> apicurio = new AvroKafkaSerializer<>(registry);
        apicurio.configure(RegistrySerdes.serdeConfig(), false);
        Serde<TouchpointEvent> serde = serdes.avro(TouchpointEvent.class, false);

        for (int i = 0; i < 20; i++) {
            TouchpointEvent record = SerdeThroughput.realisticEvent(i);
            assertThat(serde.deserializer().deserialize(TOPIC, apicurio.serialize(TOPIC, record)))
                    .isEqualTo(record);
        }
    }

    @Test
    void shouldRegisterASecondTopicAfterTheFirstIsCached() {
        Serde<TouchpointEvent> serde = serdes.avro(TouchpointEvent.class, false);
        for (int i = 0; i < 10; i++) {
            serde.serializer().serialize("topic-a", event("m-" + i));
        }

        serde.serializer().serialize("topic-b", event("m-x"));
        serde.serializer().serialize("topic-a", event("m-y"));

        assertThat(registry.artifactIds()).containsExactly("topic-a-value", "topic-b-value");
    }

    @Test
    void shouldRefuseEveryRecordOfAnotherTypeNotOnlyTheFirst() {
        byte[] definitionBytes =
                serdes.avro(SegmentDefinition.class, false).serializer().serialize("mixed", definition("vip"));
        Serde<TouchpointEvent> events = serdes.avro(TouchpointEvent.class, false);

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> events.deserializer().deserialize("mixed", definitionBytes))
                    .isInstanceOf(SerializationException.class)
                    .hasMessageContaining(
                            "is a io.cxflow.avro.SegmentDefinition, not a io.cxflow.avro.TouchpointEvent");
        }
    }

    @Test
    void shouldServeTheTopicCatalog() {
        Topics topics = new Topics(serdes, "t1.");
        Topic<String, TouchpointEvent> events = topics.events();

        byte[] bytes = events.valueSerde().serializer().serialize(events.name(), event("m-1"));

        assertThat(registry.artifactIds()).containsExactly("t1.cx.events.v1-value");
        assertThat(events.valueSerde().deserializer().deserialize(events.name(), bytes))
                .isEqualTo(event("m-1"));
    }

    @Test
    void shouldAcceptABaseUrlOrTheV3ApiUrlOnly() {
        assertThat(RegistrySerdes.apiUrl("http://127.0.0.1:8085")).isEqualTo("http://127.0.0.1:8085/apis/registry/v3");
        assertThat(RegistrySerdes.apiUrl("http://127.0.0.1:8085/")).isEqualTo("http://127.0.0.1:8085/apis/registry/v3");
        assertThat(RegistrySerdes.apiUrl("https://registry.example.com/apis/registry/v3"))
                .isEqualTo("https://registry.example.com/apis/registry/v3");
        assertThatThrownBy(() -> RegistrySerdes.apiUrl("http://127.0.0.1:8085/apis/ccompat/v7"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("base URL");
        assertThatThrownBy(() -> RegistrySerdes.apiUrl("127.0.0.1:8085"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("http://");
    }

    @Test
    void shouldRefuseNewSerdesAfterClose() {
        serdes.close();

        assertThatThrownBy(() -> serdes.avro(TouchpointEvent.class, false)).isInstanceOf(IllegalStateException.class);
    }

    static TouchpointEvent event(String messageId) {
        return TouchpointEvent.newBuilder()
                .setMessageId(messageId)
                .setType(EventType.TRACK)
                .setSourceId("dev-web")
                .setChannel("web")
                .setUserId("u-1")
                .setEvent("Order Completed")
                .setProperties("{\"revenue\":12.5}")
                .setContext(Context.newBuilder()
                        .setPage(PageContext.newBuilder().setPath("/checkout").build())
                        .build())
                .setReceivedAt(Instant.ofEpochMilli(1_764_000_000_000L))
                .setTimestamp(Instant.ofEpochMilli(1_764_000_000_000L))
                .build();
    }

    static SegmentDefinition definition(String id) {
        return SegmentDefinition.newBuilder()
                .setId(id)
                .setName("VIP")
                .setCondition("profile.orders.count >= 2")
                .setUpdatedAt(Instant.ofEpochMilli(1_764_000_000_000L))
                .build();
    }

    private static byte[] rawAvro(TouchpointEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<>(TouchpointEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] confluentFrame(long schemaId, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt((int) schemaId).array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
