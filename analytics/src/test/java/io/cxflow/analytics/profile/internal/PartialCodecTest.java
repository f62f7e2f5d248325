package io.cxflow.analytics.profile.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.testing.Events;
import io.cxflow.avro.CustomerProfile;
import java.util.Arrays;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class PartialCodecTest {

    private final CustomerProfile partial = new ProfileAggregator(new ProfileSettings("EUR"))
            .apply(
                    "userId:u-1",
                    null,
                    new Events()
                            .track("u-1", "Order Completed", Events.at(1))
                            .setProperties("{\"revenue\": 12.5, \"currency\": \"EUR\"}")
                            .build());

    @Test
    void shouldDecodeWhatItEncodedAndEncodeTheSameContentToTheSameBytes() {
        byte[] bytes = PartialCodec.encode(partial);

        assertThat(bytes[0]).isEqualTo(PartialCodec.MAGIC);
        assertThat(new PartialCodec(null).decode("partials", bytes)).isEqualTo(partial);
        assertThat(PartialCodec.encode(new PartialCodec(null).decode("partials", bytes)))
                .isEqualTo(bytes);
    }

    @Test
    void shouldReadTheBareFingerprintLayoutOfOlderOps() {
        byte[] current = PartialCodec.encode(partial);
        byte[] older = Arrays.copyOfRange(current, 1, current.length);

        assertThat(new PartialCodec(null).decode("customer-ops", older)).isEqualTo(partial);
    }

    @Test
    void shouldHandRegistryFramedRecordsOfOlderStoresToTheRegistryDeserializer() {
        byte[] framed = {0, 0, 0, 0, 0, 0, 0, 0, 7, 1, 2, 3};
        CustomerProfile[] seen = new CustomerProfile[1];
        PartialCodec codec = new PartialCodec((topic, data) -> {
            assertThat(data).isSameAs(framed);
            seen[0] = partial;
            return partial;
        });

        assertThat(codec.decode("partials", framed)).isSameAs(partial);
        assertThat(seen[0]).isSameAs(partial);
        assertThatThrownBy(() -> new PartialCodec(null).decode("partials", framed))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("another CustomerProfile schema or layout");
    }

    @Test
    void shouldRefuseAPartialWrittenWithAnotherSchema() {
        byte[] bytes = PartialCodec.encode(partial);
        bytes[3] ^= 0x7f;

        assertThatThrownBy(() -> new PartialCodec(null).decode("customer-ops", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("another CustomerProfile schema")
                .hasMessageContaining("customer-ops");
    }
}
