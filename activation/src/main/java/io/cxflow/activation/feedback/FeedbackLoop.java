package io.cxflow.activation.feedback;

import io.cxflow.activation.ActivationMetrics;
import io.cxflow.activation.channel.ChannelConnector;
import io.cxflow.activation.channel.email.EmailConfig;
import io.cxflow.activation.dispatch.ResultSink;
import io.cxflow.avro.PrivacyRequest;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.http.Health;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.platform.metrics.Metrics;
import io.cxflow.schemas.Topic;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feedback of one activation service, assembled: the {@link RecipientDirectory} (its topic created
 * and followed), the producer of feedback events, and what the service hooks in — the connectors
 * that record recipients ({@link #wrap}), the result sink that writes outcome events ({@link #sink}),
 * the public endpoints' logic ({@link #endpoints}), privacy requests ({@link #apply}) and readiness
 * ({@link #health}). Closing it closes its clients.
 */
public final class FeedbackLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FeedbackLoop.class);

    private final FeedbackConfig config;
    private final RecipientDirectory directory;
    private final FeedbackEvents events;
    private final FeedbackPublisher publisher;
    private final ActivationMetrics metrics;
    private final Feedback endpoints;
    private final Deque<AutoCloseable> resources;

    private FeedbackLoop(
            FeedbackConfig config,
            RecipientDirectory directory,
            FeedbackEvents events,
            FeedbackPublisher publisher,
            ActivationMetrics metrics,
            Feedback endpoints,
            Deque<AutoCloseable> resources) {
        this.config = config;
        this.directory = directory;
        this.events = events;
        this.publisher = publisher;
        this.metrics = metrics;
        this.endpoints = endpoints;
        this.resources = resources;
    }

    /**
     * Creates the recipient topic when missing ({@code partitions} partitions, compacted), starts
     * following it, and opens the event producer.
     *
     * @param groupId the service's consumer group: the default topic is {@code <groupId>-recipients}
     * @param email the email channel's configuration, when it is on (tracking and unsubscribe links)
     * @param eventsTopic {@code cx.events.v1}
     * @throws IllegalStateException when the topic cannot be created or followed; what was opened is closed
     */
    public static FeedbackLoop start(
            FeedbackConfig config,
            String groupId,
            Optional<EmailConfig> email,
            KafkaSettings kafka,
            Topic<String, TouchpointEvent> eventsTopic,
            int partitions,
            MeterRegistry registry,
            ActivationMetrics metrics,
            Clock clock,
            Duration pollTimeout) {
        Objects.requireNonNull(config, "config");
        String topic = config.recipientsTopic().orElse(groupId + "-recipients");
        Deque<AutoCloseable> resources = new ArrayDeque<>();
        try {
            try (Admin admin = Admin.create(kafka.admin("activation-recipients-admin"))) {
                RecipientDirectory.ensureTopic(admin, topic, partitions, Duration.ofSeconds(30));
            }
            KafkaProducer<String, String> recipientWrites = new KafkaProducer<>(
                    kafka.producer("activation-recipients", config.writeTimeout(), Map.of()),
                    new StringSerializer(),
                    new StringSerializer());
            resources.push(() -> recipientWrites.close(Duration.ofSeconds(5)));
            RecipientDirectory directory = new RecipientDirectory(
                    recipientWrites,
                    stringConsumer(kafka, "activation-recipients"),
                    stringConsumer(kafka, "activation-recipients-probe"),
                    topic,
                    config.writeTimeout(),
                    pollTimeout);
            resources.push(directory);
            directory.start();
            KafkaProducer<String, TouchpointEvent> eventWrites = new KafkaProducer<>(
                    kafka.producer("activation-feedback", KafkaSettings.DEFAULT_DELIVERY_TIMEOUT, Map.of()),
                    eventsTopic.keySerde().serializer(),
                    eventsTopic.valueSerde().serializer());
            resources.push(() -> eventWrites.close(Duration.ofSeconds(5)));
            KafkaClientMetrics binder = Metrics.bind(registry, eventWrites);
            resources.push(binder::close);
            FeedbackPublisher publisher = new FeedbackPublisher(eventWrites, eventsTopic.name());
            FeedbackEvents events = new FeedbackEvents(config.sourceId(), clock);
            Feedback endpoints = new Feedback(
                    config,
                    directory,
                    events,
                    publisher,
                    email.flatMap(EmailConfig::tracking),
                    email.map(EmailConfig::unsubscribe),
                    metrics);
            log.info("feedback: {}, recipients on {}", config, topic);
            return new FeedbackLoop(config, directory, events, publisher, metrics, endpoints, resources);
        } catch (RuntimeException e) {
            closeAll(resources);
            throw e;
        }
    }

    private static KafkaConsumer<String, String> stringConsumer(KafkaSettings kafka, String name) {
        return new KafkaConsumer<>(
                kafka.consumer(name, null, Map.of()), new StringDeserializer(), new StringDeserializer());
    }

    /** {@code connectors} with those of the feedback channels (and email) recording recipients. */
    public Map<String, ChannelConnector> wrap(Map<String, ChannelConnector> connectors) {
        return RecipientRecordingConnector.wrap(connectors, config, directory);
    }

    /** {@code delegate} writing the outcome events of final results too. */
    public ResultSink sink(ResultSink delegate) {
        return new FeedbackResultSink(delegate, config, directory, events, publisher, metrics);
    }

    /** What the public feedback endpoints do. */
    public Feedback endpoints() {
        return endpoints;
    }

    /** Applies a privacy request to the recipient directory ({@code DELETE} forgets the customer). */
    public void apply(PrivacyRequest request) {
        directory.apply(request);
    }

    /** Readiness: up while the recipient directory follows its topic. */
    public Health.Status health() {
        return directory.isRunning() ? Health.Status.UP : Health.Status.down("not following " + directory.topic());
    }

    @Override
    public void close() {
        closeAll(resources);
    }

    private static void closeAll(Deque<AutoCloseable> resources) {
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("closing {} failed", resource, e);
            }
        }
    }

    @Override
    public String toString() {
        return "FeedbackLoop[" + config + ", " + directory + "]";
    }
}
