package io.cxflow.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.avro.ChannelStats;
import io.cxflow.avro.ConsentState;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.OrderStats;
import io.cxflow.avro.TraitValue;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ProfileJsonTest {

    private static final Instant FIRST = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant LAST = Instant.parse("2026-11-22T18:03:11Z");

    @Test
    void shouldRenderTheContractDocumentWithExactRevenueAndDecodedTraits() throws Exception {
        CustomerProfile profile = CustomerProfile.newBuilder()
                .setCustomerId("u-1")
                .setIdentities(new TreeMap<>(Map.of(
                        "userId", List.of("u-1"),
                        "anonymousId", List.of("a-1", "a-2"),
                        "email", List.of("ann@example.com"))))
                .setTraits(new TreeMap<>(Map.of(
                        "firstName", new TraitValue("\"Ann\"", "dev-web", FIRST),
                        "address", new TraitValue("{\"city\":\"Rome\",\"zip\":100}", "dev-web", FIRST))))
                .setFirstSeen(FIRST)
                .setLastSeen(LAST)
                .setEventCount(42)
                .setEvents(new TreeMap<>(Map.of("Order Completed", 3L, "Product Viewed", 17L)))
                .setChannels(new TreeMap<>(Map.of("web", new ChannelStats(30L, FIRST, LAST))))
                .setOrders(new OrderStats(3L, new TreeMap<>(Map.of("EUR", "123.45", "USD", "0.30"))))
                .setConsent(new TreeMap<>(Map.of(
                        "email", new ConsentState(true, FIRST, "dev-web"),
                        "sms", new ConsentState(false, LAST, "dev-web"))))
                .setTimezone("Europe/Rome")
                .setLocale(null)
                .setSegments(List.of("high-value"))
                .setMergedFrom(List.of("cus_aaaaaaaaaaaaaaaaaaaaaaaaaa"))
                .setVersion(42)
                .setUpdatedAt(LAST)
                .build();

        String json = new ObjectMapper().writeValueAsString(ProfileJson.profile(profile));

        assertThat(json)
                .isEqualTo(
                        "{\"customerId\":\"u-1\","
                                + "\"identities\":{\"anonymousId\":[\"a-1\",\"a-2\"],\"email\":[\"ann@example.com\"],\"userId\":[\"u-1\"]},"
                                + "\"traits\":{\"address\":{\"city\":\"Rome\",\"zip\":100},\"firstName\":\"Ann\"},"
                                + "\"firstSeen\":\"2026-11-20T10:00:00Z\",\"lastSeen\":\"2026-11-22T18:03:11Z\","
                                + "\"eventCount\":42,"
                                + "\"events\":{\"Order Completed\":3,\"Product Viewed\":17},"
                                + "\"channels\":{\"web\":{\"eventCount\":30,\"firstSeen\":\"2026-11-20T10:00:00Z\",\"lastSeen\":\"2026-11-22T18:03:11Z\"}},"
                                + "\"orders\":{\"count\":3,\"revenue\":{\"EUR\":123.45,\"USD\":0.30}},"
                                + "\"consent\":{\"email\":true,\"sms\":false},"
                                + "\"segments\":[\"high-value\"],\"mergedFrom\":[\"cus_aaaaaaaaaaaaaaaaaaaaaaaaaa\"],"
                                + "\"timezone\":\"Europe/Rome\",\"locale\":null,\"version\":42,\"updatedAt\":\"2026-11-22T18:03:11Z\"}");
    }
}
