package io.cxflow.analytics.profile.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.segment.BehaviourProfiles;
import io.cxflow.avro.ActivityBucket;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.ProductActivity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The single-partial shortcuts of {@link History} give what the general merge gives. */
class HistoryMergeTest {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String[] NAMES = {"Page Viewed", "Product Added", "Order Completed", "Email Opened"};

    @Test
    void shouldMergeOnePartialAsTheGeneralMergeDoes() {
        Random random = new Random(7);
        for (int person = 0; person < 300; person++) {
            BehaviourProfiles customer = BehaviourProfiles.customer();
            int events = 1 + random.nextInt(60);
            for (int i = 0; i < events; i++) {
                // up to 500 days of event time, in any order: hour, day and 30-day buckets, some dropped
                Instant at = START.plus(Duration.ofMinutes(random.nextInt(500 * 24 * 60)));
                String name = NAMES[random.nextInt(NAMES.length)];
                String properties = name.equals("Order Completed")
                        ? "{\"revenue\": " + random.nextInt(500) + "." + random.nextInt(100) + "}"
                        : name.equals("Product Added") ? "{\"product_id\": \"p-" + random.nextInt(40) + "\"}" : "{}";
                customer.track(name, at, properties);
            }
            CustomerProfile partial = customer.profile();
            List<List<ActivityBucket>> alone = List.of(partial.getActivity());
            List<List<ActivityBucket>> withEmpty = List.of(partial.getActivity(), List.of());

            assertThat(History.isFolded(
                            partial.getActivity(), partial.getLastSeen().toEpochMilli()))
                    .isTrue();
            assertThat(History.merge(alone, partial.getLastSeen()))
                    .isEqualTo(History.merge(withEmpty, partial.getLastSeen()));
            assertThat(History.isRecent(partial.getRecentProducts())).isTrue();
            assertThat(History.products(List.of(partial.getRecentProducts())))
                    .isEqualTo(History.products(List.of(partial.getRecentProducts(), List.of())));
        }
    }

    @Test
    void shouldFoldAHistoryThatIsNotFoldedAtTheGivenTime() {
        CustomerProfile partial = BehaviourProfiles.customer()
                .track("Page Viewed", START)
                .track("Page Viewed", START.plus(Duration.ofHours(3)))
                .profile();
        Instant later = START.plus(Duration.ofDays(5)); // both hourly buckets must become one daily bucket
        assertThat(History.isFolded(partial.getActivity(), later.toEpochMilli()))
                .isFalse();

        List<ActivityBucket> merged = History.merge(List.of(partial.getActivity()), later);

        assertThat(merged).hasSize(1);
        assertThat(merged.get(0).getCount()).isEqualTo(2);
        assertThat(merged).isEqualTo(History.merge(List.of(partial.getActivity(), List.of()), later));
    }

    @Test
    void shouldKeepTheGeneralRulesForAListThatIsNotRecentOrder() {
        Instant at = START;
        List<ProductActivity> unordered = new ArrayList<>();
        unordered.add(new ProductActivity("p-1", "viewed", at));
        unordered.add(new ProductActivity("p-2", "viewed", at.plusSeconds(60)));
        unordered.add(new ProductActivity("p-1", "viewed", at.plusSeconds(120)));
        assertThat(History.isRecent(unordered)).isFalse();

        List<ProductActivity> kept = History.products(List.of(unordered));

        assertThat(kept)
                .containsExactly(
                        new ProductActivity("p-1", "viewed", at.plusSeconds(120)),
                        new ProductActivity("p-2", "viewed", at.plusSeconds(60)));
    }
}
