package io.cxflow.platform.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.cxflow.platform.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryRegistryClientTest {

    private static final String V1 =
            "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"a\",\"type\":\"string\"}]}";
    private static final String V2_OPTIONAL = "{\"type\":\"record\",\"name\":\"A\",\"fields\":["
            + "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":[\"null\",\"string\"],\"default\":null}]}";
    private static final String V2_REQUIRED = "{\"type\":\"record\",\"name\":\"A\",\"fields\":["
            + "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"b\",\"type\":\"string\"}]}";

    private final InMemoryRegistryClient registry = new InMemoryRegistryClient();

    @Test
    void shouldAssignIncreasingIdsAndShareTheContentIdOfIdenticalContent() {
        RegistryVersionCoordinates first = create("t1-value", V1, "FIND_OR_CREATE_VERSION");
        RegistryVersionCoordinates sameContentOtherSubject = create("t2-value", V1, "FIND_OR_CREATE_VERSION");
        RegistryVersionCoordinates evolved = create("t1-value", V2_OPTIONAL, "FIND_OR_CREATE_VERSION");

        assertThat(first.getContentId()).isEqualTo(1L);
        assertThat(first.getGlobalId()).isEqualTo(1L);
        assertThat(first.getVersion()).isEqualTo("1");
        assertThat(first.getGroupId()).isEqualTo("default");
        assertThat(sameContentOtherSubject.getContentId()).isEqualTo(1L);
        assertThat(sameContentOtherSubject.getGlobalId()).isEqualTo(2L);
        assertThat(evolved.getContentId()).isEqualTo(2L);
        assertThat(evolved.getVersion()).isEqualTo("2");
        assertThat(registry.artifactIds()).containsExactly("t1-value", "t2-value");
    }

    @Test
    void shouldFindTheExistingVersionInsteadOfAddingADuplicate() {
        RegistryVersionCoordinates first = create("t-value", V1, "FIND_OR_CREATE_VERSION");
        RegistryVersionCoordinates again = create("t-value", V1, "FIND_OR_CREATE_VERSION");

        assertThat(again.getGlobalId()).isEqualTo(first.getGlobalId());
        assertThat(registry.getVersionCoordinatesByGAV(null, "t-value", null).getVersion())
                .isEqualTo("1");
    }

    @Test
    void shouldRefuseABackwardIncompatibleVersionWith409() {
        create("t-value", V1, "FIND_OR_CREATE_VERSION");

        assertThatThrownBy(() -> create("t-value", V2_REQUIRED, "FIND_OR_CREATE_VERSION"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.isIncompatible())
                        .isTrue())
                .hasMessageContaining("Incompatible artifact: default/t-value")
                .hasMessageContaining("BACKWARD")
                .hasMessageContaining("b");
        assertThat(registry.latestContentId("t-value")).contains(1L);
    }

    @Test
    void shouldAcceptAnyNewVersionWithoutACompatibilityRule() {
        InMemoryRegistryClient lenient = InMemoryRegistryClient.withoutCompatibilityRule();
        lenient.register("t-value", V1);

        long id = lenient.register("t-value", V2_REQUIRED);

        assertThat(lenient.latestContentId("t-value")).contains(id);
    }

    @Test
    void shouldRefuseAnInvalidAvroSchemaWith422() {
        assertThatThrownBy(() -> registry.register("t-value", "{\"type\":\"record\"}"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status())
                        .isEqualTo(422));
    }

    @Test
    void shouldFailWhenTheArtifactExistsAndTheBehaviourIsFail() {
        create("t-value", V1, "FAIL");

        assertThatThrownBy(() -> create("t-value", V2_OPTIONAL, "FAIL"))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status())
                        .isEqualTo(409))
                .hasMessageContaining("already exists");
    }

    @Test
    void shouldAnswerLookupsByContentIdGlobalIdCoordinatesAndHash() throws Exception {
        RegistryVersionCoordinates v1 = create("t-value", V1, "FIND_OR_CREATE_VERSION");
        RegistryVersionCoordinates v2 = create("t-value", V2_OPTIONAL, "FIND_OR_CREATE_VERSION");
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(V1.getBytes(StandardCharsets.UTF_8)));

        assertThat(registry.getSchemaByContentId(v1.getContentId())).isEqualTo(V1);
        assertThat(registry.getSchemaByGlobalId(v2.getGlobalId(), true)).isEqualTo(V2_OPTIONAL);
        assertThat(registry.getSchemaByGAV("default", "t-value", "1")).isEqualTo(V1);
        assertThat(registry.getSchemaByGAV(null, "t-value", "branch=latest")).isEqualTo(V2_OPTIONAL);
        assertThat(registry.getSchemaByContentHash(hash)).isEqualTo(V1);
        assertThat(registry.getReferencesByContentId(v1.getContentId())).isEmpty();
        assertThat(registry.searchVersionsByContent(
                        V1,
                        "AVRO",
                        ArtifactReference.builder().artifactId("t-value").build(),
                        false))
                .extracting(RegistryVersionCoordinates::getGlobalId)
                .containsExactly(v1.getGlobalId());
    }

    @Test
    void shouldAnswer404ForUnknownIds() {
        assertThatThrownBy(() -> registry.getSchemaByContentId(7L))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status())
                        .isEqualTo(404))
                .hasMessageContaining("No content with id 7");
        assertThatThrownBy(() -> registry.getVersionCoordinatesByGAV("default", "nope", null))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> assertThat(e.status())
                        .isEqualTo(404));
    }

    private RegistryVersionCoordinates create(String artifactId, String schema, String ifExists) {
        return registry.createSchema("AVRO", "default", artifactId, null, ifExists, false, schema, Set.of());
    }
}
