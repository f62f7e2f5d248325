package io.cxflow.activation.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.activation.testing.ProfileServer;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.platform.json.Json;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LatestProfileTest {

    @Test
    void shouldReadTheProfileDocumentOfTheContract() throws Exception {
        JsonNode json = Json.mapper().readTree("""
                {"customerId": "cus_1",
                 "identities": {"userId": ["u-1"], "anonymousId": ["a-1", "a-2"], "email": ["ann@example.com"]},
                 "traits": {"firstName": "Ann", "age": 41, "score": 9.5, "vip": true, "tags": ["a"], "address": {"city": "Rome"}, "nick": null},
                 "firstSeen": "2026-11-20T10:00:00Z", "lastSeen": "2026-11-22T18:03:11Z",
                 "eventCount": 42, "events": {"Order Completed": 3, "Product Viewed": 17},
                 "channels": {"web": {"eventCount": 30, "firstSeen": "2026-11-20T10:00:00Z", "lastSeen": "2026-11-22T18:03:11Z"}},
                 "orders": {"count": 3, "revenue": {"EUR": 123.45}},
                 "consent": {"email": true, "sms": false}, "segments": ["high-value"], "mergedFrom": [],
                 "timezone": "Europe/Rome", "locale": null, "version": 12, "updatedAt": "2026-11-22T18:03:11Z"}
                """);

        LatestProfile profile = LatestProfile.fromJson(json);

        assertThat(profile.customerId()).isEqualTo("cus_1");
        assertThat(profile.identities()).containsEntry("anonymousId", List.of("a-1", "a-2"));
        assertThat(profile.consent()).containsExactly(Map.entry("email", true), Map.entry("sms", false));
        assertThat(profile.events()).containsEntry("Order Completed", 3L);
        assertThat(profile.ordersCount()).isEqualTo(3);
        assertThat(profile.revenue()).containsEntry("EUR", new BigDecimal("123.45"));
        assertThat(profile.segments()).containsExactly("high-value");
        assertThat(profile.timezone()).isEqualTo("Europe/Rome");
        assertThat(profile.locale()).isNull();
        assertThat(profile.lastSeen()).isEqualTo(Instant.parse("2026-11-22T18:03:11Z"));
        assertThat(profile.plainTraits())
                .containsEntry("firstName", "Ann")
                .containsEntry("age", 41L)
                .containsEntry("score", 9.5)
                .containsEntry("vip", true)
                .containsEntry("tags", List.of("a"))
                .containsEntry("address", Map.of("city", "Rome"))
                .doesNotContainKey("nick");
    }

    @Test
    void shouldGiveTheConnectorsAnAvroProfileWithTheSameAnswers() {
        LatestProfile profile = LatestProfile.fromJson(
                ProfileServer.document("cus_2", Map.of("firstName", "Bo", "loyaltyTier", "gold"), Map.of("sms", true)));

        CustomerProfile avro = profile.toAvro();

        assertThat(avro.getCustomerId()).isEqualTo("cus_2");
        assertThat(avro.getTraits().get("firstName").getValue()).isEqualTo("\"Bo\"");
        assertThat(avro.getConsent().get("sms").getGranted()).isTrue();
        assertThat(avro.getOrders().getRevenue()).containsEntry("EUR", "49.90");
        assertThat(avro.getSegments()).containsExactly("high-value");
        assertThat(avro.getChannels().get("web").getEventCount()).isEqualTo(42);
        assertThat(avro.getLocale()).isEqualTo("it-IT");
    }

    @Test
    void shouldRefuseADocumentThatIsNotAProfileNamingTheField() throws Exception {
        assertThatThrownBy(() -> LatestProfile.fromJson(Json.mapper().readTree("{\"traits\": {}}")))
                .hasMessageContaining("customerId");
        assertThatThrownBy(() -> LatestProfile.fromJson(
                        Json.mapper().readTree("{\"customerId\": \"c\", \"consent\": {\"sms\": \"yes\"}}")))
                .hasMessageContaining("consent.sms");
        assertThatThrownBy(() ->
                        LatestProfile.fromJson(Json.mapper().readTree("{\"customerId\": \"c\", \"identities\": []}")))
                .hasMessageContaining("identities");
    }

    @Test
    void shouldNotPrintPersonalDataInItsText() {
        LatestProfile profile =
                LatestProfile.fromJson(ProfileServer.document("cus_3", Map.of("firstName", "Ann"), Map.of()));

        assertThat(profile.toString()).doesNotContain("Ann").doesNotContain("example.com");
    }
}
