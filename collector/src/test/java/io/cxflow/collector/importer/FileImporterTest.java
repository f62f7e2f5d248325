package io.cxflow.collector.importer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.avro.EventType;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.collector.message.PayloadParser;
import io.cxflow.collector.publish.EventPublisher;
import io.cxflow.collector.source.Source;
import io.cxflow.platform.json.Json;
import io.cxflow.platform.serde.RegistrySerdes;
import io.cxflow.schemas.Topics;
import io.cxflow.schemas.json.JsonText;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File imports, with Kafka's {@link MockProducer} standing in for the broker. */
class FileImporterTest {

    private static final Instant NOW = Instant.parse("2026-11-21T08:00:00Z");
    private static final Source POS = new Source("store-7", "wk-store-7", "pos", List.of(), 0, 0, true);
    private static final String MAPPING = """
            {"type": "track", "key": ["receipt"],
             "fields": {"userId": "customer", "event": {"value": "Order Completed"}, "timestamp": "sold_at",
                        "properties.revenue": {"column": "total", "as": "number"},
                        "properties.currency": {"value": "EUR"}}}
            """;

    @TempDir
    Path dir;

    private final RegistrySerdes serdes = RegistrySerdes.inMemory();
    private final Topics topics = new Topics(serdes, "t.");
    private MockProducer<String, byte[]> producer;

    private FileImporter importer(boolean autoAck) {
        producer = new MockProducer<>(autoAck, null, new StringSerializer(), new ByteArraySerializer());
        EventPublisher publisher = new EventPublisher(
                producer, topics.events(), topics.rejected(), 1024 * 1024, new SimpleMeterRegistry());
        return new FileImporter(
                List.of(POS),
                publisher,
                new PayloadParser(new Json.Limits(64, 500 * 1024, 100, 500 * 1024, 1000)),
                32 * 1024,
                Duration.ofMillis(200),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void shouldImportACsvFileAndWriteRefusedRowsToTheRejectFile() throws Exception {
        Path file = write("sales.csv", """
                receipt,customer,sold_at,total
                r-1,c-1,2026-11-20T10:00:00Z,12.50
                r-2,,2026-11-20T10:05:00Z,3.00
                r-3,c-2,yesterday,1
                r-4,c-3,2026-11-20T11:00:00Z,"1,5"
                r-5,c-1,2026-11-20T12:00:00Z,99.90
                """);
        List<ImportProgress.Status> updates = new ArrayList<>();

        ImportReport report = importer(true)
                .run(
                        "store-7",
                        new ImportOptions(file, null, ImportMapping.parse(MAPPING), null, 2, Duration.ofSeconds(1)),
                        updates::add);

        assertThat(report.records()).isEqualTo(5);
        assertThat(report.accepted()).isEqualTo(2);
        assertThat(report.rejected()).isEqualTo(3);
        List<TouchpointEvent> events = events();
        assertThat(events).extracting(TouchpointEvent::getUserId).containsExactly("c-1", "c-1");
        TouchpointEvent first = events.get(0);
        assertThat(first.getType()).isEqualTo(EventType.TRACK);
        assertThat(first.getEvent()).isEqualTo("Order Completed");
        assertThat(first.getSourceId()).isEqualTo("store-7");
        assertThat(first.getChannel()).isEqualTo("pos");
        assertThat(first.getProperties()).isEqualTo("{\"revenue\":12.50,\"currency\":\"EUR\"}");
        assertThat(first.getTimestamp()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(first.getReceivedAt()).isEqualTo(NOW);

        List<JsonNode> rejects = Files.readAllLines(report.rejectFile()).stream()
                .map(JsonText::read)
                .toList();
        assertThat(rejects).extracting(r -> r.get("line").asLong()).containsExactly(3L, 4L, 5L);
        assertThat(rejects)
                .extracting(r -> r.get("field").asText())
                .containsExactly("userId", "timestamp", "properties.revenue");
        assertThat(rejects.get(0).get("raw").asText()).isEqualTo("r-2,,2026-11-20T10:05:00Z,3.00");
        assertThat(rejected()).hasSize(3).allSatisfy(r -> {
            assertThat(r.getStage()).isEqualTo("import");
            assertThat(r.getReason()).startsWith("line ");
        });
        assertThat(updates).isNotEmpty();
        assertThat(updates.get(updates.size() - 1).fraction()).isEqualTo(1.0);
    }

    @Test
    void shouldDeriveTheSameMessageIdsWhenTheSameFileIsImportedAgain() throws Exception {
        Path file = write("sales.csv", "receipt,customer,sold_at,total\nr-1,c-1,2026-11-20T10:00:00Z,1\n");
        ImportOptions options =
                new ImportOptions(file, null, ImportMapping.parse(MAPPING), null, 10, Duration.ofSeconds(1));

        importer(true).run("store-7", options, ImportProgress.NONE);
        String firstId = events().get(0).getMessageId();
        importer(true).run("store-7", options, ImportProgress.NONE);
        String secondId = events().get(0).getMessageId();

        assertThat(firstId).isEqualTo(secondId).isEqualTo(FileImporter.messageId("store-7", "r-1\u0000"));
        assertThat(FileImporter.messageId("other-source", "r-1\u0000")).isNotEqualTo(firstId);
    }

    @Test
    void shouldImportGzippedNdjsonOfSegmentMessages() throws Exception {
        Path file = dir.resolve("events.ndjson.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("""
                    {"type": "identify", "userId": "u-1", "traits": {"email": "ann@example.com"}}

                    {"type": "page", "anonymousId": "a-1", "name": "Home", "messageId": "m-7"}
                    {"type": "click", "userId": "u-1"}
                    not json
                    """.getBytes(StandardCharsets.UTF_8));
        }

        ImportReport report = importer(true).run("store-7", ImportOptions.of(file, null), ImportProgress.NONE);

        assertThat(report.accepted()).isEqualTo(2);
        assertThat(report.rejected()).isEqualTo(2);
        assertThat(events()).extracting(TouchpointEvent::getType).containsExactly(EventType.IDENTIFY, EventType.PAGE);
        assertThat(events().get(1).getMessageId()).isEqualTo("m-7");
        assertThat(Files.readAllLines(report.rejectFile()))
                .hasSize(2)
                .first()
                .asString()
                .contains("\"line\":4");
    }

    @Test
    void shouldStopWithAClearErrorWhenTheBrokerStaysUnavailable() throws Exception {
        Path file = write("sales.csv", "receipt,customer,sold_at,total\nr-1,c-1,2026-11-20T10:00:00Z,1\n");

        assertThatThrownBy(() -> importer(false)
                        .run(
                                "store-7",
                                new ImportOptions(
                                        file, null, ImportMapping.parse(MAPPING), null, 10, Duration.ofSeconds(1)),
                                ImportProgress.NONE))
                .isInstanceOfSatisfying(ImportException.class, e -> {
                    assertThat(e.acceptedSoFar()).isZero();
                    assertThat(e.getMessage()).contains("running the same import again is safe");
                });
    }

    @Test
    void shouldRefuseAnUnknownSourceACsvWithoutMappingAndMissingColumns() throws Exception {
        Path file = write("sales.csv", "receipt,customer\nr-1,c-1\n");
        FileImporter importer = importer(true);

        assertThatThrownBy(() -> importer.run("nope", ImportOptions.of(file, ImportMapping.parse(MAPPING)), null))
                .hasMessageContaining("store-7");
        assertThatThrownBy(() -> importer.run("store-7", ImportOptions.of(file, null), null))
                .hasMessageContaining("mapping");
        assertThatThrownBy(() -> importer.run("store-7", ImportOptions.of(file, ImportMapping.parse(MAPPING)), null))
                .hasMessageContaining("sold_at")
                .hasMessageContaining("total");
        assertThat(producer.history()).isEmpty();
    }

    private Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private List<TouchpointEvent> events() {
        return producer.history().stream()
                .filter(r -> r.topic().equals(topics.events().name()))
                .map(r -> topics.events().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .toList();
    }

    private List<RejectedEvent> rejected() {
        return producer.history().stream()
                .filter(r -> r.topic().equals(topics.rejected().name()))
                .map(r -> topics.rejected().valueSerde().deserializer().deserialize(r.topic(), r.value()))
                .toList();
    }
}
