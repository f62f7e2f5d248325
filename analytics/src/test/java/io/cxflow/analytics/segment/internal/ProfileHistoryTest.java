package io.cxflow.analytics.segment.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.segment.BehaviourProfiles;
import io.cxflow.avro.ActivityBucket;
import io.cxflow.avro.BucketWidth;
import io.cxflow.avro.CustomerProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ProfileHistoryTest {

    private static final Instant LAST = Instant.parse("2026-11-20T12:00:00Z");

    private static Instant hoursBefore(Instant at, long hours) {
        return at.minus(Duration.ofHours(hours));
    }

    @Test
    void shouldCountBucketsThatStartInsideTheWindow() {
        // events at 09:15, 10:40 and 11:50 on the 20th; hourly buckets 09:00, 10:00, 11:00
        ProfileHistory history = ProfileHistory.of(BehaviourProfiles.customer()
                .track("Page Viewed", Instant.parse("2026-11-20T09:15:00Z"))
                .track("Page Viewed", Instant.parse("2026-11-20T10:40:00Z"))
                .track("Page Viewed", Instant.parse("2026-11-20T11:50:00Z"))
                .profile());
        Instant now = Instant.parse("2026-11-20T12:20:00Z");

        // [11:20, 12:20]: bucket 11:00 starts before the window, but the newest event (11:50) is inside
        assertThat(history.count("Page Viewed", Duration.ofHours(1), now)).isEqualTo(1);
        // [10:20, 12:20]: bucket 10:00 starts outside, so the 10:40 event is missed (one bucket width)
        assertThat(history.count("Page Viewed", Duration.ofHours(2), now)).isEqualTo(1);
        // [09:00, 12:20]: buckets 09:00 .. 11:00 start inside
        assertThat(history.count("Page Viewed", Duration.ofMinutes(200), now)).isEqualTo(3);
        // [11:55, 12:20]: nothing
        assertThat(history.count("Page Viewed", Duration.ofMinutes(25), now)).isZero();
        assertThat(history.count("Order Completed", Duration.ofDays(400), now)).isZero();
    }

    @Test
    void shouldCountAcrossHourDayAndMonthBuckets() {
        Instant recent = hoursBefore(LAST, 1); // hourly
        Instant twoDays = hoursBefore(LAST, 30); // hourly
        Instant threeDays = Instant.parse("2026-11-18T05:00:00Z"); // 55 h before: daily bucket 18th 00:00
        Instant old = LAST.minus(Duration.ofDays(100)); // a 30-day bucket
        CustomerProfile profile = BehaviourProfiles.customer()
                .track("Order Completed", old, "{\"revenue\": 300}")
                .track("Order Completed", threeDays, "{\"revenue\": \"40.5\"}")
                .track("Order Completed", twoDays, "{\"revenue\": 20}")
                .track("Order Completed", recent, "{\"revenue\": 10, \"quantity\": 2}")
                .track("Page Viewed", LAST)
                .profile();
        assertThat(profile.getActivity())
                .filteredOn(bucket -> bucket.getName().equals("Order Completed"))
                .extracting(ActivityBucket::getWidth)
                .containsExactly(BucketWidth.HOUR, BucketWidth.HOUR, BucketWidth.DAY, BucketWidth.MONTH);
        ProfileHistory history = ProfileHistory.of(profile);

        assertThat(history.count("Order Completed", Duration.ofHours(2), LAST)).isEqualTo(1);
        assertThat(history.count("Order Completed", Duration.ofHours(48), LAST)).isEqualTo(2);
        // 72 h reaches back to the 17th 12:00: the daily bucket of the 18th lies inside
        assertThat(history.count("Order Completed", Duration.ofHours(72), LAST)).isEqualTo(3);
        // 56 h reaches back to the 18th 04:00: the 05:00 event is inside, its daily bucket (00:00) is not
        assertThat(history.count("Order Completed", Duration.ofHours(56), LAST)).isEqualTo(2);
        assertThat(history.count("Order Completed", Duration.ofDays(90), LAST)).isEqualTo(3);
        assertThat(history.count("Order Completed", Duration.ofHours(8760), LAST))
                .isEqualTo(4);

        assertThat(history.sum("Order Completed", "revenue", Duration.ofHours(72), LAST))
                .isEqualTo(70.5);
        assertThat(history.sum("Order Completed", "revenue", Duration.ofHours(8760), LAST))
                .isEqualTo(370.5);
        assertThat(history.sum("Order Completed", "quantity", Duration.ofHours(8760), LAST))
                .isEqualTo(2.0);
        assertThat(history.sum("Order Completed", "value", Duration.ofHours(8760), LAST))
                .isZero();
        // a year later everything has left the window
        assertThat(history.sum("Order Completed", "revenue", Duration.ofHours(8760), LAST.plus(Duration.ofDays(400))))
                .isZero();
    }

    @Test
    void shouldNeverCountOutsideTheWindowAndMissAtMostOneBucketWidthAtItsFarEdge() {
        Random random = new Random(42);
        for (int customer = 0; customer < 20; customer++) {
            BehaviourProfiles builder = BehaviourProfiles.customer();
            List<Instant> times = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                // events spread over 450 days before LAST, denser in the last days
                long minutesBack = random.nextBoolean() ? random.nextInt(60 * 24 * 4) : random.nextInt(60 * 24 * 450);
                Instant at = LAST.minus(Duration.ofMinutes(minutesBack)).plusSeconds(random.nextInt(60));
                times.add(at);
                builder.track("Product Viewed", at, "{\"value\": 1}");
            }
            CustomerProfile profile = builder.profile();
            Instant lastSeen = profile.getLastSeen();
            ProfileHistory history = ProfileHistory.of(profile);
            for (int probe = 0; probe < 40; probe++) {
                Instant now = lastSeen.plus(Duration.ofMinutes(random.nextInt(60 * 24 * 30)));
                Duration window = Duration.ofMinutes(1 + random.nextInt(60 * 24 * 500));
                Instant from = now.minus(window);
                Duration edge = !from.isBefore(lastSeen.minus(Duration.ofHours(48)))
                        ? Duration.ofHours(1)
                        : !from.isBefore(lastSeen.minus(Duration.ofDays(90)))
                                ? Duration.ofDays(1)
                                : Duration.ofDays(30);
                Instant kept = lastSeen.minus(Duration.ofDays(370));
                long exact = times.stream()
                        .filter(t -> !t.isBefore(from) && !t.isAfter(now))
                        .count();
                Instant surelyFrom = from.plus(edge).isAfter(kept) ? from.plus(edge) : kept;
                long surely = times.stream()
                        .filter(t -> !t.isBefore(surelyFrom) && !t.isAfter(now))
                        .count();

                long count = history.count("Product Viewed", window, now);
                double sum = history.sum("Product Viewed", "value", window, now);

                assertThat(count).as("count within %s before %s", window, now).isBetween(surely, exact);
                assertThat(sum).isBetween((double) surely, (double) exact);
            }
        }
    }

    @Test
    void shouldMeasureSinceAndIdleExactlyAndAnswerNeverForAnEventThatDidNotHappen() {
        Instant added = Instant.parse("2026-11-20T10:07:13.250Z");
        ProfileHistory history = ProfileHistory.of(BehaviourProfiles.customer()
                .track("Product Added", added)
                .track("Page Viewed", LAST)
                .profile());
        Instant now = LAST.plus(Duration.ofMinutes(5));

        assertThat(history.since("Product Added", now)).isEqualTo(Duration.between(added, now));
        assertThat(history.since("Order Completed", now)).isEqualTo(ProfileHistory.NEVER);
        assertThat(ProfileHistory.NEVER).isEqualTo(Duration.ofHours(876_600));
        assertThat(history.idle(now)).isEqualTo(Duration.ofMinutes(5));
        // events after now do not exist yet: no negative durations
        assertThat(history.idle(added)).isZero();
    }

    @Test
    void shouldCountChannelsUsedWithinTheWindow() {
        ProfileHistory history = ProfileHistory.of(BehaviourProfiles.customer()
                .track("Page Viewed", LAST.minus(Duration.ofDays(40)), "pos", null)
                .track("Email Opened", LAST.minus(Duration.ofDays(10)), "email", null)
                .track("Page Viewed", LAST.minus(Duration.ofDays(50)), "web", null)
                .track("Page Viewed", LAST, "web", null)
                .profile());

        assertThat(history.channels(Duration.ofHours(720), LAST)).isEqualTo(2);
        assertThat(history.channels(Duration.ofDays(40), LAST)).isEqualTo(3);
        assertThat(history.channels(Duration.ofDays(1), LAST)).isEqualTo(1);
        assertThat(history.channels(Duration.ofHours(720), LAST.plus(Duration.ofDays(25))))
                .isEqualTo(1);
        assertThat(history.channels(Duration.ofHours(720), LAST.plus(Duration.ofDays(31))))
                .isZero();
    }
}
