package io.cxflow.analytics.rejection;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.platform.serde.RegistryUnavailableException;
import java.net.ConnectException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void shouldTreatAnUnavailableRegistryAsTransientHoweverDeepTheSerdeWrapsIt() {
        // the chain a serde throws when the registry accepted the connection and never answered
        SerializationException failure = new SerializationException(
                "Could not serialize io.cxflow.avro.CustomerProfile for topic cx.profiles.v1",
                new RuntimeException(new RuntimeException(new RegistryUnavailableException(
                        "the schema registry at http://127.0.0.1:8085/apis/registry/v3 is unavailable",
                        new IllegalStateException("Connection was closed")))));

        assertThat(Failures.isTransient(failure)).isTrue();
        assertThat(Failures.isTransient(new SerializationException(new ConnectException("refused"))))
                .isTrue();
    }

    @Test
    void shouldLeaveTheRecordsOwnFailuresToIt() {
        assertThat(Failures.isTransient(
                        new SerializationException("Record on topic cx.events.v1 is not in the Confluent wire format")))
                .isFalse();
        assertThat(Failures.isTransient(new IllegalArgumentException("bad amount")))
                .isFalse();
        assertThat(Failures.describe(new SerializationException("outer", new IllegalStateException("root cause"))))
                .isEqualTo("IllegalStateException: root cause");
    }
}
