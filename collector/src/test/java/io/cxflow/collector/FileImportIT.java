package io.cxflow.collector;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.avro.TouchpointEvent;
import io.cxflow.collector.importer.FileImporter;
import io.cxflow.collector.importer.ImportMapping;
import io.cxflow.collector.importer.ImportOptions;
import io.cxflow.collector.importer.ImportProgress;
import io.cxflow.collector.importer.ImportReport;
import io.cxflow.schemas.json.JsonText;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A POS export imported into the real broker and registry, twice. */
@CxIntegrationTest
class FileImportIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldPublishEveryValidRowAndTheSameMessageIdsWhenTheFileIsImportedAgain(TestPlatform platform)
            throws Exception {
        platform.createTopics();
        Path file = dir.resolve("pos-export.csv.gz");
        StringBuilder csv = new StringBuilder("store_id,receipt,customer,sold_at,total\n");
        for (int i = 0; i < 1_000; i++) {
            csv.append("7,r-")
                    .append(i)
                    .append(",c-")
                    .append(i % 50)
                    .append(",2026-11-20T10:00:00Z,")
                    .append(i % 100 == 99 ? "n/a" : i + ".50")
                    .append('\n');
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(csv.toString().getBytes(StandardCharsets.UTF_8));
        }
        ImportMapping mapping = ImportMapping.parse("""
                {"type": "track", "key": ["store_id", "receipt"],
                 "fields": {"userId": "customer", "event": {"value": "Order Completed"}, "timestamp": "sold_at",
                            "properties.receipt": "receipt",
                            "properties.revenue": {"column": "total", "as": "number"}}}
                """);
        CollectorConfig config = TestCollectors.config(Map.of(
                "collector.sources.store-7.write-key",
                "wk-" + platform.id(),
                "collector.sources.store-7.channel",
                "pos"));

        ImportReport first;
        ImportReport second;
        Set<String> afterFirst;
        List<ConsumerRecord<String, TouchpointEvent>> records;
        try (FileImporter importer = FileImporter.open(config, TestCollectors.context(platform))) {
            first = importer.run("store-7", ImportOptions.of(file, mapping), ImportProgress.NONE);
            afterFirst = messageIds(platform.readAll(platform.topics().events(), WAIT));
            second = importer.run("store-7", ImportOptions.of(file, mapping), ImportProgress.NONE);
            records = platform.readAll(platform.topics().events(), WAIT);
        }

        // every valid row is on the topic once per import at least (a chunk retried after a timeout may add
        // copies, removed downstream by messageId), and the second import adds no new messageId
        assertThat(first.records()).isEqualTo(1_000);
        assertThat(first.accepted()).isEqualTo(990);
        assertThat(first.rejected()).isEqualTo(10);
        assertThat(Files.readAllLines(first.rejectFile())).hasSize(10);
        assertThat(second.accepted()).isEqualTo(990);
        assertThat(afterFirst).hasSize(990);
        assertThat(messageIds(records)).isEqualTo(afterFirst);
        assertThat(records).hasSizeGreaterThanOrEqualTo(2 * 990);
        Set<String> receipts = records.stream()
                .map(r -> JsonText.readObject(r.value().getProperties())
                        .get("receipt")
                        .asText())
                .collect(Collectors.toSet());
        assertThat(receipts).hasSize(990).doesNotContain("r-99", "r-199");
        TouchpointEvent any = records.get(0).value();
        assertThat(any.getSourceId()).isEqualTo("store-7");
        assertThat(any.getChannel()).isEqualTo("pos");
        assertThat(any.getTimestamp()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(records)
                .allSatisfy(r -> assertThat(r.key()).isEqualTo(r.value().getUserId()));
    }

    private static Set<String> messageIds(List<ConsumerRecord<String, TouchpointEvent>> records) {
        return records.stream().map(r -> r.value().getMessageId()).collect(Collectors.toSet());
    }
}
