package io.cxflow.analytics.profile;

import static io.cxflow.analytics.testing.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.analytics.testing.AnalyticsDriver;
import io.cxflow.analytics.testing.Events;
import io.cxflow.avro.ChannelStats;
import io.cxflow.avro.ConsentState;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.EventType;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.avro.TouchpointEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProfileTopologyTest {

    private final Events events = new Events();
    private final AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of());

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void shouldCountEveryMessageTypeAndNameTrackPageAndScreenEvents() {
        driver.send(events.track("u-1", "Product Viewed", at(1)));
        driver.send(events.track("u-1", "Product Viewed", at(2)));
        driver.send(events.page("u-1", at(3)));
        driver.send(events.screen("u-1", at(4)));
        driver.send(events.identify("u-1", "{\"firstName\":\"Ann\"}", at(5)));
        driver.send(events.of(EventType.GROUP, "u-1", at(6)).setGroupId("g-1"));
        driver.send(events.of(EventType.ALIAS, "u-1", at(7)).setPreviousId("a-9"));

        CustomerProfile profile = driver.profileOfUser("u-1");

        assertThat(profile.getCustomerId()).isEqualTo(CustomerIds.derive("userId:u-1"));
        assertThat(profile.getEventCount()).isEqualTo(7);
        assertThat(profile.getEvents())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("Product Viewed", 2L, "Page Viewed", 1L, "Screen Viewed", 1L));
        assertThat(profile.getVersion()).isEqualTo(7);
        assertThat(driver.publishedProfiles()).hasSize(7).last().isEqualTo(profile);
    }

    @Test
    void shouldKeepChannelStatsPerChannelFromSourceOrKnownContextChannel() {
        driver.send(events.track("u-1", "A", at(10)));
        driver.send(events.track("u-1", "B", at(5)));
        driver.send(events.screen("u-1", at(7)));
        driver.send(events.track("u-1", "Call", at(8))
                .setContext(Events.context().setChannel("call_center").build()));
        driver.send(events.track("u-1", "C", at(9))
                .setContext(Events.context().setChannel("carrier-pigeon").build()));

        Map<String, ChannelStats> channels = driver.profileOfUser("u-1").getChannels();

        assertThat(channels).containsOnlyKeys("web", "mobile", "call_center");
        assertThat(channels.get("web")).isEqualTo(new ChannelStats(3L, at(5), at(10)));
        assertThat(channels.get("mobile")).isEqualTo(new ChannelStats(1L, at(7), at(7)));
        assertThat(channels.get("call_center")).isEqualTo(new ChannelStats(1L, at(8), at(8)));
    }

    @Test
    void shouldCountOutboundEventsWithoutMakingThemCustomerActivity() {
        driver.send(events.track("u-1", "Product Viewed", at(10)));
        driver.send(events.track("u-1", "Email Sent", at(20))
                .setChannel("email")
                .setProperties("{\"cx_outbound\": true, \"workflowId\": \"w\"}"));
        driver.send(events.track("u-1", "SMS Delivered", at(30))
                .setChannel("mobile")
                .setProperties("{\"cx_outbound\": true}"));

        CustomerProfile sentTo = driver.profileOfUser("u-1");

        assertThat(sentTo.getEventCount()).isEqualTo(3);
        assertThat(sentTo.getEvents()).containsEntry("Email Sent", 1L).containsEntry("SMS Delivered", 1L);
        assertThat(sentTo.getLastEvents()).containsEntry("Email Sent", at(20));
        assertThat(sentTo.getLastSeen()).isEqualTo(at(10));
        assertThat(sentTo.getChannels()).containsOnlyKeys("web");

        // an open is the customer's doing
        driver.send(events.track("u-1", "Email Opened", at(40))
                .setChannel("email")
                .setProperties("{\"workflowId\": \"w\"}"));
        CustomerProfile opened = driver.profileOfUser("u-1");
        assertThat(opened.getLastSeen()).isEqualTo(at(40));
        assertThat(opened.getChannels()).containsOnlyKeys("web", "email");
    }

    @Test
    void shouldKeepFirstSeenAndLastSeenByEventTimeWhenEventsArriveOutOfOrder() {
        driver.send(events.track("u-1", "A", at(50)));
        driver.send(events.track("u-1", "B", at(10)));
        driver.send(events.track("u-1", "C", at(90)));
        driver.send(events.track("u-1", "D", at(30)));

        CustomerProfile profile = driver.profileOfUser("u-1");

        assertThat(profile.getFirstSeen()).isEqualTo(at(10));
        assertThat(profile.getLastSeen()).isEqualTo(at(90));
    }

    @Test
    void shouldKeepNewerTraitWhenOlderIdentifyArrivesLater() {
        driver.send(events.identify("u-1", "{\"plan\":\"pro\",\"firstName\":\"Ann\"}", at(20))
                .setSourceId("dev-mobile"));
        driver.send(events.identify("u-1", "{\"plan\":\"free\",\"lastName\":\"Lee\"}", at(10)));
        driver.send(events.track("u-1", "Seen", at(30))
                .setContext(
                        Events.context().setTraits("{\"firstName\":\"Anna\"}").build()));

        var traits = driver.profileOfUser("u-1").getTraits();

        assertThat(traits.get("plan").getValue()).isEqualTo("\"pro\"");
        assertThat(traits.get("plan").getSourceId()).isEqualTo("dev-mobile");
        assertThat(traits.get("plan").getUpdatedAt()).isEqualTo(at(20));
        assertThat(traits.get("lastName").getValue()).isEqualTo("\"Lee\"");
        assertThat(traits.get("firstName").getValue()).isEqualTo("\"Anna\"");
        assertThat(traits.get("firstName").getUpdatedAt()).isEqualTo(at(30));
    }

    @Test
    void shouldCollectIdentitiesWithTrimmedLowerCasedEmailAndE164Phone() {
        driver.send(events.anonymousPage("a-1", at(1)));
        driver.send(events.identify("u-1", "{\"email\":\"  Ann@Example.COM \",\"phone\":\"+39 333 123 4567\"}", at(2))
                .setAnonymousId("a-1"));
        driver.send(events.track("u-1", "Seen", at(3))
                .setContext(Events.context()
                        .setTraits("{\"email\":\"ann.work@example.com\"}")
                        .build()));

        CustomerProfile profile = driver.profileOfUser("u-1");

        assertThat(profile.getIdentities())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "userId", List.of("u-1"),
                        "anonymousId", List.of("a-1"),
                        "email", List.of("ann.work@example.com", "ann@example.com"),
                        "phone", List.of("+393331234567")));
        String customer = CustomerIds.derive("userId:u-1");
        assertThat(profile.getCustomerId()).isEqualTo(customer);
        assertThat(profile.getEventCount()).isEqualTo(3);
        assertThat(profile.getMergedFrom()).containsExactly(CustomerIds.derive("anonymousId:a-1"));
        assertThat(driver.indexedCustomer("email:ann@example.com")).isEqualTo(customer);
        assertThat(driver.indexedCustomer("anonymousId:a-1")).isEqualTo(customer);
        assertThat(driver.indexedCustomer("phone:+393331234567")).isEqualTo(customer);
        assertThat(driver.storedProfile(CustomerIds.derive("anonymousId:a-1"))).isNull();
        assertThat(driver.redirect(CustomerIds.derive("anonymousId:a-1"))).isEqualTo(customer);
    }

    @Test
    void shouldSumOrderRevenueExactlyPerCurrency() {
        driver.send(
                events.track("u-1", "Order Completed", at(1)).setProperties("{\"revenue\":0.1,\"currency\":\"EUR\"}"));
        driver.send(
                events.track("u-1", "Order Completed", at(2)).setProperties("{\"revenue\":0.2,\"currency\":\"eur\"}"));
        driver.send(events.track("u-1", "Order Completed", at(3))
                .setProperties("{\"total\":\"19.99\",\"currency\":\"USD\"}"));
        driver.send(events.track("u-1", "Order Completed", at(4))
                .setProperties("{\"revenue\":1234567890.123456789,\"currency\":\"USD\"}"));
        driver.send(events.track("u-1", "Order Completed", at(5)).setProperties("{\"revenue\":10}"));
        driver.send(events.track("u-1", "Order Completed", at(6)));

        var orders = driver.profileOfUser("u-1").getOrders();

        assertThat(orders.getCount()).isEqualTo(6);
        assertThat(orders.getRevenue())
                .containsExactlyInAnyOrderEntriesOf(Map.of("EUR", "10.3", "USD", "1234567910.113456789"));
    }

    @Test
    void shouldUseConfiguredDefaultCurrencyWhenOrderHasNone() {
        try (AnalyticsDriver usd = new AnalyticsDriver(new ProfileSettings("USD"), SegmentSettings.of())) {
            usd.send(events.track("u-1", "Order Completed", at(1)).setProperties("{\"revenue\":5.50}"));

            assertThat(usd.profileOfUser("u-1").getOrders().getRevenue()).isEqualTo(Map.of("USD", "5.50"));
        }
    }

    @Test
    void shouldLetLatestConsentByEventTimeWinAcrossTraitsAndConsentUpdatedEvents() {
        driver.send(events.identify("u-1", "{\"consent\":{\"email\":true,\"sms\":true}}", at(10)));
        driver.send(events.track("u-1", "Consent Updated", at(20))
                .setSourceId("dev-email")
                .setProperties("{\"channel\":\"email\",\"granted\":false}"));
        driver.send(events.identify("u-1", "{\"consent\":{\"email\":true}}", at(15)));
        driver.send(
                events.track("u-1", "Consent Updated", at(5)).setProperties("{\"channel\":\"sms\",\"granted\":false}"));
        driver.send(events.track("u-1", "Seen", at(25))
                .setContext(Events.context()
                        .setTraits("{\"consent\":{\"push\":true}}")
                        .build()));

        Map<String, ConsentState> consent = driver.profileOfUser("u-1").getConsent();

        assertThat(consent.get("email")).isEqualTo(new ConsentState(false, at(20), "dev-email"));
        assertThat(consent.get("sms")).isEqualTo(new ConsentState(true, at(10), "dev-web"));
        assertThat(consent.get("push")).isEqualTo(new ConsentState(true, at(25), "dev-web"));
        assertThat(driver.profileOfUser("u-1").getTraits()).doesNotContainKey("consent");
    }

    @Test
    void shouldTakeTimezoneAndLocaleFromNewestEventContext() {
        driver.send(events.track("u-1", "A", at(10))
                .setContext(Events.context()
                        .setTimezone("Europe/Rome")
                        .setLocale("it-IT")
                        .build()));
        driver.send(events.track("u-1", "B", at(5))
                .setContext(Events.context()
                        .setTimezone("America/New_York")
                        .setLocale("en-US")
                        .build()));

        CustomerProfile profile = driver.profileOfUser("u-1");

        assertThat(profile.getTimezone()).isEqualTo("Europe/Rome");
        assertThat(profile.getLocale()).isEqualTo("it-IT");
    }

    @Test
    void shouldRejectEventWithoutRoutingIdAndKeepProcessing() {
        TouchpointEvent noIds = events.track(null, "Lost", at(1)).build();
        driver.sendKeyed(null, noIds);
        driver.send(events.track("u-1", "Kept", at(2)));

        List<RejectedEvent> rejections = driver.rejections();

        assertThat(rejections).singleElement().satisfies(r -> {
            assertThat(r.getCode()).isEqualTo("missing_routing_id");
            assertThat(r.getStage()).isEqualTo("analytics");
            assertThat(r.getSourceId()).isEqualTo("dev-web");
            assertThat(r.getOrigin().getTopic())
                    .isEqualTo(driver.topics.events().name());
            assertThat(r.getOrigin().getPartition()).isZero();
            assertThat(r.getOrigin().getOffset()).isZero();
            assertThat(r.getPayload().remaining()).isPositive();
        });
        assertThat(driver.profileOfUser("u-1").getEventCount()).isEqualTo(1);
    }

    @Test
    void shouldRejectEventWhoseKeyIsNotItsRoutingId() {
        driver.sendKeyed(null, events.track("u-1", "No key", at(1)).build());
        driver.sendKeyed("someone-else", events.track("u-1", "Wrong key", at(2)).build());

        assertThat(driver.rejections())
                .extracting(RejectedEvent::getCode)
                .containsExactly("missing_key", "key_mismatch");
        assertThat(driver.profileOfUser("u-1")).isNull();
        assertThat(driver.profileOfUser("someone-else")).isNull();
    }

    @Test
    void shouldRejectUndecodableValueWithRawBytesAndKeepProcessing() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        driver.sendRaw("u-1", garbage);
        driver.send(events.track("u-1", "Kept", at(2)));

        assertThat(driver.rejections()).singleElement().satisfies(r -> {
            assertThat(r.getCode()).isEqualTo("undecodable");
            assertThat(r.getOrigin().getOffset()).isZero();
            assertThat(toBytes(r.getPayload())).isEqualTo(garbage);
        });
        assertThat(driver.profileOfUser("u-1").getEventCount()).isEqualTo(1);
    }

    @Test
    void shouldRejectInvalidOrderAndConsentDataWithFieldAndCode() {
        driver.send(events.track("u-1", "Order Completed", at(1))
                .setProperties("{\"revenue\":\"lots\",\"currency\":\"EUR\"}"));
        driver.send(
                events.track("u-1", "Order Completed", at(2)).setProperties("{\"revenue\":3,\"currency\":\"euros\"}"));
        driver.send(events.track("u-1", "Consent Updated", at(3)).setProperties("{\"channel\":\"email\"}"));
        driver.send(events.track("u-1", "Bad JSON", at(4)).setProperties("{not json"));
        driver.send(events.track("u-1", "", at(5)));

        List<RejectedEvent> rejections = driver.rejections();

        assertThat(rejections)
                .extracting(RejectedEvent::getCode, RejectedEvent::getField)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("invalid_amount", "properties.revenue"),
                        org.assertj.core.groups.Tuple.tuple("invalid_currency", "properties.currency"),
                        org.assertj.core.groups.Tuple.tuple("invalid_consent", "properties.granted"),
                        org.assertj.core.groups.Tuple.tuple("invalid_json", "properties"),
                        org.assertj.core.groups.Tuple.tuple("missing_field", "event"));
        assertThat(driver.profileOfUser("u-1")).isNull();
    }

    @Test
    void shouldBuildByteIdenticalProfilesWhenTheSameEventsAreReplayed() {
        List<TouchpointEvent> log = new ArrayList<>();
        log.add(events.identify("u-1", "{\"email\":\"ann@example.com\",\"b\":1,\"a\":[1,2]}", at(3))
                .build());
        log.add(events.track("u-1", "Order Completed", at(1))
                .setProperties("{\"revenue\":12.30,\"currency\":\"EUR\"}")
                .build());
        log.add(events.page("u-1", at(2)).build());
        log.add(events.track("u-1", "Order Completed", at(4))
                .setProperties("{\"total\":1,\"currency\":\"USD\"}")
                .build());

        List<byte[]> first = replay(log);
        List<byte[]> second = replay(log);

        assertThat(first).hasSize(4);
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.get(i)).isEqualTo(first.get(i));
        }
    }

    private static List<byte[]> replay(List<TouchpointEvent> log) {
        try (AnalyticsDriver fresh = new AnalyticsDriver(SegmentSettings.of())) {
            log.forEach(fresh::send);
            var serializer = fresh.topics.profiles().valueSerde().serializer();
            return fresh.publishedProfiles().stream()
                    .map(p -> serializer.serialize(fresh.topics.profiles().name(), p))
                    .toList();
        }
    }

    private static byte[] toBytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
