package io.cxflow.platform.serde;

import io.apicurio.registry.client.RegistryClientFactory;
import io.apicurio.registry.client.common.RegistryClientOptions;
import io.apicurio.registry.resolver.SchemaResolver;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryClientFacadeImpl;
import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import io.apicurio.registry.serde.config.IdOption;
import io.apicurio.registry.serde.config.SerdeConfig;
import io.apicurio.registry.serde.kafka.config.KafkaSerdeConfig;
import io.apicurio.registry.serde.strategy.TopicIdStrategy;
import io.cxflow.schemas.SerdeProvider;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place cxflow builds Avro serdes over a schema registry, writing the Confluent wire format
 * (magic byte 0, the 4-byte content id, the Avro binary; no headers) so any Confluent-compatible
 * consumer can decode cxflow topics through the registry's {@code /apis/ccompat/v7} API. Registration
 * and schema lookup go through Apicurio's Kafka serdes and resolver; records are then written and
 * read with cached Avro writers and readers (see {@link AvroSerde}).
 *
 * <ul>
 *   <li>The serializer registers the record's schema on first use per topic, under the subject {@code
 *       <topic>-value} (or {@code -key}), Confluent's topic-name strategy; the registry's compatibility
 *       rule decides whether a changed schema is accepted.
 *   <li>The schema is registered self-contained (nested records and enums inlined, no references), as
 *       every Confluent client can read it.
 *   <li>The deserializer returns the generated class, reading older writer schemas into it by Avro
 *       schema resolution; a record of another type fails with a {@code SerializationException}.
 * </ul>
 *
 * <p>Serdes are cached per type and side, thread-safe, and may be shared by any number of clients and
 * stream threads; closing them does nothing. Close this provider when the application stops.
 */
public final class RegistrySerdes implements SerdeProvider, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RegistrySerdes.class);
    private static final String API_PATH = "/apis/registry/v3";

    /** The longest wait for a connection to the registry. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** The longest a registry call may wait for data before it fails (Streams' poll interval is 5 minutes). */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(15);

    private record SerdeKey(Class<?> type, boolean isKey) {}

    private final RegistryClientFacade client;
    private final String description;
    private final Vertx vertx;
    private final ConcurrentMap<SerdeKey, Serde<?>> serdes = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private RegistrySerdes(RegistryClientFacade client, String description, Vertx vertx) {
        this.client = client;
        this.description = description;
        this.vertx = vertx;
    }

    /**
     * Serdes backed by the registry at {@code registryBaseUrl}.
     *
     * @param registryBaseUrl the registry's base URL ({@code http://127.0.0.1:8085}) or its v3 API URL
     *     ({@code http://127.0.0.1:8085/apis/registry/v3})
     */
    public static RegistrySerdes forUrl(String registryBaseUrl) {
        return forUrl(registryBaseUrl, CONNECT_TIMEOUT, IDLE_TIMEOUT);
    }

    /**
     * Serdes backed by the registry at {@code registryBaseUrl}, with the given timeouts.
     *
     * @param connectTimeout the longest wait for a connection to the registry
     * @param idleTimeout the longest time a connection may carry no data, a call waiting for its answer
     *     included: a call the registry does not answer in that time fails, and with it the
     *     serialization or deserialization that needed it
     */
    static RegistrySerdes forUrl(String registryBaseUrl, Duration connectTimeout, Duration idleTimeout) {
        String apiUrl = apiUrl(registryBaseUrl);
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        Vertx vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                .setFileSystemOptions(
                        new FileSystemOptions().setFileCachingEnabled(false).setClassPathResolvingEnabled(false)));
        try {
            // Apicurio's own client factory sets neither timeout: a registry that accepts the connection and
            // never answers would hold the calling thread (a stream thread) forever
            WebClient web = WebClient.create(
                    vertx,
                    new WebClientOptions()
                            .setConnectTimeout(Math.toIntExact(connectTimeout.toMillis()))
                            .setIdleTimeout(Math.toIntExact(idleTimeout.toMillis()))
                            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
            String description = "schema registry at " + redact(apiUrl) + " (connect timeout " + seconds(connectTimeout)
                    + ", no answer within " + seconds(idleTimeout) + ")";
            RegistryClientFacade client = new UnavailabilityTranslatingClient(
                    new RegistryClientFacadeImpl(RegistryClientFactory.create(
                            RegistryClientOptions.create(apiUrl, vertx).customWebClient(web))),
                    description);
            log.info("Avro serdes use the {}", description);
            return new RegistrySerdes(client, description, vertx);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    /** Serdes backed by a fresh {@link InMemoryRegistryClient}: for unit and topology tests. */
    public static RegistrySerdes inMemory() {
        return inMemory(new InMemoryRegistryClient());
    }

    /**
     * Serdes backed by the given in-memory registry, so a test can share one registry between several
     * providers or inspect what was registered.
     */
    public static RegistrySerdes inMemory(InMemoryRegistryClient registry) {
        return new RegistrySerdes(Objects.requireNonNull(registry, "registry"), "in-memory schema registry", null);
    }

    /**
     * The serde of a generated Avro class, the same instance on every call.
     *
     * @param isKey whether it serializes record keys (subject {@code <topic>-key}) or values ({@code
     *     <topic>-value})
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T extends SpecificRecord> Serde<T> avro(Class<T> type, boolean isKey) {
        Objects.requireNonNull(type, "type");
        if (closed.get()) {
            throw new IllegalStateException("RegistrySerdes is closed");
        }
        return (Serde<T>) serdes.computeIfAbsent(new SerdeKey(type, isKey), key -> create(type, isKey));
    }

    /** The registry client the serdes use (an {@link InMemoryRegistryClient} for {@link #inMemory()}). */
    public RegistryClientFacade registryClient() {
        return client;
    }

    /** Releases the HTTP client of a URL-backed provider. Serdes handed out must not be used afterwards. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && vertx != null) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                log.warn("Could not close the schema registry client cleanly: {}", e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "RegistrySerdes[" + description + "]";
    }

    private <T extends SpecificRecord> Serde<T> create(Class<T> type, boolean isKey) {
        AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>(client);
        deserializer.configure(serdeConfig(), isKey);
        SchemaResolver<Schema, T> resolver = deserializer.getSchemaResolver();
        return new AvroSerde<>(
                type,
                () -> {
                    AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>(client);
                    serializer.configure(serdeConfig(), isKey);
                    return serializer;
                },
                contentId -> resolver.resolveSchemaByArtifactReference(ArtifactReference.fromContentId(contentId))
                        .getParsedSchema()
                        .getParsedSchema(),
                description);
    }

    /** The Apicurio serde settings: Confluent framing, topic-name subjects, auto-registration. */
    static Map<String, Object> serdeConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT, true);
        config.put(SchemaResolverConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS, "FIND_OR_CREATE_VERSION");
        config.put(SchemaResolverConfig.DEREFERENCE_SCHEMA, true);
        config.put(SerdeConfig.ARTIFACT_RESOLVER_STRATEGY, TopicIdStrategy.class.getName());
        config.put(SerdeConfig.USE_ID, IdOption.contentId.name());
        config.put(KafkaSerdeConfig.ENABLE_HEADERS, false);
        config.put(AvroSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        config.put(AvroSerdeConfig.AVRO_ENCODING, AvroSerdeConfig.AVRO_ENCODING_BINARY);
        return config;
    }

    private static String seconds(Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static void requirePositive(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + timeout);
        }
    }

    static String apiUrl(String registryBaseUrl) {
        Objects.requireNonNull(registryBaseUrl, "registryBaseUrl");
        String url = registryBaseUrl.strip();
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Not a URL (expected e.g. http://127.0.0.1:8085): " + registryBaseUrl, e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException(
                    "The schema registry URL must start with http:// or https://: " + registryBaseUrl);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("The schema registry URL has no host: " + registryBaseUrl);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        if (path.isEmpty()) {
            return url + API_PATH;
        }
        if (path.endsWith(API_PATH)) {
            return url;
        }
        throw new IllegalArgumentException("Give the schema registry's base URL (e.g. http://127.0.0.1:8085) or its "
                + API_PATH + " URL, not " + registryBaseUrl);
    }

    private static String redact(String url) {
        URI uri = URI.create(url);
        return uri.getUserInfo() == null ? url : url.replace(uri.getRawUserInfo() + "@", "***@");
    }
}
