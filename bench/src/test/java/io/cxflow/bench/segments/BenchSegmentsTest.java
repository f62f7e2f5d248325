package io.cxflow.bench.segments;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentCondition;
import io.cxflow.avro.SegmentDefinition;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BenchSegmentsTest {

    @Test
    void shouldDefineFiftyDistinctValidSegmentsOfEveryShippedKind() {
        List<BenchSegments.Definition> definitions = BenchSegments.realistic();

        assertThat(definitions).hasSize(BenchSegments.REALISTIC).hasSize(50);
        assertThat(definitions.stream().map(BenchSegments.Definition::id).collect(Collectors.toSet()))
                .hasSize(50)
                .doesNotContain(BenchSegments.PROBE_ID)
                .allMatch(Segment::isValidId);
        assertThat(definitions.stream().flatMap(d -> d.tags().stream()).collect(Collectors.toSet()))
                .isEqualTo(Set.of("cart-abandoners", "high-value", "lapsed", "multichannel", "engaged", "vip"));
    }

    @Test
    void shouldWriteConditionsTheTopologyCompilesMostOfThemOverTime() {
        long overTime = 0;
        for (BenchSegments.Definition d : BenchSegments.realistic()) {
            // the catalog compiles a definition read from the topic exactly so; a refused one is not evaluated
            SegmentCondition condition = SegmentCondition.compile(d.condition());
            overTime += condition.dependsOnTime() ? 1 : 0;
        }
        SegmentCondition probe = SegmentCondition.compile(BenchSegments.probe().condition());

        assertThat(overTime).isEqualTo(41);
        assertThat(probe.dependsOnTime()).isTrue();
    }

    @Test
    void shouldWriteTheDefinitionAsALiveVersionOneRecord() {
        Instant at = Instant.parse("2026-11-23T12:00:00Z");

        SegmentDefinition avro = BenchSegments.probe().toAvro(at);

        assertThat(avro.getId()).isEqualTo("bench-probe");
        assertThat(avro.getCondition()).isEqualTo("count(\"Bench Probe\", duration(\"1h\")) >= 1");
        assertThat(avro.getVersion()).isEqualTo(1);
        assertThat(avro.getDeleted()).isFalse();
        assertThat(avro.getTopic()).isFalse();
        assertThat(avro.getUpdatedAt()).isEqualTo(at);
    }
}
