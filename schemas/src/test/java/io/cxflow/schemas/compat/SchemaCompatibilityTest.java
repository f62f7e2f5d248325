package io.cxflow.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.IdentityLink;
import io.cxflow.avro.PrivacyRequest;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.SegmentDefinition;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.avro.WorkflowDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The build-time BACKWARD check: every current schema reads data written with every released version
 * of it (the schema registry enforces BACKWARD against the latest version at runtime too), and no
 * released schema disappears. Released versions live in {@code schemas/src/main/avro-released}.
 */
class SchemaCompatibilityTest {

    /** The current schemas, straight from the generated classes. */
    private static final List<Schema> GENERATED = List.of(
            TouchpointEvent.getClassSchema(),
            RejectedEvent.getClassSchema(),
            IdentityLink.getClassSchema(),
            CustomerProfile.getClassSchema(),
            SegmentDefinition.getClassSchema(),
            SegmentMembershipChanged.getClassSchema(),
            WorkflowDefinition.getClassSchema(),
            ActivationResult.getClassSchema(),
            PrivacyRequest.getClassSchema());

    private static Path releasedDir;
    private static SortedMap<String, SortedMap<Integer, Schema>> released;

    @BeforeAll
    static void readReleases() throws IOException {
        releasedDir = SchemaReleases.defaultDirectory();
        assertThat(releasedDir).as("released schemas folder").isDirectory();
        released = SchemaReleases.read(releasedDir);
    }

    @TestFactory
    Stream<DynamicTest> shouldReadEveryReleasedVersionWithTheCurrentSchema() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Schema current : GENERATED) {
            SortedMap<Integer, Schema> versions = released.getOrDefault(current.getName(), new java.util.TreeMap<>());
            for (Map.Entry<Integer, Schema> version : versions.entrySet()) {
                tests.add(DynamicTest.dynamicTest(current.getName() + " reads v" + version.getKey(), () -> {
                    List<CompatibilityProblem> problems = BackwardCompatibility.check(
                            current.getName(), version.getKey(), current, version.getValue());
                    assertThat(problems)
                            .as(
                                    "%s is not BACKWARD compatible with its released v%d (%s):%n%s",
                                    current.getName(),
                                    version.getKey(),
                                    releasedDir.resolve(current.getName()).resolve("v" + version.getKey() + ".avsc"),
                                    describe(problems))
                            .isEmpty();
                }));
            }
        }
        assertThat(tests).as("released versions to check").hasSizeGreaterThanOrEqualTo(GENERATED.size());
        return tests.stream();
    }

    @Test
    void shouldHaveACurrentSchemaForEveryReleasedSchema() {
        List<CompatibilityProblem> removed = SchemaReleases.problems(GENERATED, released).stream()
                .filter(p -> p.kind().equals(CompatibilityProblem.SCHEMA_REMOVED)
                        || p.kind().equals("NAME_MISMATCH"))
                .toList();

        assertThat(removed)
                .as("released schemas without a current schema:%n%s", describe(removed))
                .isEmpty();
    }

    @Test
    void shouldHaveAReleaseOfEveryCurrentSchema() {
        List<CompatibilityProblem> unreleased = SchemaReleases.problems(GENERATED, released).stream()
                .filter(p -> p.kind().equals(CompatibilityProblem.NOT_RELEASED))
                .toList();

        assertThat(unreleased).as("%s", describe(unreleased)).isEmpty();
    }

    @Test
    void shouldFindNoProblemAtAllWithTheReleaseTool() {
        assertThat(SchemaReleases.problems(SchemaReleases.current(), released)).isEmpty();
    }

    @Test
    void shouldReleaseExactlyTheSchemasOfTheTopicCatalog() {
        assertThat(SchemaReleases.current()).containsExactlyInAnyOrderElementsOf(GENERATED);
    }

    @Test
    void shouldDeclareEveryTopLevelSchemaFileAsACatalogSchema() throws IOException {
        Path sources = releasedDir.getParent().resolve("avro");
        TreeSet<String> files;
        try (Stream<Path> list = Files.list(sources)) {
            files = list.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".avsc"))
                    .map(n -> n.substring(0, n.length() - ".avsc".length()))
                    .collect(Collectors.toCollection(TreeSet::new));
        }

        assertThat(files)
                .as("every schema in %s is the value of a catalog topic (nested types go in common/)", sources)
                .isEqualTo(SchemaReleases.current().stream()
                        .map(Schema::getName)
                        .collect(Collectors.toCollection(TreeSet::new)));
    }

    private static String describe(List<CompatibilityProblem> problems) {
        return problems.stream().map(p -> "  " + p.describe()).collect(Collectors.joining(System.lineSeparator()));
    }
}
