package io.cxflow.collector.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.collector.CollectorConfig;
import io.cxflow.collector.message.Envelope;
import io.cxflow.collector.message.EventMapper;
import io.cxflow.collector.message.InvalidMessageException;
import io.cxflow.collector.message.MessageType;
import io.cxflow.collector.message.PayloadParser;
import io.cxflow.collector.message.RejectedEvents;
import io.cxflow.collector.message.Rejection;
import io.cxflow.collector.publish.EventPublisher;
import io.cxflow.collector.publish.PublishUnavailableException;
import io.cxflow.collector.source.Source;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.json.Json;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a CSV or NDJSON file (optionally gzip-compressed) of one source into {@code cx.events.v1}, with
 * the same validation, mapping and durability as the HTTP API: rows are published in chunks, each chunk
 * waiting for the broker's {@code acks=all}. Refused rows go to a reject file (line number and reason)
 * and to {@code cx.events.rejected.v1}. A row's messageId, unless mapped from a column, is derived from the
 * source and the row's key ({@link ImportMapping}), so importing the same file again adds no duplicates
 * once they are removed downstream by messageId.
 */
public final class FileImporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FileImporter.class);
    private static final ObjectMapper JSON = Json.mapper();
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Map<String, Source> sources = new HashMap<>();
    private final EventPublisher publisher;
    private final PayloadParser parser;
    private final int maxMessageBytes;
    private final Duration publishTimeout;
    private final Clock clock;

    /**
     * @param publisher writes to the topics; closed by {@link #close()}
     * @param maxMessageBytes the largest row, as for a message of the HTTP API
     * @param publishTimeout how long one chunk waits for the broker before it is retried
     */
    public FileImporter(
            List<Source> sources,
            EventPublisher publisher,
            PayloadParser parser,
            int maxMessageBytes,
            Duration publishTimeout,
            Clock clock) {
        sources.forEach(s -> this.sources.put(s.id(), s));
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.maxMessageBytes = maxMessageBytes;
        this.publishTimeout = Objects.requireNonNull(publishTimeout, "publishTimeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * An importer with its own idempotent {@code acks=all} producer on the platform's cluster, the
     * collector's sources and limits.
     */
    public static FileImporter open(CollectorConfig config, PlatformContext platform) {
        for (Source s : config.sources()) {
            platform.common()
                    .refuseDevelopmentSecret(CollectorConfig.SOURCES_PREFIX + s.id() + ".write-key", s.writeKey());
        }
        MeterRegistry meters = new SimpleMeterRegistry();
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                platform.kafka()
                        .producer(
                                "import",
                                config.deliveryTimeout(),
                                Map.of(
                                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                                        config.publishTimeout().toMillis())),
                new StringSerializer(),
                new ByteArraySerializer());
        EventPublisher publisher = new EventPublisher(
                producer, platform.topics().events(), platform.topics().rejected(), config.maxInFlightBytes(), meters);
        return new FileImporter(
                config.sources(),
                publisher,
                new PayloadParser(config.jsonLimits()),
                config.maxMessageBytes(),
                config.publishTimeout(),
                Clock.systemUTC());
    }

    /**
     * Imports one file.
     *
     * @param sourceId the configured source the rows belong to
     * @throws IllegalArgumentException for an unknown or revoked source, a CSV without mapping, or a mapping
     *     naming columns the file does not have
     * @throws ImportException when the file breaks its format or the broker stays unavailable
     */
    public ImportReport run(String sourceId, ImportOptions options, ImportProgress progress) throws IOException {
        Source source = sources.get(sourceId);
        if (source == null || !source.enabled()) {
            throw new IllegalArgumentException(
                    "no enabled source '" + sourceId + "'; configured: " + new TreeSet<>(sources.keySet()));
        }
        ImportOptions.Format format = options.resolvedFormat();
        if (format == ImportOptions.Format.CSV && options.mapping() == null) {
            throw new IllegalArgumentException("a CSV import needs a mapping file (columns -> message fields)");
        }
        long totalBytes = Files.size(options.file());
        Run run = new Run(source, options, progress, totalBytes);
        try (CountingInputStream counted = new CountingInputStream(Files.newInputStream(options.file()));
                Reader reader = reader(counted)) {
            run.counted = counted;
            if (format == ImportOptions.Format.CSV) {
                run.csv(new CsvReader(reader, maxMessageBytes));
            } else {
                run.ndjson(new BufferedReader(reader, 64 * 1024));
            }
            run.flush();
        } catch (CharacterCodingException e) {
            throw new ImportException("the file is not UTF-8 (after line " + run.line + ")", run.accepted, e);
        } finally {
            run.closeRejects();
        }
        run.report();
        ImportReport report = new ImportReport(
                run.records, run.accepted, run.rejected, run.elapsed(), run.rejects == null ? null : run.rejectPath);
        LOG.info(
                "imported {} into source {}: {} rows, {} accepted, {} rejected in {} ms",
                options.file().getFileName(),
                source.id(),
                report.records(),
                report.accepted(),
                report.rejected(),
                report.took().toMillis());
        return report;
    }

    private static Reader reader(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 64 * 1024);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        InputStream content = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 64 * 1024) : in;
        return new InputStreamReader(
                content,
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    /** The state of one import. */
    private final class Run {
        private final Source source;
        private final ImportOptions options;
        private final ImportProgress progress;
        private final long totalBytes;
        private final long started = System.nanoTime();
        private final Path rejectPath;
        private final String contentType;
        private final List<TouchpointEvent> chunk = new ArrayList<>();
        private CountingInputStream counted;
        private BufferedWriter rejects;
        private long line;
        private long records;
        private long accepted;
        private long rejected;

        Run(Source source, ImportOptions options, ImportProgress progress, long totalBytes) {
            this.source = source;
            this.options = options;
            this.progress = progress == null ? ImportProgress.NONE : progress;
            this.totalBytes = totalBytes;
            this.rejectPath = options.resolvedRejectFile();
            this.contentType =
                    options.resolvedFormat() == ImportOptions.Format.CSV ? "text/csv" : "application/x-ndjson";
        }

        void csv(CsvReader csv) throws IOException {
            Record header;
            try {
                header = csv.next();
            } catch (CsvReader.RecordTooLongException e) {
                throw new ImportException("the header line is longer than " + maxMessageBytes + " characters", 0, e);
            }
            if (header == null) {
                return;
            }
            Map<String, Integer> columns = new LinkedHashMap<>();
            for (int i = 0; i < header.values().size(); i++) {
                String name = header.values().get(i).strip();
                if (columns.putIfAbsent(name, i) != null) {
                    throw new IllegalArgumentException("the header names column '" + name + "' twice");
                }
            }
            Set<String> missing = new TreeSet<>(options.mapping().columns());
            missing.removeAll(columns.keySet());
            if (!missing.isEmpty()) {
                throw new IllegalArgumentException("the mapping reads columns the file's header does not have: "
                        + missing + " (header: " + columns.keySet() + ")");
            }
            while (true) {
                Record r;
                try {
                    r = csv.next();
                } catch (CsvReader.RecordTooLongException e) {
                    records++;
                    line = e.line();
                    reject(e.line(), "", new Rejection(Rejection.MESSAGE_TOO_LARGE, null, e.getMessage()));
                    continue;
                } catch (CsvReader.MalformedCsvException e) {
                    throw new ImportException("malformed CSV, " + e.getMessage(), accepted, e);
                }
                if (r == null) {
                    return;
                }
                records++;
                line = r.line();
                if (r.values().size() != columns.size()) {
                    reject(
                            r.line(),
                            r.raw(),
                            new Rejection(
                                    Rejection.INVALID_VALUE,
                                    null,
                                    "the row has " + r.values().size() + " cells, the header " + columns.size()));
                    continue;
                }
                ImportMapping.Row row = column -> {
                    String cell = r.values().get(columns.get(column));
                    return cell.isEmpty() ? null : TextNode.valueOf(cell);
                };
                accept(r.line(), r.raw(), () -> options.mapping().map(row, r.raw()));
            }
        }

        void ndjson(BufferedReader lines) throws IOException {
            String text;
            while ((text = lines.readLine()) != null) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                records++;
                String raw = text;
                long at = line;
                accept(at, raw, () -> {
                    byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
                    if (bytes.length > maxMessageBytes) {
                        throw tooLarge(bytes.length);
                    }
                    ObjectNode message = parser.single(bytes);
                    if (options.mapping() != null) {
                        ImportMapping.Row row = column -> {
                            JsonNode v = message.get(column);
                            return v == null
                                            || v.isNull()
                                            || (v.isTextual() && v.textValue().isEmpty())
                                    ? null
                                    : v;
                        };
                        return options.mapping().map(row, raw);
                    }
                    JsonNode type = message.get("type");
                    MessageType t = type != null && type.isTextual()
                            ? MessageType.fromWireName(type.textValue()).orElse(null)
                            : null;
                    if (t == null) {
                        throw new InvalidMessageException(new Rejection(
                                type == null ? Rejection.MISSING_FIELD : Rejection.INVALID_VALUE,
                                "type",
                                "type must be one of track, identify, page, screen, group, alias"));
                    }
                    return new ImportMapping.Mapped(t, message, raw);
                });
            }
        }

        private interface Mapper {
            ImportMapping.Mapped map();
        }

        private void accept(long at, String raw, Mapper mapper) throws IOException {
            TouchpointEvent event;
            try {
                int size = raw.length() > maxMessageBytes / 4 ? raw.getBytes(StandardCharsets.UTF_8).length : 0;
                if (size > maxMessageBytes) {
                    throw tooLarge(size);
                }
                ImportMapping.Mapped mapped = mapper.map();
                ObjectNode message = mapped.message();
                if (!message.hasNonNull("messageId")) {
                    message.put("messageId", messageId(source.id(), mapped.rowKey()));
                }
                event = EventMapper.map(
                        message, mapped.type(), new Envelope(source, clock.instant(), null, null, null, null));
            } catch (InvalidMessageException e) {
                reject(at, raw, e.rejection());
                return;
            }
            chunk.add(event);
            if (chunk.size() >= options.chunkSize()) {
                flush();
            }
        }

        private InvalidMessageException tooLarge(int bytes) {
            return new InvalidMessageException(new Rejection(
                    Rejection.MESSAGE_TOO_LARGE,
                    null,
                    "the row is " + bytes + " bytes, more than the " + maxMessageBytes + " allowed"));
        }

        void flush() throws IOException {
            if (chunk.isEmpty()) {
                return;
            }
            long giveUp = System.nanoTime() + options.retryFor().toNanos();
            Duration backoff = Duration.ofMillis(500);
            while (true) {
                try {
                    publisher.publish(chunk, System.nanoTime() + publishTimeout.toNanos());
                    break;
                } catch (PublishUnavailableException e) {
                    if (System.nanoTime() + backoff.toNanos() > giveUp) {
                        throw new ImportException(
                                "the broker did not acknowledge rows up to line " + line + " within "
                                        + options.retryFor().toSeconds() + " s (" + e.getMessage()
                                        + "); running the same import again is safe",
                                accepted,
                                e);
                    }
                    LOG.warn(
                            "Import of {}: the broker is unavailable ({}); retrying {} rows in {} ms",
                            options.file().getFileName(),
                            e.getMessage(),
                            chunk.size(),
                            backoff.toMillis());
                    sleep(backoff);
                    backoff =
                            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
                }
            }
            accepted += chunk.size();
            chunk.clear();
            report();
        }

        private void reject(long at, String raw, Rejection rejection) throws IOException {
            rejected++;
            if (rejects == null) {
                rejects = Files.newBufferedWriter(rejectPath, StandardCharsets.UTF_8);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("line", at);
            entry.put("error", rejection.code());
            if (rejection.field() != null) {
                entry.put("field", rejection.field());
            }
            entry.put("message", rejection.message());
            entry.put("raw", raw);
            rejects.write(JSON.writeValueAsString(entry));
            rejects.newLine();
            Rejection withLine =
                    new Rejection(rejection.code(), rejection.field(), "line " + at + ": " + rejection.message());
            publisher.reject(RejectedEvents.of(
                    source.id(),
                    RejectedEvents.STAGE_IMPORT,
                    clock.instant(),
                    raw.getBytes(StandardCharsets.UTF_8),
                    null,
                    contentType,
                    withLine));
        }

        void report() {
            long read = counted == null ? 0 : counted.count();
            progress.update(new ImportProgress.Status(records, accepted, rejected, read, totalBytes, elapsed()));
        }

        Duration elapsed() {
            return Duration.ofNanos(System.nanoTime() - started);
        }

        void closeRejects() throws IOException {
            if (rejects != null) {
                rejects.close();
            }
        }
    }

    /**
     * The messageId of a row without one: a name-based UUID of the source and the row key, the same every
     * time the same row of the same source is imported.
     */
    static String messageId(String sourceId, String rowKey) {
        return UUID.nameUUIDFromBytes(
                        ("cx-import\u0000" + sourceId + "\u0000" + rowKey).getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    private static void sleep(Duration d) throws ImportException {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImportException("interrupted", 0, e);
        }
    }

    /** Closes the producer after flushing what it holds. */
    @Override
    public void close() {
        publisher.close();
    }

    /** Counts the bytes of the file as stored, for the progress bar. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
