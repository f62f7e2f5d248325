package io.cxflow.schemas.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check detects what breaks readers, names the field, and lets compatible changes through. */
class BackwardCompatibilityTest {

    private static SortedMap<String, SortedMap<Integer, Schema>> released() throws IOException {
        return SchemaReleases.read(SchemaReleases.defaultDirectory());
    }

    private static Schema releasedV1(String name) throws IOException {
        return released().get(name).get(1);
    }

    private static Schema variant(String file) throws IOException {
        try (InputStream in = BackwardCompatibilityTest.class.getResourceAsStream("/compat/" + file + ".avsc")) {
            assertThat(in).as(file).isNotNull();
            return new Schema.Parser().parse(in);
        }
    }

    /** The current schemas with one replaced by a variant. */
    private static List<Schema> currentWith(Schema replacement) {
        List<Schema> schemas = new ArrayList<>();
        for (Schema s : SchemaReleases.current()) {
            schemas.add(s.getName().equals(replacement.getName()) ? replacement : s);
        }
        return schemas;
    }

    @Test
    void shouldReportANewRequiredFieldWithoutDefaultNamingTheField() throws IOException {
        List<CompatibilityProblem> problems = BackwardCompatibility.check(
                "IdentityLink", 1, variant("IdentityLink-new-required-field"), releasedV1("IdentityLink"));

        assertThat(problems).hasSize(1);
        CompatibilityProblem problem = problems.get(0);
        assertThat(problem.kind()).isEqualTo("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(problem.path()).isEqualTo("tenant");
        assertThat(problem.describe()).startsWith("IdentityLink v1: field 'tenant' (at /fields/6)");
    }

    @Test
    void shouldReportAChangedFieldTypeNamingTheField() throws IOException {
        List<CompatibilityProblem> problems = BackwardCompatibility.check(
                "SegmentDefinition", 1, variant("SegmentDefinition-changed-type"), releasedV1("SegmentDefinition"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo("TYPE_MISMATCH");
            assertThat(p.path()).isEqualTo("version");
            assertThat(p.message()).contains("INT").contains("LONG");
        });
    }

    @Test
    void shouldNameTheFieldInsideANullableRecord() throws IOException {
        List<CompatibilityProblem> problems = BackwardCompatibility.check(
                "RejectedEvent", 1, variant("RejectedEvent-nested-changed-type"), releasedV1("RejectedEvent"));

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo("TYPE_MISMATCH");
            assertThat(p.path()).isEqualTo("origin.offset");
            assertThat(p.describe()).contains("RejectedEvent v1: field 'origin.offset'");
        });
    }

    @Test
    void shouldNameTheFieldInsideArrayItemsOfARecursiveRecord() throws IOException {
        List<CompatibilityProblem> problems = BackwardCompatibility.check(
                "WorkflowDefinition",
                1,
                variant("WorkflowDefinition-step-changed-type"),
                releasedV1("WorkflowDefinition"));

        assertThat(problems).isNotEmpty();
        assertThat(problems).allSatisfy(p -> assertThat(p.path()).startsWith("steps[].waitMillis"));
    }

    @Test
    void shouldAcceptNewOptionalFieldsWithDefaultsAndTypePromotions() throws IOException {
        assertThat(BackwardCompatibility.check(
                        "IdentityLink", 1, variant("IdentityLink-new-optional-field"), releasedV1("IdentityLink")))
                .isEmpty();
        assertThat(BackwardCompatibility.check(
                        "ActivationResult",
                        1,
                        variant("ActivationResult-compatible-changes"),
                        releasedV1("ActivationResult")))
                .isEmpty();
    }

    @Test
    void shouldCheckEveryReleasedVersionNotOnlyTheLatest(@TempDir Path dir) throws IOException {
        // v1 wrote waitMillis as a string, v2 as a long; the current schema reads v2 but not v1
        Path workflow = Files.createDirectories(dir.resolve("WorkflowDefinition"));
        Files.writeString(
                workflow.resolve("v1.avsc"),
                variant("WorkflowDefinition-step-changed-type").toString(true));
        Files.writeString(
                workflow.resolve("v2.avsc"), releasedV1("WorkflowDefinition").toString(true));

        List<CompatibilityProblem> problems =
                SchemaReleases.problems(SchemaReleases.current(), SchemaReleases.read(dir)).stream()
                        .filter(p -> p.schema().equals("WorkflowDefinition"))
                        .toList();

        assertThat(problems).isNotEmpty();
        assertThat(problems).extracting(CompatibilityProblem::version).containsOnly(1);
        assertThat(problems).extracting(CompatibilityProblem::path).contains("steps[].waitMillis");
    }

    @Test
    void shouldReportAReleasedSchemaThatNoLongerExists() throws IOException {
        List<Schema> withoutIdentityLink = SchemaReleases.current().stream()
                .filter(s -> !s.getName().equals("IdentityLink"))
                .toList();

        List<CompatibilityProblem> problems = SchemaReleases.problems(withoutIdentityLink, released());

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(CompatibilityProblem.SCHEMA_REMOVED);
            assertThat(p.schema()).isEqualTo("IdentityLink");
        });
    }

    @Test
    void shouldReportACurrentSchemaWithoutRelease(@TempDir Path dir) throws IOException {
        List<CompatibilityProblem> problems =
                SchemaReleases.problems(SchemaReleases.current(), SchemaReleases.read(dir));

        assertThat(problems).hasSize(SchemaReleases.current().size());
        assertThat(problems).allSatisfy(p -> assertThat(p.kind()).isEqualTo(CompatibilityProblem.NOT_RELEASED));
    }

    @Test
    void shouldSnapshotEverySchemaAsV1AndThenNothingWhenUnchanged(@TempDir Path dir) throws IOException {
        List<Path> first = SchemaReleases.snapshot(dir, SchemaReleases.current());
        List<Path> second = SchemaReleases.snapshot(dir, SchemaReleases.current());

        assertThat(first).hasSize(SchemaReleases.current().size());
        assertThat(first).allSatisfy(p -> assertThat(p.getFileName().toString()).isEqualTo("v1.avsc"));
        assertThat(second).isEmpty();
        SortedMap<String, SortedMap<Integer, Schema>> read = SchemaReleases.read(dir);
        for (Schema s : SchemaReleases.current()) {
            assertThat(read.get(s.getName()).get(1)).isEqualTo(s);
        }
    }

    @Test
    void shouldSnapshotACompatibleChangeAsTheNextVersion(@TempDir Path dir) throws IOException {
        SchemaReleases.snapshot(dir, SchemaReleases.current());
        Schema optional = variant("IdentityLink-new-optional-field");

        List<Path> written = SchemaReleases.snapshot(dir, currentWith(optional));

        assertThat(written).containsExactly(dir.resolve("IdentityLink").resolve("v2.avsc"));
        assertThat(SchemaReleases.read(dir).get("IdentityLink")).containsKeys(1, 2);
        assertThat(SchemaReleases.read(dir).get("IdentityLink").get(2)).isEqualTo(optional);
    }

    @Test
    void shouldRefuseToSnapshotAnIncompatibleChangeAndWriteNothing(@TempDir Path dir) throws IOException {
        SchemaReleases.snapshot(dir, SchemaReleases.current());
        List<Schema> incompatible = currentWith(variant("IdentityLink-new-required-field"));

        assertThatThrownBy(() -> SchemaReleases.snapshot(dir, incompatible))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("IdentityLink v1: field 'tenant'");
        try (Stream<Path> files = Files.list(dir.resolve("IdentityLink"))) {
            assertThat(files).containsExactly(dir.resolve("IdentityLink").resolve("v1.avsc"));
        }
    }

    @Test
    void shouldRefuseAReleaseFolderWithGapsOrStrayFiles(@TempDir Path dir) throws IOException {
        SchemaReleases.snapshot(dir, SchemaReleases.current());
        Path identity = dir.resolve("IdentityLink");
        Files.move(identity.resolve("v1.avsc"), identity.resolve("v2.avsc"));

        assertThatThrownBy(() -> SchemaReleases.read(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without gaps");

        Files.move(identity.resolve("v2.avsc"), identity.resolve("latest.avsc"));
        assertThatThrownBy(() -> SchemaReleases.read(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("latest.avsc");

        Files.delete(identity.resolve("latest.avsc"));
        Files.copy(dir.resolve("RejectedEvent").resolve("v1.avsc"), identity.resolve("v1.avsc"));
        assertThatThrownBy(() -> SchemaReleases.read(dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not IdentityLink");
    }

    @Test
    void shouldExitWithStatusOneAndNameTheFieldWhenTheCommandLineCheckFails(@TempDir Path dir) throws IOException {
        // released: waitMillis was a string; the current schema reads it as a long
        Path workflow = Files.createDirectories(dir.resolve("WorkflowDefinition"));
        Files.writeString(
                workflow.resolve("v1.avsc"),
                variant("WorkflowDefinition-step-changed-type").toString(true));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = SchemaReleases.run(
                new String[] {"check", dir.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("WorkflowDefinition v1: field 'steps[].waitMillis'")
                .contains("TouchpointEvent: NOT_RELEASED");
        assertThat(SchemaReleases.run(new String[] {"bogus"}, new PrintStream(out), new PrintStream(err)))
                .isEqualTo(2);
    }
}
