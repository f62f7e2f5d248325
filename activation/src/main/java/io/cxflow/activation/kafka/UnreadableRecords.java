package io.cxflow.activation.kafka;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.slf4j.Logger;

/** What every activation consumer loop does with a record its deserializer cannot read: log it and move past it. */
public final class UnreadableRecords {

    private UnreadableRecords() {}

    /**
     * Logs the unreadable record (topic, partition, offset, reason) and seeks {@code consumer} past it.
     *
     * @return the position after it, for a caller that commits it
     */
    public static OffsetAndMetadata skip(Consumer<?, ?> consumer, RecordDeserializationException e, Logger log) {
        TopicPartition tp = e.topicPartition();
        log.error(
                "skipping unreadable record {}-{} offset {}: {}",
                tp.topic(),
                tp.partition(),
                e.offset(),
                e.getMessage());
        consumer.seek(tp, e.offset() + 1);
        return new OffsetAndMetadata(e.offset() + 1);
    }
}
