package io.cxflow.analytics.profile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.testing.Events;
import io.cxflow.avro.CustomerProfile;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DecodedPartialsTest {

    private static final ProfileAggregator AGGREGATOR = new ProfileAggregator(new ProfileSettings("EUR"));

    private static CustomerProfile partial(String user, int events) {
        CustomerProfile profile = null;
        for (int i = 0; i < events; i++) {
            profile = AGGREGATOR.apply(
                    "userId:" + user,
                    profile,
                    new Events().track(user, "Page Viewed", Events.at(i)).build());
        }
        return profile;
    }

    @Test
    void shouldHandBackTheDecodedPartialForEqualBytesWhereverTheyCameFrom() {
        DecodedPartials routing = DecodedPartials.local(new PartialCodec(null), 10);
        CustomerProfile one = partial("u-1", 2);
        byte[] stored = PartialCodec.encode(one);
        routing.put("userId:u-1", stored, one);

        // the same content arriving as another array (the customer-ops record): no decoding
        byte[] received = Arrays.copyOf(stored, stored.length);
        assertThat(routing.get("customer-ops", "userId:u-1", received)).isSameAs(one);

        // other content under the same key is decoded, and then kept
        CustomerProfile two = partial("u-1", 3);
        byte[] newer = PartialCodec.encode(two);
        CustomerProfile decoded = routing.get("customer-ops", "userId:u-1", newer);
        assertThat(decoded).isEqualTo(two).isNotSameAs(two);
        assertThat(routing.get("partials", "userId:u-1", Arrays.copyOf(newer, newer.length)))
                .isSameAs(decoded);
        assertThat(routing.get("partials", "userId:u-1", null)).isNull();
    }

    @Test
    void shouldRecogniseTheLastVersionsOfARoutingKey() {
        DecodedPartials decoded = DecodedPartials.local(new PartialCodec(null), 10);
        CustomerProfile[] versions = new CustomerProfile[DecodedPartials.VERSIONS + 1];
        byte[][] bytes = new byte[versions.length][];
        for (int i = 0; i < versions.length; i++) {
            versions[i] = partial("u-1", i + 1);
            bytes[i] = PartialCodec.encode(versions[i]);
            decoded.put("userId:u-1", bytes[i], versions[i]);
        }

        // the customer task reads an older version the routing task sent before it folded the next events
        for (int i = 1; i < versions.length; i++) {
            assertThat(decoded.get("customer-ops", "userId:u-1", bytes[i].clone()))
                    .isSameAs(versions[i]);
        }
        // the oldest was pushed out: decoded again, equal content
        assertThat(decoded.get("customer-ops", "userId:u-1", bytes[0].clone()))
                .isEqualTo(versions[0])
                .isNotSameAs(versions[0]);
    }

    @Test
    void shouldKeepTheMostRecentlyUsedRoutingKeysOnly() {
        DecodedPartials decoded = DecodedPartials.local(new PartialCodec(null), 2);
        for (String user : new String[] {"u-1", "u-2", "u-3"}) {
            CustomerProfile partial = partial(user, 1);
            decoded.put("userId:" + user, PartialCodec.encode(partial), partial);
        }

        assertThat(decoded.size()).isEqualTo(2);
    }

    @Test
    void shouldShareTheProcessWideEntriesBetweenTasks() {
        CustomerProfile one = partial("u-shared-1", 1);
        byte[] bytes = PartialCodec.encode(one);
        DecodedPartials.shared(new PartialCodec(null)).put("userId:u-shared-1", bytes, one);

        assertThat(DecodedPartials.shared(new PartialCodec(null))
                        .get("customer-parts", "userId:u-shared-1", Arrays.copyOf(bytes, bytes.length)))
                .isSameAs(one);
    }
}
