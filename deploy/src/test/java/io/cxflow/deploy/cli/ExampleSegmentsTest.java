package io.cxflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentCondition;
import io.cxflow.platform.json.Json;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** The shipped example segments are valid definitions: each compiles, names itself and says what it is. */
class ExampleSegmentsTest {

    @Test
    void shouldShipSixCompilingExampleSegments() throws Exception {
        assertThat(DemoCommand.EXAMPLE_SEGMENTS).hasSize(6).allMatch(Segment::isValidId);
        for (String id : DemoCommand.EXAMPLE_SEGMENTS) {
            try (InputStream in = DemoCommand.class.getResourceAsStream("/io/cxflow/deploy/segments/" + id + ".json")) {
                assertThat(in).as(id).isNotNull();
                JsonNode definition = Json.mapper().readTree(in);
                assertThat(definition.path("name").asText()).as(id).isNotBlank();
                assertThat(definition.path("description").asText()).as(id).isNotBlank();
                SegmentCondition condition =
                        SegmentCondition.compile(definition.path("condition").asText());
                assertThat(condition.dependsOnTime()).as(id).isEqualTo(!id.equals("vip"));
            }
        }
    }
}
