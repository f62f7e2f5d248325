package io.cxflow.platform.serde;

import io.apicurio.registry.resolver.client.RegistryArtifactReference;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.cxflow.platform.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * A schema registry held in memory, behind the same client interface the Apicurio serdes use against a
 * real server, so unit tests and {@code TopologyTestDriver} tests serialize real Confluent-framed bytes
 * without a server. Thread-safe.
 *
 * <p>It behaves like Apicurio Registry with the global rule {@code BACKWARD} (as {@link
 * io.cxflow.platform.registry.EmbeddedRegistry} runs it): content ids and global ids count from 1;
 * identical content (with identical references) shares one content id; a new Avro version that cannot
 * read data written with the latest version is refused with a {@link SchemaRegistryException} of
 * status 409. Artifacts are Apicurio artifacts (Confluent subjects), in group {@value #DEFAULT_GROUP}
 * unless a group is given.
 */
public final class InMemoryRegistryClient implements RegistryClientFacade {

    public static final String DEFAULT_GROUP = "default";
    private static final String AVRO = "AVRO";

    private record ArtifactKey(String groupId, String artifactId) {}

    private record ContentKey(String text, Set<RegistryArtifactReference> references) {}

    private record Content(long id, String text, String hash, List<RegistryArtifactReference> references) {}

    private record Version(long globalId, String groupId, String artifactId, String version, Content content) {
        RegistryVersionCoordinates coordinates() {
            return RegistryVersionCoordinates.create(globalId, content.id(), groupId, artifactId, version);
        }
    }

    private record Artifact(String type, List<Version> versions) {
        Version latest() {
            return versions.get(versions.size() - 1);
        }
    }

    private final boolean enforceBackward;
    private final Map<ContentKey, Content> contentByKey = new HashMap<>();
    private final Map<Long, Content> contentById = new HashMap<>();
    private final Map<String, Content> contentByHash = new HashMap<>();
    private final Map<Long, Version> versionsByGlobalId = new HashMap<>();
    private final Map<ArtifactKey, Artifact> artifacts = new HashMap<>();
    private long nextContentId = 1;
    private long nextGlobalId = 1;

    /** A registry enforcing {@code BACKWARD} compatibility between consecutive Avro versions. */
    public InMemoryRegistryClient() {
        this(true);
    }

    private InMemoryRegistryClient(boolean enforceBackward) {
        this.enforceBackward = enforceBackward;
    }

    /** A registry that accepts any new version (Apicurio's default without a global rule). */
    public static InMemoryRegistryClient withoutCompatibilityRule() {
        return new InMemoryRegistryClient(false);
    }

    // ---- helpers for tests and tools

    /**
     * Registers an Avro schema under {@code artifactId} (a subject such as {@code cx.events.v1-value}) in
     * the default group, or finds the version that already has it.
     *
     * @return the content id records written with this schema carry
     */
    public long register(String artifactId, String avroSchema) {
        return createSchema(
                        AVRO, DEFAULT_GROUP, artifactId, null, "FIND_OR_CREATE_VERSION", false, avroSchema, Set.of())
                .getContentId();
    }

    /** The content id of the latest version of {@code artifactId} in the default group. */
    public synchronized Optional<Long> latestContentId(String artifactId) {
        Artifact artifact = artifacts.get(new ArtifactKey(DEFAULT_GROUP, artifactId));
        return artifact == null
                ? Optional.empty()
                : Optional.of(artifact.latest().content().id());
    }

    /** The artifact ids (subjects) of the default group, sorted. */
    public synchronized List<String> artifactIds() {
        return artifacts.keySet().stream()
                .filter(key -> key.groupId().equals(DEFAULT_GROUP))
                .map(ArtifactKey::artifactId)
                .sorted()
                .toList();
    }

    // ---- RegistryClientFacade

    @Override
    public synchronized String getSchemaByContentId(Long contentId) {
        return content(contentId).text();
    }

    @Override
    public synchronized String getSchemaByGlobalId(long globalId, boolean dereferenced) {
        return version(globalId).content().text();
    }

    @Override
    public synchronized String getSchemaByGAV(String groupId, String artifactId, String version) {
        return version(groupId, artifactId, version).content().text();
    }

    @Override
    public synchronized String getSchemaByContentHash(String contentHash) {
        Content content = contentByHash.get(contentHash);
        if (content == null) {
            throw notFound("No content with hash " + contentHash);
        }
        return content.text();
    }

    @Override
    public synchronized List<RegistryArtifactReference> getReferencesByContentId(long contentId) {
        return content(contentId).references();
    }

    @Override
    public synchronized List<RegistryArtifactReference> getReferencesByGlobalId(long globalId) {
        return version(globalId).content().references();
    }

    @Override
    public synchronized List<RegistryArtifactReference> getReferencesByGAV(
            String groupId, String artifactId, String version) {
        return version(groupId, artifactId, version).content().references();
    }

    @Override
    public synchronized List<RegistryArtifactReference> getReferencesByContentHash(String contentHash) {
        Content content = contentByHash.get(contentHash);
        if (content == null) {
            throw notFound("No content with hash " + contentHash);
        }
        return content.references();
    }

    @Override
    public synchronized List<RegistryVersionCoordinates> searchVersionsByContent(
            String schemaString, String artifactType, ArtifactReference reference, boolean canonical) {
        Artifact artifact = artifacts.get(new ArtifactKey(group(reference.getGroupId()), reference.getArtifactId()));
        if (artifact == null) {
            return List.of();
        }
        return artifact.versions().stream()
                .filter(v -> v.content().text().equals(schemaString))
                .sorted(Comparator.comparingLong(Version::globalId).reversed())
                .map(Version::coordinates)
                .toList();
    }

    @Override
    public synchronized RegistryVersionCoordinates createSchema(
            String artifactType,
            String groupId,
            String artifactId,
            String version,
            String autoCreateBehavior,
            boolean canonical,
            String schemaString,
            Set<RegistryArtifactReference> references) {
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(schemaString, "schemaString");
        String type = artifactType == null ? AVRO : artifactType;
        Set<RegistryArtifactReference> refs = references == null ? Set.of() : Set.copyOf(references);
        ArtifactKey key = new ArtifactKey(group(groupId), artifactId);
        Artifact artifact = artifacts.get(key);

        if (artifact == null) {
            validate(type, schemaString, refs);
            artifact = new Artifact(type, new ArrayList<>());
            Version created = addVersion(key, artifact, version, schemaString, refs);
            artifacts.put(key, artifact);
            return created.coordinates();
        }

        String behaviour = autoCreateBehavior == null ? "FAIL" : autoCreateBehavior;
        switch (behaviour) {
            case "FAIL" ->
                throw new SchemaRegistryException(409, 40901, "Artifact " + describe(key) + " already exists");
            case "FIND_OR_CREATE_VERSION" -> {
                Optional<Version> existing = artifact.versions().stream()
                        .filter(v -> v.content().text().equals(schemaString)
                                && Set.copyOf(v.content().references()).equals(refs))
                        .max(Comparator.comparingLong(Version::globalId));
                if (existing.isPresent()) {
                    return existing.get().coordinates();
                }
            }
            case "CREATE_VERSION" -> {
                // a new version below
            }
            default -> throw new IllegalArgumentException("Unknown if-exists behaviour: " + behaviour);
        }
        validate(artifact.type(), schemaString, refs);
        checkCompatibility(key, artifact, schemaString, refs);
        return addVersion(key, artifact, version, schemaString, refs).coordinates();
    }

    @Override
    public synchronized RegistryVersionCoordinates getVersionCoordinatesByGAV(
            String groupId, String artifactId, String version) {
        return version(groupId, artifactId, version).coordinates();
    }

    /** This in-memory store (there is no generated REST client behind it). */
    @Override
    public Object getClient() {
        return this;
    }

    // ---- internals (callers hold the lock)

    private Version addVersion(
            ArtifactKey key, Artifact artifact, String version, String text, Set<RegistryArtifactReference> refs) {
        String name = version == null ? nextVersionName(artifact) : version;
        if (artifact.versions().stream().anyMatch(v -> v.version().equals(name))) {
            throw new SchemaRegistryException(
                    409, 40901, "Version " + name + " of artifact " + describe(key) + " already exists");
        }
        Content content = contentByKey.computeIfAbsent(new ContentKey(text, refs), k -> {
            Content created = new Content(nextContentId++, text, sha256(text), List.copyOf(refs));
            contentById.put(created.id(), created);
            contentByHash.putIfAbsent(created.hash(), created);
            return created;
        });
        Version created = new Version(nextGlobalId++, key.groupId(), key.artifactId(), name, content);
        artifact.versions().add(created);
        versionsByGlobalId.put(created.globalId(), created);
        return created;
    }

    private static String nextVersionName(Artifact artifact) {
        long highest = 0;
        for (Version v : artifact.versions()) {
            try {
                highest = Math.max(highest, Long.parseLong(v.version()));
            } catch (NumberFormatException e) {
                // a named version does not take part in numbering
            }
        }
        return Long.toString(highest + 1);
    }

    private static void validate(String type, String text, Set<RegistryArtifactReference> refs) {
        if (AVRO.equals(type) && refs.isEmpty()) {
            parse(text);
        }
    }

    private void checkCompatibility(
            ArtifactKey key, Artifact artifact, String text, Set<RegistryArtifactReference> refs) {
        Content latest = artifact.latest().content();
        if (!enforceBackward
                || !AVRO.equals(artifact.type())
                || !refs.isEmpty()
                || !latest.references().isEmpty()) {
            return;
        }
        Schema reader = parse(text);
        Schema writer = parse(latest.text());
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            StringBuilder reasons = new StringBuilder();
            for (SchemaCompatibility.Incompatibility incompatibility :
                    result.getResult().getIncompatibilities()) {
                if (!reasons.isEmpty()) {
                    reasons.append("; ");
                }
                reasons.append(incompatibility.getType())
                        .append(" at ")
                        .append(incompatibility.getLocation())
                        .append(": ")
                        .append(incompatibility.getMessage());
            }
            throw new SchemaRegistryException(
                    409,
                    409,
                    "Incompatible artifact: " + describe(key) + " [AVRO] breaks the BACKWARD rule against version "
                            + artifact.latest().version() + ": " + reasons);
        }
    }

    private static Schema parse(String text) {
        try {
            return new Schema.Parser().parse(text);
        } catch (SchemaParseException e) {
            throw new SchemaRegistryException(422, 42201, "Invalid Avro schema: " + e.getMessage());
        }
    }

    private Content content(Long contentId) {
        Content content = contentId == null ? null : contentById.get(contentId);
        if (content == null) {
            throw notFound("No content with id " + contentId);
        }
        return content;
    }

    private Version version(long globalId) {
        Version version = versionsByGlobalId.get(globalId);
        if (version == null) {
            throw notFound("No version with global id " + globalId);
        }
        return version;
    }

    private Version version(String groupId, String artifactId, String version) {
        ArtifactKey key = new ArtifactKey(group(groupId), artifactId);
        Artifact artifact = artifacts.get(key);
        if (artifact == null) {
            throw notFound("No artifact " + describe(key));
        }
        if (version == null || version.equals("latest") || version.equals("branch=latest")) {
            return artifact.latest();
        }
        return artifact.versions().stream()
                .filter(v -> v.version().equals(version))
                .findFirst()
                .orElseThrow(() -> notFound("No version " + version + " of artifact " + describe(key)));
    }

    private static String group(String groupId) {
        return groupId == null ? DEFAULT_GROUP : groupId;
    }

    private static String describe(ArtifactKey key) {
        return key.groupId() + "/" + key.artifactId();
    }

    private static SchemaRegistryException notFound(String message) {
        return new SchemaRegistryException(404, 40403, message + " in the in-memory registry");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
