package io.cxflow.bench.analytics;

import io.cxflow.avro.TouchpointEvent;
import io.cxflow.schemas.Topic;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * The baseline of the analytics benchmark: the least a Kafka Streams application does with the same events, one
 * {@code groupByKey().aggregate(...)} of a count and the last event time per routing id into a persistent
 * (RocksDB, changelogged) store, reading {@code TouchpointEvent}s with the same registry deserializer as cxflow.
 */
public final class BaselineTopology {

    /** The aggregate store; its changelog is {@code <application id>-baseline-aggregates-changelog}. */
    public static final String STORE = "baseline-aggregates";

    private BaselineTopology() {}

    /** {@code stream(events).groupByKey().aggregate(count + last timestamp)}, every node named. */
    public static Topology build(Topic<String, TouchpointEvent> events) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(
                        events.name(),
                        Consumed.with(events.keySerde(), events.valueSerde()).withName("baseline-source"))
                .groupByKey(Grouped.with("baseline-group", events.keySerde(), events.valueSerde()))
                .aggregate(
                        () -> CountAndLast.NONE,
                        (key, event, aggregate) ->
                                aggregate.add(event.getTimestamp().toEpochMilli()),
                        Named.as("baseline-aggregate"),
                        Materialized.<String, CountAndLast>as(Stores.persistentKeyValueStore(STORE))
                                .withKeySerde(Serdes.String())
                                .withValueSerde(CountAndLast.SERDE));
        return builder.build();
    }

    /**
     * The baseline's aggregate: 16 bytes.
     *
     * @param count events seen for the key
     * @param lastTimestamp event time of the last one (epoch milliseconds)
     */
    public record CountAndLast(long count, long lastTimestamp) {

        static final CountAndLast NONE = new CountAndLast(0, 0);

        static final Serde<CountAndLast> SERDE = Serdes.serdeFrom(serializer(), deserializer());

        CountAndLast add(long timestamp) {
            return new CountAndLast(count + 1, timestamp);
        }

        private static Serializer<CountAndLast> serializer() {
            return (topic, v) -> v == null
                    ? null
                    : ByteBuffer.allocate(16)
                            .putLong(v.count)
                            .putLong(v.lastTimestamp)
                            .array();
        }

        private static Deserializer<CountAndLast> deserializer() {
            return (topic, bytes) -> {
                if (bytes == null) {
                    return null;
                }
                if (bytes.length != 16) {
                    throw new IllegalArgumentException(
                            "a baseline aggregate is 16 bytes (count, last timestamp), not " + bytes.length);
                }
                ByteBuffer b = ByteBuffer.wrap(bytes);
                return new CountAndLast(b.getLong(), b.getLong());
            };
        }
    }
}
