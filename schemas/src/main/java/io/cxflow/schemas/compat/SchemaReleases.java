package io.cxflow.schemas.compat;

import io.cxflow.schemas.TopicSpec;
import io.cxflow.schemas.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.avro.specific.SpecificData;

/**
 * The released versions of every schema, kept in the repository as {@code
 * schemas/src/main/avro-released/<RecordName>/v<N>.avsc} (self-contained: nested named types inlined),
 * and the tool that releases the next version.
 *
 * <p>A release is what may already be on a topic, so every current schema must read data written with
 * every released version of it (BACKWARD, checked transitively against all versions), and no released
 * schema may disappear. {@code SchemaCompatibilityTest} enforces this on every build.
 *
 * <p>Release command (from the repository root):
 *
 * <pre>
 * mvn -B -o -q -pl schemas -Prelease-schemas process-classes
 * </pre>
 *
 * which runs {@code SchemaReleases snapshot <dir>}: every current schema whose text differs from its
 * latest release is written as the next version (v1 for a new schema); nothing is written when any schema
 * is incompatible with a release. {@code SchemaReleases check <dir>} only reports.
 */
public final class SchemaReleases {

    /** System property naming the released-schema directory (set by the build for tests). */
    public static final String RELEASED_DIR_PROPERTY = "cx.schemas.released.dir";

    private static final Pattern VERSION_FILE = Pattern.compile("v([1-9][0-9]{0,8})\\.avsc");

    private SchemaReleases() {}

    /**
     * Every schema written to a catalog topic (the value types of {@link Topics#ALL} and of the
     * per-segment topics), one per record, in catalog order.
     */
    public static List<Schema> current() {
        Map<String, Schema> schemas = new LinkedHashMap<>();
        List<TopicSpec<String, ?>> specs = new ArrayList<>(Topics.ALL);
        specs.add(Topics.segmentTopic("example"));
        for (TopicSpec<String, ?> spec : specs) {
            Schema schema = SpecificData.get().getSchema(spec.valueType());
            schemas.putIfAbsent(schema.getFullName(), schema);
        }
        return List.copyOf(schemas.values());
    }

    /**
     * The released-schema directory: the {@value #RELEASED_DIR_PROPERTY} system property, else {@code
     * src/main/avro-released} or {@code schemas/src/main/avro-released} under the working directory.
     */
    public static Path defaultDirectory() {
        String configured = System.getProperty(RELEASED_DIR_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path inModule = Path.of("src", "main", "avro-released");
        return Files.isDirectory(inModule) ? inModule : Path.of("schemas", "src", "main", "avro-released");
    }

    /**
     * Reads every released schema.
     *
     * @return record simple name -> version -> schema
     * @throws IllegalStateException when the directory is not laid out as {@code <RecordName>/v<N>.avsc}
     *     with versions 1 to N and each file holding the record its folder names
     */
    public static SortedMap<String, SortedMap<Integer, Schema>> read(Path dir) throws IOException {
        SortedMap<String, SortedMap<Integer, Schema>> released = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return released;
        }
        try (DirectoryStream<Path> records = Files.newDirectoryStream(dir)) {
            for (Path recordDir : records) {
                String name = recordDir.getFileName().toString();
                if (!Files.isDirectory(recordDir)) {
                    throw invalid(dir, name + " is not a folder named after a record");
                }
                released.put(name, readVersions(recordDir, name));
            }
        }
        return released;
    }

    private static SortedMap<Integer, Schema> readVersions(Path recordDir, String name) throws IOException {
        SortedMap<Integer, Schema> versions = new TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(recordDir)) {
            for (Path file : files) {
                Matcher m = VERSION_FILE.matcher(file.getFileName().toString());
                if (!m.matches()) {
                    throw invalid(recordDir, file.getFileName() + " is not named v<N>.avsc");
                }
                Schema schema;
                try {
                    schema = new Schema.Parser().parse(Files.readString(file, StandardCharsets.UTF_8));
                } catch (SchemaParseException e) {
                    throw invalid(recordDir, file.getFileName() + " is not a valid Avro schema: " + e.getMessage());
                }
                if (schema.getType() != Schema.Type.RECORD || !schema.getName().equals(name)) {
                    throw invalid(recordDir, file.getFileName() + " holds " + schema.getFullName() + ", not " + name);
                }
                versions.put(Integer.parseInt(m.group(1)), schema);
            }
        }
        if (versions.isEmpty()) {
            throw invalid(recordDir, "no released version");
        }
        if (versions.lastKey() != versions.size()) {
            throw invalid(
                    recordDir,
                    "versions must run from v1 to v" + versions.size() + " without gaps: " + versions.keySet());
        }
        return versions;
    }

    private static IllegalStateException invalid(Path dir, String message) {
        return new IllegalStateException(CompatibilityProblem.INVALID_RELEASE + " in " + dir + ": " + message);
    }

    /**
     * Every problem of the current schemas against the releases: incompatibilities with any released
     * version, released schemas that are no longer current ({@link CompatibilityProblem#SCHEMA_REMOVED})
     * and current schemas with no release ({@link CompatibilityProblem#NOT_RELEASED}).
     */
    public static List<CompatibilityProblem> problems(
            List<Schema> current, SortedMap<String, SortedMap<Integer, Schema>> released) {
        List<CompatibilityProblem> problems = new ArrayList<>();
        Map<String, Schema> byName = byName(current);
        for (Map.Entry<String, SortedMap<Integer, Schema>> record : released.entrySet()) {
            String name = record.getKey();
            Schema schema = byName.get(name);
            if (schema == null) {
                problems.add(new CompatibilityProblem(
                        name,
                        record.getValue().lastKey(),
                        "",
                        "",
                        CompatibilityProblem.SCHEMA_REMOVED,
                        "released, but no current schema has this name; data already written with it could no"
                                + " longer be read"));
                continue;
            }
            for (Map.Entry<Integer, Schema> version : record.getValue().entrySet()) {
                Schema releasedSchema = version.getValue();
                if (!releasedSchema.getFullName().equals(schema.getFullName())) {
                    problems.add(new CompatibilityProblem(
                            name,
                            version.getKey(),
                            "",
                            "",
                            "NAME_MISMATCH",
                            "released as " + releasedSchema.getFullName() + ", now " + schema.getFullName()));
                    continue;
                }
                problems.addAll(BackwardCompatibility.check(name, version.getKey(), schema, releasedSchema));
            }
        }
        for (String name : byName.keySet()) {
            if (!released.containsKey(name)) {
                problems.add(new CompatibilityProblem(
                        name,
                        0,
                        "",
                        "",
                        CompatibilityProblem.NOT_RELEASED,
                        "no released version; release it with: mvn -B -o -q -pl schemas -Prelease-schemas"
                                + " process-classes"));
            }
        }
        return problems;
    }

    /**
     * Writes every current schema whose text differs from its latest release as the next version.
     *
     * @return the files written, empty when nothing changed
     * @throws IllegalStateException naming the problems, with nothing written, when a current schema is
     *     not compatible with a release or a released schema is no longer current
     */
    public static List<Path> snapshot(Path dir, List<Schema> current) throws IOException {
        SortedMap<String, SortedMap<Integer, Schema>> released = read(dir);
        List<CompatibilityProblem> blocking = new ArrayList<>();
        for (CompatibilityProblem p : problems(current, released)) {
            if (!p.kind().equals(CompatibilityProblem.NOT_RELEASED)) {
                blocking.add(p);
            }
        }
        if (!blocking.isEmpty()) {
            StringBuilder message = new StringBuilder(
                    "nothing released: the current schemas are not BACKWARD" + " compatible with the released ones:");
            blocking.forEach(
                    p -> message.append(System.lineSeparator()).append("  ").append(p.describe()));
            throw new IllegalStateException(message.toString());
        }
        List<Path> written = new ArrayList<>();
        for (Schema schema : current) {
            SortedMap<Integer, Schema> versions = released.getOrDefault(schema.getName(), Collections.emptySortedMap());
            if (!versions.isEmpty()
                    && versions.get(versions.lastKey()).toString().equals(schema.toString())) {
                continue;
            }
            int next = versions.isEmpty() ? 1 : versions.lastKey() + 1;
            Path file = dir.resolve(schema.getName()).resolve("v" + next + ".avsc");
            Files.createDirectories(file.getParent());
            Files.writeString(file, schema.toString(true) + "\n", StandardCharsets.UTF_8);
            written.add(file);
        }
        return written;
    }

    private static Map<String, Schema> byName(List<Schema> schemas) {
        Map<String, Schema> byName = new LinkedHashMap<>();
        for (Schema s : schemas) {
            if (byName.putIfAbsent(s.getName(), s) != null) {
                throw new IllegalArgumentException("two current schemas are named " + s.getName());
            }
        }
        return byName;
    }

    /**
     * {@code snapshot [dir]} releases changed schemas; {@code check [dir]} reports problems. Exit status 0
     * on success, 1 on problems, 2 on wrong usage.
     */
    public static void main(String[] args) throws IOException {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws IOException {
        if (args.length < 1 || args.length > 2 || !List.of("snapshot", "check").contains(args[0])) {
            err.println("usage: SchemaReleases snapshot|check [released-schema directory]");
            return 2;
        }
        Path dir = args.length == 2 ? Path.of(args[1]) : defaultDirectory();
        if (args[0].equals("check")) {
            List<CompatibilityProblem> problems = problems(current(), read(dir));
            problems.forEach(p -> err.println(p.describe()));
            out.println(
                    problems.isEmpty()
                            ? "every schema is compatible with all its released versions"
                            : problems.size() + " problem(s)");
            return problems.isEmpty() ? 0 : 1;
        }
        try {
            List<Path> written = snapshot(dir, current());
            if (written.isEmpty()) {
                out.println("no schema changed since its latest release in " + dir);
            }
            written.forEach(f -> out.println("released " + f));
            return 0;
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            return 1;
        }
    }
}
