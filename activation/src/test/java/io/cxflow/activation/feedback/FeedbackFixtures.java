package io.cxflow.activation.feedback;

import io.cxflow.avro.TouchpointEvent;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A recipient directory and an event publisher over Kafka's in-memory producer and consumer. */
final class FeedbackFixtures {

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
                directoryWrites,
                new MockConsumer<>("earliest"),
                new MockConsumer<>("earliest"),
                "test-recipients",
                Duration.ofMillis(200),
                Duration.ofMillis(50));
        publisher = new FeedbackPublisher(eventWrites, "cx.events.v1");
    }

    List<TouchpointEvent> events() {
        return eventWrites.history().stream().map(r -> r.value()).toList();
    }

    List<String> eventKeys() {
        return eventWrites.history().stream().map(r -> r.key()).toList();
    }
}
