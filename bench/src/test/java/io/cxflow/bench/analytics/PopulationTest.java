package io.cxflow.bench.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.avro.EventType;
import io.cxflow.avro.TouchpointEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PopulationTest {

    private static final Instant END = Instant.parse("2026-11-22T18:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldGenerateTheSameEventsForTheSameSeed() {
        List<Population.Keyed> a = generate(new Population(7, 500, 0.6, 2_000, END), 2_000);
        List<Population.Keyed> b = generate(new Population(7, 500, 0.6, 2_000, END), 2_000);

        assertThat(a).hasSize(2_000);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).key()).isEqualTo(a.get(i).key());
            assertThat(b.get(i).event()).isEqualTo(a.get(i).event());
        }
    }

    @Test
    void shouldKeyEveryEventByItsRoutingIdWithUniqueMessageIds() {
        List<Population.Keyed> events = generate(new Population(1, 1_000, 0.6, 20_000, END), 20_000);

        Set<String> messageIds = new HashSet<>();
        for (Population.Keyed e : events) {
            TouchpointEvent event = e.event();
            String routing = event.getUserId() != null ? event.getUserId() : event.getAnonymousId();
            assertThat(e.key()).isEqualTo(routing);
            assertThat(messageIds.add(event.getMessageId())).isTrue();
            assertThat(e.timestamp()).isEqualTo(event.getReceivedAt().toEpochMilli());
            assertThat(event.getTimestamp())
                    .isBetween(END.minus(Population.SPAN).minusSeconds(60), END);
        }
    }

    @Test
    void shouldGiveEachPersonOneToThreeDevicesAndIdentifyAboutTheRequestedShare() {
        int people = 2_000;
        Population population = new Population(3, people, 0.6, 100_000, END);
        List<Population.Keyed> events = generate(population, 100_000);

        Map<String, Set<String>> devicesByUser = new HashMap<>();
        Set<String> emails = new HashSet<>();
        for (Population.Keyed e : events) {
            TouchpointEvent event = e.event();
            if (event.getType() == EventType.IDENTIFY) {
                assertThat(event.getUserId()).isNotNull();
                assertThat(event.getAnonymousId()).isNotNull();
                JsonNode traits = read(event.getTraits());
                assertThat(traits.path("email").asText()).endsWith("@example.com");
                emails.add(traits.path("email").asText());
            }
            if (event.getUserId() != null && event.getAnonymousId() != null) {
                devicesByUser
                        .computeIfAbsent(event.getUserId(), k -> new HashSet<>())
                        .add(event.getAnonymousId());
            }
        }
        // with 50 events per person on average, nearly every identifying person has identified by the end
        assertThat(population.identifiedPeople()).isBetween((int) (people * 0.55), (int) (people * 0.65));
        assertThat(emails).hasSize(devicesByUser.size());
        assertThat(devicesByUser.values())
                .allSatisfy(devices -> assertThat(devices).hasSizeBetween(1, 3));
        assertThat(devicesByUser.values().stream().anyMatch(d -> d.size() == 3)).isTrue();
        assertThat(population.devices()).isBetween(people, 3 * people);
    }

    @Test
    void shouldSendTillOrdersOnlyForIdentifiedPeopleByUserId() {
        List<Population.Keyed> events = generate(new Population(5, 1_000, 0.6, 30_000, END), 30_000);

        List<TouchpointEvent> pos = new ArrayList<>();
        Set<String> identified = new HashSet<>();
        for (Population.Keyed e : events) {
            if (e.event().getType() == EventType.IDENTIFY) {
                identified.add(e.event().getUserId());
            }
            if (e.event().getChannel().equals("pos")) {
                assertThat(identified).contains(e.event().getUserId());
                pos.add(e.event());
            }
        }
        assertThat(pos).isNotEmpty().allSatisfy(event -> {
            assertThat(event.getAnonymousId()).isNull();
            assertThat(event.getEvent()).isEqualTo("Order Completed");
        });
    }

    @Test
    void shouldStayAnonymousWhenNobodyIdentifies() {
        List<Population.Keyed> events = generate(new Population(9, 300, 0, 5_000, END), 5_000);

        assertThat(events).allSatisfy(e -> {
            assertThat(e.event().getUserId()).isNull();
            assertThat(e.event().getType()).isNotEqualTo(EventType.IDENTIFY);
        });
    }

    @Test
    void shouldRefuseAnIdentifiedShareOutsideZeroToOne() {
        assertThatThrownBy(() -> new Population(1, 10, 1.5, 10, END)).hasMessageContaining("identifiedShare");
    }

    private static List<Population.Keyed> generate(Population population, int n) {
        List<Population.Keyed> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(population.next());
        }
        return out;
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
