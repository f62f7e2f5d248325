package io.cxflow.analytics.identity;

import static io.cxflow.analytics.testing.Events.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.profile.ProfileTopology;
import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.analytics.testing.AnalyticsDriver;
import io.cxflow.analytics.testing.Events;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.EventType;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** Identity resolution through the whole topology (routing → identity graph → customer), on TopologyTestDriver. */
class IdentityTopologyTest {

    private static final Segment BUYERS = Segment.of("buyers", "profile.orders.count >= 1");

    private final Events events = new Events();

    private static String customer(String key) {
        return CustomerIds.derive(key);
    }

    private TouchpointEvent.Builder anon(String anonymousId, String name, long minute) {
        return events.track(null, name, at(minute)).setUserId(null).setAnonymousId(anonymousId);
    }

    private TouchpointEvent.Builder withContextTraits(TouchpointEvent.Builder event, String traits) {
        return event.setContext(Events.context().setTraits(traits).build());
    }

    @Test
    void shouldJoinWebDevicePosPurchaseAndIdentifiedUserIntoOneCustomerWithSummedAggregates() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(BUYERS))) {
            driver.send(anon("a-web", "Product Viewed", 1));
            driver.send(anon("a-web", "Product Added", 2));
            driver.send(events.identify("u-ann", "{\"email\":\"Ann@Example.com\"}", at(3))
                    .setAnonymousId("a-web"));
            driver.send(withContextTraits(anon("pos-7", "Order Completed", 4), "{\"email\":\"ann@example.com\"}")
                    .setProperties("{\"revenue\":20,\"currency\":\"EUR\"}")
                    .setChannel("pos")
                    .setSourceId("dev-pos"));
            driver.send(events.track("u-ann", "Order Completed", at(5)).setProperties("{\"total\":\"5.50\"}"));

            String ann = customer("userId:u-ann");
            CustomerProfile profile = driver.storedProfile(ann);
            assertThat(profile.getIdentities())
                    .isEqualTo(Map.of(
                            "userId", List.of("u-ann"),
                            "anonymousId", List.of("a-web", "pos-7"),
                            "email", List.of("ann@example.com")));
            assertThat(profile.getEventCount()).isEqualTo(5);
            assertThat(profile.getEvents())
                    .isEqualTo(Map.of("Product Viewed", 1L, "Product Added", 1L, "Order Completed", 2L));
            assertThat(profile.getOrders().getCount()).isEqualTo(2);
            assertThat(profile.getOrders().getRevenue()).isEqualTo(Map.of("EUR", "25.50"));
            assertThat(profile.getChannels()).containsOnlyKeys("web", "pos");
            assertThat(profile.getFirstSeen()).isEqualTo(at(1));
            assertThat(profile.getMergedFrom())
                    .containsExactlyInAnyOrder(customer("anonymousId:a-web"), customer("anonymousId:pos-7"));
            for (String key : List.of("anonymousId:a-web", "anonymousId:pos-7", "email:ann@example.com")) {
                assertThat(driver.indexedCustomer(key)).as(key).isEqualTo(ann);
            }
            assertThat(driver.storedProfile(customer("anonymousId:a-web"))).isNull();
            assertThat(driver.storedProfile(customer("anonymousId:pos-7"))).isNull();
            assertThat(driver.redirect(customer("anonymousId:pos-7"))).isEqualTo(ann);

            // the POS customer entered "buyers" on its own, then was absorbed: it exits, Ann enters once
            List<SegmentMembershipChanged> changes = driver.membershipChanges();
            assertThat(changes)
                    .filteredOn(c -> c.getCustomerId().equals(customer("anonymousId:pos-7")))
                    .extracting(SegmentMembershipChanged::getChange)
                    .containsExactly(MembershipChange.ENTERED, MembershipChange.EXITED);
            assertThat(changes)
                    .filteredOn(c -> c.getCustomerId().equals(ann))
                    .extracting(SegmentMembershipChanged::getChange)
                    .containsExactly(MembershipChange.ENTERED);
            assertThat(driver.publishedProfiles()).contains((CustomerProfile) null);
        }
    }

    @Test
    void shouldKeepASharedDeviceWithTheFirstUserByEventTimeEvenWhenTheLaterLoginArrivesFirst() {
        for (boolean laterFirst : List.of(false, true)) {
            try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(BUYERS))) {
                driver.send(anon("kiosk", "Product Viewed", 1));
                TouchpointEvent first = events.identify("u-1", "{}", at(2))
                        .setAnonymousId("kiosk")
                        .build();
                TouchpointEvent second = events.identify("u-2", "{}", at(3))
                        .setAnonymousId("kiosk")
                        .build();
                if (laterFirst) {
                    driver.send(second);
                    driver.send(first);
                } else {
                    driver.send(first);
                    driver.send(second);
                }
                assertThat(driver.indexedCustomer("anonymousId:kiosk"))
                        .as("late first login: " + laterFirst)
                        .isEqualTo(customer("userId:u-1"));
                assertThat(driver.profileOfUser("u-1").getEventCount()).isEqualTo(2);
                assertThat(driver.profileOfUser("u-1").getIdentities().get("anonymousId"))
                        .containsExactly("kiosk");
                CustomerProfile other = driver.profileOfUser("u-2");
                assertThat(other.getCustomerId()).isEqualTo(customer("userId:u-2"));
                assertThat(other.getEventCount()).isEqualTo(1);
                assertThat(other.getIdentities()).isEqualTo(Map.of("userId", List.of("u-2")));
            }
        }
    }

    @Test
    void shouldRefuseABadImportLinkingAnotherUsersEmail() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(BUYERS))) {
            driver.send(events.identify("u-ann", "{\"email\":\"ann@example.com\"}", at(1)));
            driver.send(events.identify("u-bob", "{\"email\":\"ann@example.com\"}", at(2)));

            assertThat(driver.indexedCustomer("email:ann@example.com")).isEqualTo(customer("userId:u-ann"));
            assertThat(driver.profileOfUser("u-bob").getIdentities()).isEqualTo(Map.of("userId", List.of("u-bob")));
            assertThat(driver.profileOfUser("u-bob").getTraits()).containsKey("email");
        }
    }

    @Test
    void shouldMergeTwoUsersJoinedByAlias() {
        try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(BUYERS))) {
            driver.send(events.track("old-id", "Order Completed", at(1)));
            driver.send(events.track("new-id", "Product Viewed", at(2)));
            driver.send(events.of(EventType.ALIAS, "new-id", at(3)).setPreviousId("old-id"));

            String merged = driver.indexedCustomer("userId:old-id");
            assertThat(driver.indexedCustomer("userId:new-id")).isEqualTo(merged);
            CustomerProfile profile = driver.storedProfile(merged);
            assertThat(profile.getEventCount()).isEqualTo(3);
            assertThat(profile.getIdentities().get("userId")).containsExactly("new-id", "old-id");
            assertThat(merged).isIn(customer("userId:old-id"), customer("userId:new-id"));
        }
    }

    @Test
    void shouldEndWithIdenticalStoresWhateverOrderTheEventsArriveIn() {
        List<TouchpointEvent> all = population();
        Map<String, Map<String, Object>> reference = null;
        Random random = new Random(7);
        for (int run = 0; run < 4; run++) {
            List<TouchpointEvent> order = new ArrayList<>(all);
            if (run > 0) {
                Collections.shuffle(order, random);
            }
            try (AnalyticsDriver driver = new AnalyticsDriver(SegmentSettings.of(BUYERS))) {
                order.forEach(driver::send);
                Map<String, Map<String, Object>> state = new TreeMap<>();
                state.put("profiles", dump(driver.store(ProfileTopology.PROFILES_STORE)));
                state.put("index", dump(driver.store(ProfileTopology.IDENTITY_INDEX_STORE)));
                state.put("redirects", dump(driver.store(ProfileTopology.IDENTITY_REDIRECTS_STORE)));
                if (reference == null) {
                    reference = state;
                    assertThat(state.get("profiles")).hasSizeGreaterThan(5);
                } else {
                    assertThat(state).as("arrival order " + run).isEqualTo(reference);
                }
            }
        }
    }

    /** Persons with devices, emails, a shared kiosk, an alias, a bad import and duplicates. */
    private List<TouchpointEvent> population() {
        List<TouchpointEvent> out = new ArrayList<>();
        long minute = 0;
        for (int p = 0; p < 8; p++) {
            String user = "u-" + p;
            String email = "p" + p + "@example.com";
            out.add(anon("web-" + p, "Product Viewed", minute++).build());
            out.add(anon("app-" + p, "Product Added", minute++)
                    .setChannel("mobile")
                    .setSourceId("dev-mobile")
                    .build());
            out.add(events.identify(user, "{\"email\":\"" + email + "\",\"plan\":\"p" + p + "\"}", at(minute++))
                    .setAnonymousId("web-" + p)
                    .build());
            out.add(withContextTraits(anon("app-" + p, "Email Opened", minute++), "{\"email\":\"" + email + "\"}")
                    .build());
            out.add(events.track(user, "Order Completed", at(minute++))
                    .setProperties("{\"revenue\":" + (10 + p) + ".5}")
                    .build());
            out.add(events.identify(user, "{}", at(40 + p))
                    .setAnonymousId("kiosk")
                    .build());
        }
        out.add(anon("kiosk", "Page Viewed", 3).build());
        out.add(events.identify("u-7", "{\"email\":\"p0@example.com\"}", at(90)).build());
        out.add(events.of(EventType.ALIAS, "u-6", at(95)).setPreviousId("u-5").build());
        out.add(out.get(4)); // a duplicate delivery of the same message
        return out;
    }

    private static Map<String, Object> dump(KeyValueStore<String, ?> store) {
        Map<String, Object> out = new TreeMap<>();
        try (KeyValueIterator<String, ?> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, ?> entry = it.next();
                out.put(entry.key, entry.value);
            }
        }
        return out;
    }
}
