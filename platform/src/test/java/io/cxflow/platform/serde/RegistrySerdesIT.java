package io.cxflow.platform.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.registry.CompatibilityCheck;
import io.cxflow.platform.registry.EmbeddedRegistry;
import io.cxflow.platform.registry.SchemaRegistryException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The serdes and the compatibility helper against a real Apicurio Registry (one per class). */
class RegistrySerdesIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final String V2_OPTIONAL_FIELD = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    private static final String V2_REQUIRED_FIELD = "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"it\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},{\"name\":\"total\",\"type\":\"double\"}]}";

    private static EmbeddedRegistry registry;
    private static RegistrySerdes producerSide;
    private static RegistrySerdes consumerSide;
    private static HttpClient http;

    @BeforeAll
    static void startRegistry() {
        registry = EmbeddedRegistry.start(
                EmbeddedRegistry.Settings.ephemeral(Path.of("target", "registry-it", "RegistrySerdesIT.log")));
        producerSide = RegistrySerdes.forUrl(registry.url());
        consumerSide = RegistrySerdes.forUrl(registry.apiUrl());
        http = HttpClient.newHttpClient();
    }

    @AfterAll
    static void stopRegistry() {
        if (producerSide != null) {
            producerSide.close();
        }
        if (consumerSide != null) {
            consumerSide.close();
        }
        if (http != null) {
            http.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldRegisterOnSerializeAndDecodeThroughTheServer() throws Exception {
        String topic = uniqueTopic();
        TouchpointEvent event = RegistrySerdesTest.event("m-1");

        byte[] bytes =
                producerSide.avro(TouchpointEvent.class, false).serializer().serialize(topic, event);
        TouchpointEvent back =
                consumerSide.avro(TouchpointEvent.class, false).deserializer().deserialize(topic, bytes);

        assertThat(back).isEqualTo(event);
        JsonNode latest = getJson("/subjects/" + topic + "-value/versions/latest");
        assertThat(bytes[0]).as("magic byte").isZero();
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt())
                .as("the 4-byte id is the id Confluent clients see for the subject")
                .isEqualTo(latest.path("id").asInt());
    }

    @Test
    void shouldServeTheSchemaOfTheIdInTheBytesThroughTheConfluentApi() throws Exception {
        String topic = uniqueTopic();
        TouchpointEvent event = RegistrySerdesTest.event("m-2");
        byte[] bytes =
                producerSide.avro(TouchpointEvent.class, false).serializer().serialize(topic, event);
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();

        // what any Confluent-format consumer does: fetch the writer schema by id, decode the rest
        JsonNode answer = getJson("/schemas/ids/" + id);
        Schema writer = new Schema.Parser().parse(answer.path("schema").asText());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));

        assertThat(answer.has("references")).as("self-contained, no references").isFalse();
        assertThat(writer).isEqualTo(TouchpointEvent.getClassSchema());
        assertThat(decoded.get("messageId")).hasToString("m-2");
        assertThat(((GenericRecord) ((GenericRecord) decoded.get("context")).get("page")).get("path"))
                .hasToString("/checkout");
        assertThat(getJson("/subjects"))
                .extracting(JsonNode::toString)
                .asString()
                .contains(topic + "-value");
    }

    @Test
    void shouldWriteTheSameBytesAsApicuriosOwnSerializerAndReadWhatItWrites() {
        // Given Apicurio's serializer, configured as the serdes configure it, against the same server
        String topic = uniqueTopic();
        try (RegistrySerdes apicurioSide = RegistrySerdes.forUrl(registry.url())) {
            AvroKafkaSerializer<TouchpointEvent> apicurio = new AvroKafkaSerializer<>(apicurioSide.registryClient());
            apicurio.configure(RegistrySerdes.serdeConfig(), false);

            for (int i = 0; i < 20; i++) {
                TouchpointEvent record = SerdeThroughput.realisticEvent(i);
                // When
                byte[] ours = producerSide
                        .avro(TouchpointEvent.class, false)
                        .serializer()
                        .serialize(topic, record);
                byte[] theirs = apicurio.serialize(topic, record);

                // Then byte for byte, and each side's bytes decode
                assertThat(ours).as("record %d", i).isEqualTo(theirs);
                assertThat(consumerSide
                                .avro(TouchpointEvent.class, false)
                                .deserializer()
                                .deserialize(topic, theirs))
                        .isEqualTo(record);
            }
        }
    }

    @Test
    void shouldRefuseABackwardIncompatibleVersionWithAClearError() {
        String subject = uniqueTopic() + "-value";
        int v1 = CompatibilityCheck.register(registry.ccompatUrl(), subject, V1);

        assertThat(CompatibilityCheck.isCompatible(registry.ccompatUrl(), subject, V2_REQUIRED_FIELD))
                .isFalse();
        assertThatThrownBy(() -> CompatibilityCheck.register(registry.ccompatUrl(), subject, V2_REQUIRED_FIELD))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.isIncompatible()).isTrue();
                })
                .hasMessageContaining(subject)
                .hasMessageContaining("incompatible");

        assertThat(CompatibilityCheck.isCompatible(registry.ccompatUrl(), subject, V2_OPTIONAL_FIELD))
                .isTrue();
        int v2 = CompatibilityCheck.register(registry.ccompatUrl(), subject, V2_OPTIONAL_FIELD);
        assertThat(v2).isNotEqualTo(v1);
        assertThat(CompatibilityCheck.register(registry.ccompatUrl(), subject, V1))
                .as("registering known content answers its id")
                .isEqualTo(v1);
    }

    @Test
    void shouldTreatAnUnknownSubjectAsCompatible() {
        assertThat(CompatibilityCheck.isCompatible(registry.ccompatUrl(), uniqueTopic() + "-value", V2_REQUIRED_FIELD))
                .isTrue();
    }

    @Test
    void shouldRefuseAnInvalidSchema() {
        assertThatThrownBy(() -> CompatibilityCheck.register(
                        registry.ccompatUrl(), uniqueTopic() + "-value", "{\"type\":\"record\"}"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status())
                        .isBetween(400, 499))
                .hasMessageContaining("refused to register");
    }

    @Test
    void shouldFailToSerializeWhenTheServerRefusesTheRecordsSchema() {
        // Given the topic's subject holds a schema the current TouchpointEvent cannot read
        String topic = uniqueTopic();
        CompatibilityCheck.register(
                registry.ccompatUrl(),
                topic + "-value",
                "{\"type\":\"record\",\"name\":\"TouchpointEvent\",\"namespace\":\"io.cxflow.avro\","
                        + "\"fields\":[{\"name\":\"messageId\",\"type\":\"string\"}]}");

        // When / Then
        assertThatThrownBy(() -> producerSide
                        .avro(TouchpointEvent.class, false)
                        .serializer()
                        .serialize(topic, RegistrySerdesTest.event("m-3")))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(topic)
                .hasMessageContaining("io.cxflow.avro.TouchpointEvent");
    }

    private static JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(registry.ccompatUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode())
                .as("GET %s: %s", path, response.body())
                .isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static String uniqueTopic() {
        return "it." + UUID.randomUUID().toString().substring(0, 8);
    }
}
