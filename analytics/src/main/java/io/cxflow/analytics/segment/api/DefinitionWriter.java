package io.cxflow.analytics.segment.api;

import io.cxflow.avro.SegmentDefinition;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.kafka.TopicAdmin;
import io.cxflow.schemas.Topic;
import io.cxflow.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes segment definitions to {@code cx.segment-definitions.v1} with the platform producer ({@code
 * acks=all}, idempotent) and creates per-segment topics. Both clients are created on first use and kept
 * until {@link #close()}. A write that is not acknowledged in time, or a topic that cannot be created,
 * is a 503: the client may repeat the request.
 */
final class DefinitionWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DefinitionWriter.class);

    /** Bound on one write, from send to acknowledgement. */
    static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    /** Bound on each admin round trip of a topic creation. */
    static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(15);

    private final PlatformContext platform;
    private final Topic<String, SegmentDefinition> topic;
    private KafkaProducer<String, SegmentDefinition> producer;
    private Admin admin;
    private short replicationFactor;
    private boolean closed;

    DefinitionWriter(PlatformContext platform) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.topic = platform.topics().segmentDefinitions();
    }

    /** The topic definitions are written to. */
    String topicName() {
        return topic.name();
    }

    /**
     * Writes a definition and waits for the acknowledgement of every in-sync replica.
     *
     * @param definition the definition; null writes a tombstone (removes the segment)
     * @throws io.cxflow.platform.http.HttpProblem 503 when it is not acknowledged within {@link #SEND_TIMEOUT}
     */
    RecordMetadata write(String id, SegmentDefinition definition) {
        KafkaProducer<String, SegmentDefinition> client = producer();
        try {
            return client.send(new ProducerRecord<>(topic.name(), id, definition))
                    .get(SEND_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            LOG.warn(
                    "segment {} was not written to {}: {}",
                    id,
                    topic.name(),
                    e.getCause().toString());
            throw SegmentNode.unavailable("segment " + id + " could not be written to " + topic.name() + ": "
                    + e.getCause().getMessage() + "; repeat the request");
        } catch (TimeoutException e) {
            throw SegmentNode.unavailable("writing segment " + id + " to " + topic.name()
                    + " was not acknowledged within " + SEND_TIMEOUT.toSeconds() + " s; repeat the request");
        } catch (KafkaException e) {
            throw SegmentNode.unavailable(
                    "segment " + id + " could not be written to " + topic.name() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SegmentNode.unavailable("interrupted while writing segment " + id);
        }
    }

    /**
     * Creates {@code cx.segment.<id>.v1} (catalog spec {@link Topics#segmentTopic}) unless it exists, with the
     * replication factor of the definitions topic.
     *
     * @return the topic's name
     */
    String ensureSegmentTopic(String id) {
        String name = platform.topics().segment(id).name();
        try {
            Admin client = admin();
            boolean created = TopicAdmin.ensureTopic(
                    client,
                    Topics.segmentTopic(id),
                    platform.topics().prefix(),
                    replicationFactor(client),
                    TOPIC_TIMEOUT);
            if (created) {
                LOG.info("segment {}: created topic {}", id, name);
            }
            return name;
        } catch (KafkaException e) {
            throw SegmentNode.unavailable("the topic " + name + " of segment " + id + " could not be created: "
                    + e.getMessage() + "; repeat the request");
        }
    }

    private synchronized KafkaProducer<String, SegmentDefinition> producer() {
        if (closed) {
            throw SegmentNode.unavailable("the analytics instance is stopping");
        }
        if (producer == null) {
            Map<String, Object> config = platform.kafka().producer("segment-definitions", SEND_TIMEOUT, Map.of());
            producer = new KafkaProducer<>(
                    config, topic.keySerde().serializer(), topic.valueSerde().serializer());
        }
        return producer;
    }

    private synchronized Admin admin() {
        if (closed) {
            throw SegmentNode.unavailable("the analytics instance is stopping");
        }
        if (admin == null) {
            admin = Admin.create(platform.kafka().admin("segment-topics"));
        }
        return admin;
    }

    /** The replication factor of the definitions topic, read once. */
    private synchronized short replicationFactor(Admin client) {
        if (replicationFactor > 0) {
            return replicationFactor;
        }
        try {
            TopicDescription description = client.describeTopics(List.of(topic.name()))
                    .allTopicNames()
                    .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic.name());
            replicationFactor = (short)
                    Math.max(1, description.partitions().getFirst().replicas().size());
            return replicationFactor;
        } catch (ExecutionException e) {
            throw new KafkaException(
                    "cannot describe " + topic.name() + ": " + e.getCause().getMessage(), e);
        } catch (TimeoutException e) {
            throw new KafkaException("cannot describe " + topic.name() + " within " + TOPIC_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("interrupted while describing " + topic.name(), e);
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
