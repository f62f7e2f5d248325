package io.cxflow.schemas.json;

import static io.cxflow.schemas.json.NastyJson.assertSameJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.avro.Context;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.EventType;
import io.cxflow.avro.OrderStats;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.avro.TraitValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JSON-text fields survive Avro binary encoding (UTF-8 strings) exactly: the decoded record gives
 * the same trees as the encoded one.
 */
class JsonTextAvroRoundTripTest {

    private static final Instant AT = Instant.parse("2026-11-22T18:03:11.123Z");

    static Stream<NastyJson.Doc> objects() {
        return NastyJson.objects().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("objects")
    void shouldDecodeTheSameJsonFromEveryJsonTextFieldOfATouchpointEvent(NastyJson.Doc doc) throws IOException {
        JsonNode original = JsonText.read(doc.text());
        String text = JsonText.write(original);
        TouchpointEvent event = TouchpointEvent.newBuilder()
                .setMessageId("m-1")
                .setType(EventType.TRACK)
                .setSourceId("dev-web")
                .setChannel("web")
                .setUserId("u-1")
                .setEvent("Order Completed")
                .setProperties(text)
                .setTraits(text)
                .setIntegrations(text)
                .setContext(Context.newBuilder()
                        .setIp("127.0.0.1")
                        .setTraits(text)
                        .setExtra(text)
                        .build())
                .setReceivedAt(AT)
                .setTimestamp(AT)
                .build();

        TouchpointEvent decoded = roundTrip(event, TouchpointEvent.class);

        assertThat(decoded).isEqualTo(event);
        for (String field : new String[] {
            decoded.getProperties(),
            decoded.getTraits(),
            decoded.getIntegrations(),
            decoded.getContext().getTraits(),
            decoded.getContext().getExtra()
        }) {
            assertThat(field).isEqualTo(text);
            JsonNode tree = JsonText.readObject(field);
            assertSameJson(original, tree);
            assertThat(tree).isEqualTo(original);
        }
    }

    static Stream<NastyJson.Doc> values() {
        return NastyJson.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void shouldDecodeTheSameJsonFromATraitValueOfACustomerProfile(NastyJson.Doc doc) throws IOException {
        JsonNode original = JsonText.read(doc.text());
        Map<String, TraitValue> traits = new LinkedHashMap<>();
        traits.put("nasty", new TraitValue(JsonText.write(original), "dev-web", AT));
        CustomerProfile profile = CustomerProfile.newBuilder()
                .setCustomerId("c-1")
                .setTraits(traits)
                .setFirstSeen(AT)
                .setLastSeen(AT)
                .setOrders(OrderStats.newBuilder().build())
                .setUpdatedAt(AT)
                .build();

        CustomerProfile decoded = roundTrip(profile, CustomerProfile.class);

        JsonNode tree = JsonText.read(decoded.getTraits().get("nasty").getValue());
        assertSameJson(original, tree);
        assertThat(tree).isEqualTo(original);
    }

    @Test
    void shouldKeepAnUnpairedSurrogateThroughUtf8BecauseItIsEscaped() throws IOException {
        JsonNode original = JsonText.read("{\"s\":\"a\\ud800b\"}");
        TouchpointEvent event = TouchpointEvent.newBuilder()
                .setMessageId("m-2")
                .setType(EventType.IDENTIFY)
                .setSourceId("dev-web")
                .setChannel("web")
                .setAnonymousId("a-1")
                .setTraits(JsonText.write(original))
                .setReceivedAt(AT)
                .setTimestamp(AT)
                .build();

        TouchpointEvent decoded = roundTrip(event, TouchpointEvent.class);

        assertThat(JsonText.readObject(decoded.getTraits()).get("s").textValue())
                .isEqualTo("a\ud800b");
    }

    private static <T extends SpecificRecord> T roundTrip(T record, Class<T> type) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<>(type).write(record, encoder);
        encoder.flush();
        return new SpecificDatumReader<>(type)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
    }
}
