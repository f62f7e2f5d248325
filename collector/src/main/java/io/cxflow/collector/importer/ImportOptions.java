package io.cxflow.collector.importer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What to import and how.
 *
 * @param file a CSV or NDJSON file, optionally gzip-compressed
 * @param format the file's format; null to tell it from the name ({@code .csv}, {@code .ndjson}, {@code
 *     .jsonl}, {@code .json}, each optionally followed by {@code .gz})
 * @param mapping how columns become message fields; required for CSV, optional for NDJSON (without it
 *     every line is a Segment message with its own {@code type})
 * @param rejectFile where refused rows go (NDJSON: line, error, field, message, raw); null for {@code
 *     <file>.rejects.ndjson} next to the file
 * @param chunkSize rows published together, each chunk waiting for the broker's acknowledgement
 * @param retryFor how long a chunk is retried while the broker is unavailable before the import stops
 */
public record ImportOptions(
        Path file, Format format, ImportMapping mapping, Path rejectFile, int chunkSize, Duration retryFor) {

    /** Input formats. */
    public enum Format {
        CSV,
        NDJSON
    }

    public ImportOptions {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(retryFor, "retryFor");
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize must be positive");
        }
    }

    /** CSV or NDJSON told from the name, chunks of 500 rows, retried for 2 minutes. */
    public static ImportOptions of(Path file, ImportMapping mapping) {
        return new ImportOptions(file, null, mapping, null, 500, Duration.ofMinutes(2));
    }

    /** The format, given or told from the file name. */
    public Format resolvedFormat() {
        if (format != null) {
            return format;
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".gz")) {
            name = name.substring(0, name.length() - 3);
        }
        if (name.endsWith(".csv")) {
            return Format.CSV;
        }
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl") || name.endsWith(".json")) {
            return Format.NDJSON;
        }
        throw new IllegalArgumentException(
                "cannot tell the format of " + file.getFileName() + ": name it .csv or .ndjson (optionally .gz)");
    }

    /** The reject file, given or next to the input. */
    public Path resolvedRejectFile() {
        return rejectFile != null ? rejectFile : file.resolveSibling(file.getFileName() + ".rejects.ndjson");
    }
}
