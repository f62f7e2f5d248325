package io.cxflow.analytics.profile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.testing.Events;
import io.cxflow.avro.CustomerProfile;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class CustomerOpTest {

    private final Serde<CustomerOp> serde = CustomerOp.serde();
    private final CustomerProfile partial = new ProfileAggregator(new ProfileSettings("EUR"))
            .apply(
                    "userId:u-1",
                    null,
                    new Events().track("u-1", "Product Viewed", Events.at(1)).build());

    private CustomerOp roundTrip(CustomerOp op) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", op));
    }

    @Test
    void shouldCarryEveryKindOfOpIntact() {
        byte[] encoded = PartialCodec.encode(partial);
        assertThat(roundTrip(CustomerOp.part("userId:u-1", encoded, "event", 42L, "dev-web")))
                .isEqualTo(CustomerOp.part("userId:u-1", encoded.clone(), "event", 42L, "dev-web"));
        assertThat(roundTrip(CustomerOp.remove("userId:u-1", "identity", 7L)))
                .isEqualTo(CustomerOp.remove("userId:u-1", "identity", 7L));
        assertThat(roundTrip(CustomerOp.members(List.of("email:a@b.c", "userId:u-1"), "identity", 0L)))
                .isEqualTo(CustomerOp.members(List.of("email:a@b.c", "userId:u-1"), "identity", 0L));
        assertThat(roundTrip(CustomerOp.members(null, "identity", 0L)).members())
                .isNull();
    }

    @Test
    void shouldCarryThePartialsBytesAsTheRoutingTaskEncodedThem() {
        byte[] encoded = PartialCodec.encode(partial);
        CustomerOp back = roundTrip(CustomerOp.part("userId:u-1", encoded, "e", 1L, null));

        assertThat(back.partial()).isEqualTo(encoded);
        assertThat(new PartialCodec(null).decode("t", back.partial())).isEqualTo(partial);
    }
}
