package io.cxflow.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.collector.message.Envelope;
import io.cxflow.collector.message.EventMapper;
import io.cxflow.collector.message.MessageType;
import io.cxflow.collector.source.Source;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldGenerateMessagesTheCollectorAcceptsWithTheirSourceChannel() {
        Workload workload = Workload.generate(7, 20, 100, 50);
        MessageIds ids = new MessageIds(1, 0);

        for (RequestTemplate batch : workload.batches()) {
            Touchpoint t = batch.touchpoint();
            Source source = new Source(t.sourceId(), t.sourceId(), t.channel(), List.of("*"), 0, 0, true);
            for (ObjectNode m : batch.messages()) {
                ObjectNode message = m.deepCopy();
                message.put("messageId", ids.nextId());
                MessageType type =
                        MessageType.fromWireName(message.get("type").asText()).orElseThrow();

                TouchpointEvent event = EventMapper.map(
                        message, type, new Envelope(source, Instant.now(), "127.0.0.1", null, null, null));

                assertThat(event.getSourceId()).isEqualTo(t.sourceId());
                assertThat(event.getChannel()).isEqualTo(t.channel());
                assertThat(event.getMessageId())
                        .isEqualTo(message.get("messageId").asText());
            }
        }
    }

    @Test
    void shouldMixTouchpointsAndKeepEventsAroundFiveHundredBytes() {
        Workload workload = Workload.generate(42, 64, 100, 10);

        assertThat(workload.batches()).extracting(RequestTemplate::touchpoint).contains(Touchpoint.values());
        assertThat(workload.meanMessageBytes()).isBetween(400.0, 700.0);
        assertThat(workload.batchMessages()).hasSize(6400);
    }

    @Test
    void shouldRenderBatchBodiesWithFreshUniqueMessageIds() throws Exception {
        Workload workload = Workload.generate(1, 2, 100, 1);
        MessageIds ids = new MessageIds(9, 0);
        Set<String> seen = new HashSet<>();

        for (int round = 0; round < 2; round++) {
            for (RequestTemplate batch : workload.batches()) {
                JsonNode body = JSON.readTree(batch.render(ids));
                assertThat(body.get("batch")).hasSize(100);
                assertThat(body.get("sentAt").asText()).isEqualTo(EventFactory.SENT_AT.toString());
                body.get("batch").forEach(m -> seen.add(m.get("messageId").asText()));
            }
        }

        assertThat(seen)
                .hasSize(400)
                .allSatisfy(id -> assertThat(id).hasSize(24).matches("[0-9a-f]+"));
    }

    @Test
    void shouldSendSingleTrackBodiesWithoutATypeField() throws Exception {
        Workload workload = Workload.generate(3, 1, 10, 20);

        for (RequestTemplate track : workload.tracks()) {
            JsonNode body = JSON.readTree(track.render(new MessageIds(1, 0)));
            assertThat(track.path()).isEqualTo(Workload.TRACK_PATH);
            assertThat(body.has("type")).isFalse();
            assertThat(body.get("event").asText()).isNotBlank();
        }
    }
}
