package io.cxflow.activation.feedback;

import io.cxflow.avro.TouchpointEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/** A recipient directory and an event publisher over Kafka's in-memory producer and consumer. */
final class FeedbackFixtures {

    private static final String TOPIC = "test-recipients";

    final MockProducer<String, String> directoryWrites;
    final MockProducer<String, TouchpointEvent> eventWrites;
    final RecipientDirectory directory;
    final FeedbackPublisher publisher;

    /** Writes are acknowledged at once. */
    FeedbackFixtures() {
        this(true, true);
    }

    /**
     * @param ackDirectory whether directory writes are acknowledged at once (else never: they time out)
     * @param ackEvents whether event writes are acknowledged at once (else when the test says)
     */
    FeedbackFixtures(boolean ackDirectory, boolean ackEvents) {
        directoryWrites = new MockProducer<>(ackDirectory, null, new StringSerializer(), new StringSerializer());
        eventWrites = new MockProducer<>(ackEvents, null, new StringSerializer(), (topic, event) -> new byte[0]);
        directory = new RecipientDirectory(
                directoryWrites, emptyTopic(), emptyTopic(), TOPIC, Duration.ofMillis(200), Duration.ofMillis(50));
        publisher = new FeedbackPublisher(eventWrites, "cx.events.v1");
    }

    /** A consumer of the directory topic: one empty partition. */
    private static MockConsumer<String, String> emptyTopic() {
        MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
        consumer.updateBeginningOffsets(Map.of(partition, 0L));
        consumer.updateEndOffsets(Map.of(partition, 0L));
        return consumer;
    }

    /** Starts following the (empty) directory topic and waits until it is caught up. */
    RecipientDirectory startedDirectory() throws InterruptedException {
        directory.start();
        if (!directory.awaitCaughtUp(Duration.ofSeconds(5))) {
            throw new AssertionError("the directory did not catch up with its empty topic");
        }
        return directory;
    }

    List<TouchpointEvent> events() {
        return eventWrites.history().stream().map(r -> r.value()).toList();
    }

    List<String> eventKeys() {
        return eventWrites.history().stream().map(r -> r.key()).toList();
    }
}
