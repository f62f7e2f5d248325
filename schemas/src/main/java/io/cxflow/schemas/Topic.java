package io.cxflow.schemas;

import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * A catalog topic bound to its concrete name (with the namespace prefix, if any) and its serdes. Obtain
 * one from {@link Topics}; topology and client code read {@code topic.name()}, {@code
 * topic.keySerde()}, {@code topic.valueSerde()}.
 */
public record Topic<K, V extends SpecificRecord>(
        String name, TopicSpec<K, V> spec, Serde<K> keySerde, Serde<V> valueSerde) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }
}
