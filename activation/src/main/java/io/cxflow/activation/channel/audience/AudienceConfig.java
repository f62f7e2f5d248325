package io.cxflow.activation.channel.audience;

import io.cxflow.activation.channel.RequestSigner;
import io.cxflow.activation.channel.http.HttpEndpoint;
import io.cxflow.activation.channel.http.MessagingConfig;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigKey;
import io.cxflow.platform.config.ConfigSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The configuration of the {@code ads} channel ({@code activation.audience.*}, environment {@code
 * CX_ACTIVATION_AUDIENCE_*}): batching, and one destination, either a drop folder or an HTTP endpoint.
 * The channel is off while neither {@code activation.audience.drop-dir} nor {@code
 * activation.audience.url} is set.
 *
 * @param maxBatchSize members per batch
 * @param maxDelay the longest a member waits for its batch to fill
 * @param dropDir the drop folder, when batches go to files
 * @param format the data file format of the drop folder
 * @param http the endpoint and signing, when batches go over HTTP
 */
public record AudienceConfig(
        int maxBatchSize,
        Duration maxDelay,
        Optional<Path> dropDir,
        FileDropSink.Format format,
        Optional<MessagingConfig> http) {

    public static final String PREFIX = "activation.audience";

    public static final ConfigKey<Integer> MAX_BATCH_SIZE =
            ConfigKey.integer(PREFIX + ".max-batch-size", 1000, 1, 100_000, "members per audience batch");
    public static final ConfigKey<Duration> MAX_DELAY = ConfigKey.duration(
                    PREFIX + ".max-delay", Duration.ofSeconds(5), "the longest a member waits for its batch to fill")
            .check("greater than 0", d -> !d.isZero());
    public static final ConfigKey<Path> DROP_DIR = ConfigKey.path(
            PREFIX + ".drop-dir", null, "existing folder audience batch files are written to (file-drop destination)");
    public static final ConfigKey<FileDropSink.Format> FORMAT = ConfigKey.enumeration(
            PREFIX + ".format", FileDropSink.Format.class, FileDropSink.Format.CSV, "data file format: csv or ndjson");
    public static final MessagingConfig.Keys HTTP = MessagingConfig.keys(PREFIX, "audience batches");

    /** Every key of the channel. */
    public static final List<ConfigKey<?>> KEYS;

    static {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(MAX_BATCH_SIZE, MAX_DELAY, DROP_DIR, FORMAT));
        keys.addAll(HTTP.all());
        KEYS = List.copyOf(keys);
    }

    public AudienceConfig {
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(dropDir, "dropDir");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(http, "http");
        if (dropDir.isPresent() == http.isPresent()) {
            throw new IllegalArgumentException("exactly one destination: a drop folder or an HTTP endpoint");
        }
    }

    /** Batches to files in {@code dropDir}. */
    public static AudienceConfig fileDrop(
            int maxBatchSize, Duration maxDelay, Path dropDir, FileDropSink.Format format) {
        return new AudienceConfig(maxBatchSize, maxDelay, Optional.of(dropDir), format, Optional.empty());
    }

    /** Batches over HTTP to {@code endpoint}. */
    public static AudienceConfig http(
            int maxBatchSize, Duration maxDelay, HttpEndpoint endpoint, Optional<RequestSigner> signer) {
        return new AudienceConfig(
                maxBatchSize,
                maxDelay,
                Optional.empty(),
                FileDropSink.Format.CSV,
                Optional.of(new MessagingConfig(endpoint, signer)));
    }

    /**
     * The channel's configuration, or empty when no destination is set.
     *
     * @throws ConfigException naming the key when a value is invalid, the folder is missing, or both
     *     destinations are set
     */
    public static Optional<AudienceConfig> from(ConfigSource source) {
        source.validate(KEYS);
        Optional<Path> dir = source.find(DROP_DIR);
        Optional<MessagingConfig> http = HTTP.read(source);
        if (dir.isPresent() && http.isPresent()) {
            throw new ConfigException(
                    DROP_DIR.name(),
                    "set either " + DROP_DIR.name() + " or " + HTTP.endpoint.url.name() + ", not both");
        }
        if (dir.isEmpty() && http.isEmpty()) {
            return Optional.empty();
        }
        if (dir.isPresent() && !Files.isDirectory(dir.get())) {
            throw new ConfigException(DROP_DIR.name(), DROP_DIR.name() + " is not an existing folder: " + dir.get());
        }
        return Optional.of(
                new AudienceConfig(source.get(MAX_BATCH_SIZE), source.get(MAX_DELAY), dir, source.get(FORMAT), http));
    }

    @Override
    public String toString() {
        return "AudienceConfig[maxBatchSize=" + maxBatchSize + ", maxDelay=" + maxDelay + ", destination="
                + (dropDir.isPresent()
                        ? "files " + dropDir.get() + " (" + format + ")"
                        : "http " + http.get().endpoint())
                + "]";
    }
}
