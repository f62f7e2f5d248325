package io.cxflow.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.avro.SegmentMembershipChanged;
import org.apache.avro.SchemaNormalization;
import org.junit.jupiter.api.Test;

class ReleasedSchemasTest {

    @Test
    void shouldListEveryReleasedVersionFromTheJarOldestFirst() {
        var versions = ReleasedSchemas.of("SegmentMembershipChanged");

        assertThat(versions).hasSizeGreaterThanOrEqualTo(2);
        assertThat(versions.getFirst().getField("properties")).isNull();
        assertThat(SchemaNormalization.parsingFingerprint64(versions.getLast()))
                .isEqualTo(SchemaNormalization.parsingFingerprint64(SegmentMembershipChanged.getClassSchema()));
    }

    @Test
    void shouldFindEachVersionByItsFingerprint() {
        var store = ReleasedSchemas.store("SegmentMembershipChanged");

        for (var version : ReleasedSchemas.of("SegmentMembershipChanged")) {
            assertThat(store.findByFingerprint(SchemaNormalization.parsingFingerprint64(version)))
                    .isEqualTo(version);
        }
    }

    @Test
    void shouldRefuseARecordThatWasNeverReleased() {
        assertThatThrownBy(() -> ReleasedSchemas.of("NoSuchRecord"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NoSuchRecord");
    }
}
