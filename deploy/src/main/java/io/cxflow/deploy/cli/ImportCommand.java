package io.cxflow.deploy.cli;

import io.cxflow.collector.CollectorConfig;
import io.cxflow.collector.importer.FileImporter;
import io.cxflow.collector.importer.ImportMapping;
import io.cxflow.collector.importer.ImportOptions;
import io.cxflow.collector.importer.ImportProgress;
import io.cxflow.collector.importer.ImportReport;
import io.cxflow.deploy.local.LocalStack;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.serde.RegistrySerdes;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cx import}: publish a CSV or NDJSON export (POS, call center, CRM) as events of a source. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Publish the rows of a CSV or NDJSON file (optionally .gz) to cx.events.v1 as events of a source, with the"
                    + " same validation and durability as the HTTP API. Invalid rows go to a reject file with their"
                    + " line number and reason. Re-importing the same file adds no duplicates: each row's messageId"
                    + " is derived from the source and the row's key columns.",
            "",
            "Example:  cx import --source dev-pos --mapping pos-mapping.json sales-2026-11.csv.gz"
        })
public final class ImportCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "FILE",
            description = "the CSV or NDJSON file (.csv, .ndjson, .jsonl, optionally .gz)")
    Path file;

    @Option(
            names = "--source",
            required = true,
            paramLabel = "ID",
            description = "the source the rows come from (see 'cx sources')")
    String source;

    @Option(
            names = "--mapping",
            paramLabel = "FILE",
            description =
                    "JSON mapping from columns to event fields (required for CSV; NDJSON rows are Segment messages already)")
    Path mapping;

    @Option(
            names = "--format",
            paramLabel = "csv|ndjson",
            description = "the file format (default: told from the file name)")
    ImportOptions.Format format;

    @Option(
            names = "--rejects",
            paramLabel = "FILE",
            description = "where refused rows go (default: <FILE>.rejects.ndjson)")
    Path rejects;

    @Option(
            names = "--chunk-size",
            paramLabel = "N",
            defaultValue = "500",
            description = "rows published and acknowledged together (default: ${DEFAULT-VALUE})")
    int chunkSize;

    @Option(
            names = "--retry-for",
            paramLabel = "SECONDS",
            defaultValue = "120",
            description = "how long a chunk is retried while the broker is unavailable (default: ${DEFAULT-VALUE})")
    long retryForSeconds;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "a properties file (default: the local defaults of 'cx up')")
    Path configFile;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: kafka.bootstrap.servers, else 127.0.0.1:9092)")
    String bootstrap;

    @Option(
            names = "--registry-url",
            paramLabel = "URL",
            description = "schema registry URL (default: registry.url, else http://127.0.0.1:8085)")
    String registryUrl;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file);
        }
        Map<String, String> overrides = new HashMap<>();
        if (bootstrap != null) {
            overrides.put(CommonConfig.BOOTSTRAP_SERVERS.name(), bootstrap);
        }
        if (registryUrl != null) {
            overrides.put(CommonConfig.REGISTRY_URL.name(), registryUrl);
        }
        ConfigSource config = configFile == null
                ? LocalStack.layered(null, overrides)
                : ConfigSource.fromEnvironment(configFile, overrides);
        CommonConfig common = CommonConfig.from(config);
        CollectorConfig collector = CollectorConfig.from(config);
        ImportMapping columns = mapping == null ? null : ImportMapping.read(mapping);
        ImportOptions options =
                new ImportOptions(file, format, columns, rejects, chunkSize, Duration.ofSeconds(retryForSeconds));
        try (RegistrySerdes serdes = RegistrySerdes.forUrl(common.registryUrl());
                FileImporter importer =
                        FileImporter.open(collector, PlatformContext.connect(common, serdes, "cx-import"))) {
            ProgressBar bar = new ProgressBar(System.err);
            ImportReport report = importer.run(source, options, bar);
            bar.finish();
            System.out.printf(
                    "imported %s: %d rows, %d accepted, %d rejected in %.1f s (%.0f rows/s)%n",
                    file,
                    report.records(),
                    report.accepted(),
                    report.rejected(),
                    report.took().toMillis() / 1000.0,
                    report.rate());
            if (report.rejected() > 0) {
                System.out.printf("refused rows (line, reason) are in %s%n", report.rejectFile());
            }
            return report.rejected() > 0 ? 4 : 0;
        }
    }

    /** A one-line progress bar with rate and ETA, redrawn at most a few times a second. */
    static final class ProgressBar implements ImportProgress {
        private static final int WIDTH = 30;
        private final PrintStream out;
        private long lastDraw;
        private ImportProgress.Status last;

        ProgressBar(PrintStream out) {
            this.out = out;
        }

        @Override
        public synchronized void update(Status status) {
            last = status;
            long now = System.nanoTime();
            if (now - lastDraw > 200_000_000L) {
                lastDraw = now;
                draw(status);
            }
        }

        synchronized void finish() {
            if (last != null) {
                draw(last);
                out.println();
            }
        }

        private void draw(Status s) {
            out.print("\r" + render(s));
            out.flush();
        }

        static String render(Status s) {
            int filled = (int) Math.round(s.fraction() * WIDTH);
            Duration eta = s.eta();
            return String.format(
                    "[%s%s] %3.0f%%  %,d rows  %,.0f rows/s  rejected %,d  ETA %s",
                    "#".repeat(filled),
                    " ".repeat(WIDTH - filled),
                    s.fraction() * 100,
                    s.records(),
                    s.rate(),
                    s.rejected(),
                    eta == null ? "--" : formatDuration(eta));
        }

        static String formatDuration(Duration d) {
            long seconds = d.toSeconds();
            return seconds >= 3600
                    ? String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60)
                    : String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
    }
}
