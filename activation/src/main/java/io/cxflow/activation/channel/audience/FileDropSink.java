package io.cxflow.activation.channel.audience;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.FailureClassifier;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * Delivers audience batches as files in a drop folder, for an uploader (SFTP, a cloud bucket sync, a
 * platform's file import) to pick up. Per batch, in {@code <dropDir>/<audience>/}:
 *
 * <ul>
 *   <li>{@code <operation>-<batchId>.csv} (or {@code .ndjson}): one row per identifier, {@code
 *       member_id,identifier_type,sha256} (NDJSON: {@code {"memberId", "type", "sha256"}});
 *   <li>{@code <operation>-<batchId>.manifest.json}, written after the data file: {@code batchId},
 *       {@code audience}, {@code operation}, {@code format}, {@code file}, {@code members}, {@code
 *       rows}, {@code sha256} of the data file, {@code createdAt}.
 * </ul>
 *
 * Both are written to a temporary file in the same folder, forced to disk, and renamed atomically, so
 * a reader never sees a partial file; a reader should take a data file only once its manifest exists.
 * A batch whose manifest already exists is not written again (the delivery is reported as sent). I/O
 * failures are retriable.
 */
public final class FileDropSink implements AudienceSink {

    /** The data file format. */
    public enum Format {
        CSV,
        NDJSON;

        String extension() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Path dropDir;
    private final Format format;
    private final ObjectMapper mapper;
    private final Clock clock;

    /** @param dropDir an existing folder */
    public FileDropSink(Path dropDir, Format format, ObjectMapper mapper, Clock clock) {
        this.dropDir = Objects.requireNonNull(dropDir, "dropDir");
        this.format = Objects.requireNonNull(format, "format");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!Files.isDirectory(dropDir)) {
            throw new IllegalArgumentException("the audience drop folder does not exist: " + dropDir);
        }
    }

    /** The data file of {@code batch}. */
    public Path dataFile(AudienceBatch batch) {
        return dropDir.resolve(batch.audience()).resolve(baseName(batch) + "." + format.extension());
    }

    /** The manifest of {@code batch}. */
    public Path manifestFile(AudienceBatch batch) {
        return dropDir.resolve(batch.audience()).resolve(baseName(batch) + ".manifest.json");
    }

    private static String baseName(AudienceBatch batch) {
        return batch.operation().label() + "-" + batch.id();
    }

    @Override
    public Delivery deliver(AudienceBatch batch) {
        long start = System.nanoTime();
        Path manifest = manifestFile(batch);
        if (Files.exists(manifest)) {
            return new Delivery(
                    Delivery.Outcome.SENT,
                    null,
                    elapsed(start),
                    "already dropped: " + manifest.getFileName(),
                    null,
                    null);
        }
        try {
            Files.createDirectories(manifest.getParent());
            byte[] data = data(batch);
            Path dataFile = dataFile(batch);
            writeAtomically(dataFile, data);
            writeAtomically(manifest, manifest(batch, dataFile, data));
            return new Delivery(
                    Delivery.Outcome.SENT, null, elapsed(start), "dropped " + dataFile.getFileName(), null, null);
        } catch (IOException e) {
            return new Delivery(
                    FailureClassifier.ofError(e),
                    null,
                    elapsed(start),
                    null,
                    "cannot write the audience batch: " + FailureClassifier.describe(e),
                    null);
        }
    }

    /** The data file's bytes: a pure function of the batch. */
    byte[] data(AudienceBatch batch) throws JsonProcessingException {
        StringBuilder out = new StringBuilder();
        if (format == Format.CSV) {
            out.append("member_id,identifier_type,sha256\n");
        }
        for (AudienceMember m : batch.members()) {
            for (String h : m.emailHashes()) {
                row(out, m.memberId(), "email", h);
            }
            for (String h : m.phoneHashes()) {
                row(out, m.memberId(), "phone", h);
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void row(StringBuilder out, String memberId, String type, String hash) throws JsonProcessingException {
        if (format == Format.CSV) {
            // ids, types and hashes are [0-9a-z]: nothing to quote
            out.append(memberId)
                    .append(',')
                    .append(type)
                    .append(',')
                    .append(hash)
                    .append('\n');
        } else {
            ObjectNode line = mapper.createObjectNode();
            line.put("memberId", memberId);
            line.put("type", type);
            line.put("sha256", hash);
            out.append(mapper.writeValueAsString(line)).append('\n');
        }
    }

    private byte[] manifest(AudienceBatch batch, Path dataFile, byte[] data) throws JsonProcessingException {
        ObjectNode m = mapper.createObjectNode();
        m.put("batchId", batch.id());
        m.put("audience", batch.audience());
        m.put("operation", batch.operation().label());
        m.put("format", format.extension());
        m.put("file", dataFile.getFileName().toString());
        m.put("members", batch.members().size());
        m.put("rows", batch.identifierCount());
        m.put("sha256", AudienceMember.sha256Hex(data));
        m.put("hashing", "sha256 of trimmed lower-case email / E.164 phone with '+'");
        m.put("createdAt", clock.instant().toString());
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(m);
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path temp = target.resolveSibling(".tmp-" + UUID.randomUUID() + "-" + target.getFileName());
        try {
            try (FileChannel channel =
                    FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(
                        "the drop folder's file system cannot rename atomically: " + target.getParent(), e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    @Override
    public String describe() {
        return "file drop " + dropDir + " (" + format.extension() + ")";
    }
}
