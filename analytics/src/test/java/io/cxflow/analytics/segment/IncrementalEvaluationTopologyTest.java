package io.cxflow.analytics.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.AnalyticsMetrics;
import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.testing.AnalyticsDriver;
import io.cxflow.analytics.testing.Events;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.EventType;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.TouchpointEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Incremental evaluation (a condition keeps its earlier answer when nothing it reads changed and time
 * alone changed no answer) gives exactly the records and profiles of evaluating every condition on
 * every change: two topologies, one of each, are fed the same generated omnichannel stream — late
 * events, traits, orders, channels, hours and days of wall clock between events, a definition added
 * and one edited mid-stream — and compared record by record.
 */
class IncrementalEvaluationTopologyTest {

    private static final List<Segment> SEGMENTS = List.of(
            Segment.of(
                    "cart-abandoners-1h",
                    "count(\"Product Added\", duration(\"1h\")) > 0 && since(\"Order Completed\") > since(\"Product Added\")"),
            Segment.of(
                    "cart-abandoners-2h",
                    "count(\"Product Added\", duration(\"2h\")) > 0 && since(\"Order Completed\") > since(\"Product Added\")"),
            Segment.of(
                    "window-shoppers",
                    "count(\"Product Viewed\", duration(\"168h\")) >= 3 && profile.orders.count == 0"),
            Segment.of("high-value", "sum(\"Order Completed\", \"revenue\", duration(\"8760h\")) >= 300.0"),
            Segment.of("high-value-2d", "sum(\"Order Completed\", \"revenue\", duration(\"48h\")) >= 150.0"),
            Segment.of("repeat-buyers", "profile.orders.count >= 2"),
            Segment.of("lapsed-3d", "idle() > duration(\"72h\")"),
            Segment.of("lapsed-buyers", "profile.orders.count >= 1 && since(\"Order Completed\") > duration(\"96h\")"),
            Segment.of("multichannel", "channels(duration(\"168h\")) >= 2"),
            Segment.of("engaged-email", "count(\"Email Opened\", duration(\"48h\")) >= 2"),
            Segment.of("browsers", "count(\"Product Viewed\", duration(\"3h\")) >= 2"),
            Segment.of("vip", "has(profile.traits.vip) && profile.traits.vip == true"),
            Segment.of("active", "profile.eventCount >= 10"),
            Segment.of("in-two", "size(profile.segments) >= 2"),
            Segment.of(
                    "any-recent", "[\"Product Added\", \"Email Opened\"].exists(n, count(n, duration(\"6h\")) > 0)"));

    private static final String[] NAMES = {
        "Product Added", "Product Viewed", "Order Completed", "Email Opened", "Checkout Started", "Products Searched"
    };
    private static final String[] CHANNELS = {"web", "mobile", "pos", "email"};

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void shouldGiveTheRecordsAndProfilesOfEvaluatingEveryCondition(long seed) {
        Instant start = Instant.parse("2026-11-20T10:00:00Z");
        SegmentSettings settings = new SegmentSettings(SEGMENTS);
        try (AnalyticsDriver incremental = new AnalyticsDriver(new ProfileSettings("EUR"), settings, start);
                AnalyticsDriver full =
                        new AnalyticsDriver(new ProfileSettings("EUR"), settings.withIncremental(false), start)) {
            Random random = new Random(seed);
            Events events = new Events();
            Instant wall = start;
            List<SegmentMembershipChanged> changes = new ArrayList<>();
            for (int step = 0; step < 900; step++) {
                if (step == 300) {
                    for (AnalyticsDriver driver : List.of(incremental, full)) {
                        driver.define("searchers", "count(\"Products Searched\", duration(\"24h\")) >= 2", false, 1);
                    }
                }
                if (step == 600) {
                    for (AnalyticsDriver driver : List.of(incremental, full)) {
                        driver.define("searchers", "count(\"Products Searched\", duration(\"24h\")) >= 1", false, 2);
                    }
                }
                int dice = random.nextInt(100);
                if (dice < 8) {
                    Duration by = dice < 2
                            ? Duration.ofHours(20 + random.nextInt(80))
                            : Duration.ofMinutes(1 + random.nextInt(180));
                    wall = wall.plus(by);
                    incremental.advanceWallClock(by);
                    full.advanceWallClock(by);
                } else {
                    TouchpointEvent event = event(events, random, wall);
                    incremental.send(event);
                    full.send(event);
                }
                // records of one customer keep their order (one key, one partition); customers due at
                // the same tick may come in another order (the incremental schedule can be earlier)
                List<SegmentMembershipChanged> fromIncremental = incremental.membershipChanges();
                assertThat(byCustomer(fromIncremental, SegmentMembershipChanged::getCustomerId))
                        .as("membership changes at step %d", step)
                        .isEqualTo(byCustomer(full.membershipChanges(), SegmentMembershipChanged::getCustomerId));
                changes.addAll(fromIncremental);
                assertThat(byCustomer(incremental.publishedProfiles(), CustomerProfile::getCustomerId))
                        .as("profiles at step %d", step)
                        .isEqualTo(byCustomer(full.publishedProfiles(), CustomerProfile::getCustomerId));
            }
            for (int user = 0; user < 25; user++) {
                CustomerProfile mine = incremental.profileOfUser("u-" + user);
                assertThat(mine).isEqualTo(full.profileOfUser("u-" + user));
            }
            // the comparison means something: answers changed by events and by time alone, and many
            // conditions were answered without evaluation (here about a quarter: most of these conditions
            // read what every event changes, eventCount, lastSeen, channels, any name, the segment list)
            assertThat(changes).extracting(SegmentMembershipChanged::getChange).contains(MembershipChange.EXITED);
            assertThat(changes).anyMatch(c -> c.getReason().startsWith("time"));
            assertThat(changes).anyMatch(c -> c.getSegmentId().equals("searchers"));
            double unchanged = incremental.segmentTotal(AnalyticsMetrics.CONDITION_UNCHANGED_OPERATION);
            double evaluated = incremental.segmentTotal(AnalyticsMetrics.CONDITION_EVALUATED_OPERATION);
            assertThat(unchanged).isGreaterThan((evaluated + unchanged) * 0.15);
            assertThat(full.segmentTotal(AnalyticsMetrics.CONDITION_UNCHANGED_OPERATION))
                    .isZero();
        }
    }

    private static <T> Map<String, List<T>> byCustomer(List<T> records, Function<T, String> customer) {
        Map<String, List<T>> grouped = new TreeMap<>();
        // tombstones (absorbed customers, null values) come with events, in the same order in both
        records.forEach(r -> grouped.computeIfAbsent(r == null ? "" : customer.apply(r), k -> new ArrayList<>())
                .add(r));
        return grouped;
    }

    private static TouchpointEvent event(Events events, Random random, Instant wall) {
        String user = "u-" + random.nextInt(25);
        // mostly now, some late by minutes, hours or days
        int lateness = random.nextInt(10);
        Instant at = (lateness < 7
                        ? wall.minusSeconds(random.nextInt(60))
                        : wall.minus(Duration.ofMinutes(random.nextInt(lateness == 9 ? 6_000 : 300))))
                .truncatedTo(ChronoUnit.SECONDS);
        String channel = CHANNELS[random.nextInt(CHANNELS.length)];
        TouchpointEvent.Builder builder;
        int kind = random.nextInt(20);
        if (kind == 0) {
            builder = events.identify(
                    user, "{\"vip\": " + random.nextBoolean() + ", \"plan\": \"p" + random.nextInt(3) + "\"}", at);
        } else if (kind == 1) {
            builder = events.of(EventType.PAGE, user, at).setName("Home");
        } else {
            String name = NAMES[random.nextInt(NAMES.length)];
            builder = events.track(user, name, at);
            if (name.equals("Order Completed")) {
                builder.setProperties("{\"revenue\": " + (20 + random.nextInt(200)) + ", \"currency\": \"EUR\"}");
            }
        }
        return builder.setChannel(channel).setSourceId("src-" + channel).build();
    }
}
