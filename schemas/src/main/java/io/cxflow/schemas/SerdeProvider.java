package io.cxflow.schemas;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Builds the serde of an Avro record type. Implemented once, in {@code platform}, on top of the schema
 * registry (and by an in-memory registry for unit tests).
 */
public interface SerdeProvider {

    /**
     * @param type the generated Avro class
     * @param isKey whether the serde is for record keys
     */
    <T extends SpecificRecord> Serde<T> avro(Class<T> type, boolean isKey);
}
