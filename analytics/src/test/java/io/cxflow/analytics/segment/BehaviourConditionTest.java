package io.cxflow.analytics.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.avro.ActivityBucket;
import io.cxflow.avro.BucketWidth;
import io.cxflow.avro.CustomerProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BehaviourConditionTest {

    private static final Instant T = Instant.parse("2026-11-20T10:20:00Z");
    private static final Duration TICK = Duration.ofMillis(1);

    static final String CART_ABANDONERS =
            "count(\"Product Added\", duration(\"2h\")) > 0 && since(\"Order Completed\") > since(\"Product Added\")";
    static final String LAPSED = "idle() > duration(\"720h\")";
    static final String HIGH_VALUE = "sum(\"Order Completed\", \"revenue\", duration(\"8760h\")) >= 500.0";
    static final String MULTICHANNEL = "channels(duration(\"720h\")) >= 3";
    static final String ENGAGED_BY_EMAIL = "count(\"Email Opened\", duration(\"336h\")) >= 2";
    static final String VIP = "has(profile.traits.vip) && profile.traits.vip == true";

    // ----- the functions

    @Test
    void shouldEvaluateEveryFunctionAtTheGivenTime() {
        CustomerProfile profile = BehaviourProfiles.customer()
                .track("Order Completed", T.minus(Duration.ofDays(3)), "pos", "{\"revenue\": 120, \"quantity\": 3}")
                .track("Product Added", T.minus(Duration.ofMinutes(30)), "web", null)
                .track("Email Opened", T, "email", null)
                .profile();
        ProfileView view = ProfileView.of(profile);

        assertThat(test("count(\"Product Added\", duration(\"1h\")) == 1", view, T))
                .isTrue();
        assertThat(test("count(\"Product Added\", duration(\"10m\")) == 0", view, T))
                .isTrue();
        assertThat(test("sum(\"Order Completed\", \"revenue\", duration(\"168h\")) == 120.0", view, T))
                .isTrue();
        assertThat(test("sum(\"Order Completed\", \"quantity\", duration(\"24h\")) == 0.0", view, T))
                .isTrue();
        assertThat(test("since(\"Product Added\") == duration(\"30m\")", view, T))
                .isTrue();
        assertThat(test("since(\"Newsletter Signup\") > duration(\"8760h\")", view, T))
                .isTrue();
        assertThat(test("idle() == duration(\"0s\")", view, T)).isTrue();
        assertThat(test("idle() == duration(\"1h\")", view, T.plus(Duration.ofHours(1))))
                .isTrue();
        assertThat(test("channels(duration(\"1h\")) == 2", view, T)).isTrue();
        assertThat(test("channels(duration(\"96h\")) == 3", view, T)).isTrue();
        // functions mix with profile fields
        assertThat(test("profile.orders.count == 1 && count(\"Order Completed\", duration(\"96h\")) == 1", view, T))
                .isTrue();
    }

    @Test
    void shouldUseTheEvaluationTimeNotTheWallClock() {
        CustomerProfile profile = BehaviourProfiles.customer()
                .track("Product Added", T, "web", null)
                .profile();
        SegmentCondition recent = SegmentCondition.compile("count(\"Product Added\", duration(\"2h\")) > 0");

        assertThat(recent.test(profile, T.plus(Duration.ofHours(2)))).isTrue();
        assertThat(recent.test(profile, T.plus(Duration.ofHours(2)).plus(TICK))).isFalse();
        // without a time: the profile's own lastSeen
        assertThat(recent.test(profile)).isTrue();
        assertThat(recent.test((Map<String, Object>) ProfileView.of(profile))).isTrue();
    }

    @Test
    void shouldRefuseBehaviourFunctionsOnAPlainMap() {
        SegmentCondition lapsed = SegmentCondition.compile(LAPSED);
        Map<String, Object> plain = new LinkedHashMap<>(ProfileView.of(
                BehaviourProfiles.customer().track("Page Viewed", T).profile()));

        assertThatThrownBy(() -> lapsed.test(plain))
                .isInstanceOf(ConditionEvaluationException.class)
                .hasMessageContaining("behaviour over time");
        assertThat(SegmentCondition.compile("profile.eventCount == 1").test(plain))
                .isTrue();
    }

    // ----- compile-time checks

    @Test
    void shouldRefuseWrongArgumentTypesWithTheirPosition() {
        assertThatThrownBy(() -> SegmentCondition.compile("count(\"Product Added\", 2) > 0"))
                .isInstanceOfSatisfying(InvalidConditionException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.column()).isEqualTo(6);
                    assertThat(e.getMessage()).contains("no matching overload for 'count'");
                });
        assertThatThrownBy(() -> SegmentCondition.compile("since(\"Order Completed\") > 3"))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("no matching overload");
        assertThatThrownBy(() -> SegmentCondition.compile("idle(\"web\") > duration(\"1h\")"))
                .isInstanceOf(InvalidConditionException.class);
        assertThatThrownBy(() -> SegmentCondition.compile("channels(duration(\"1h\"))"))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("bool");
    }

    @Test
    void shouldRefuseASumOfAPropertyTheHistoryDoesNotKeep() {
        assertThatThrownBy(
                        () -> SegmentCondition.compile("profile.eventCount > 0 &&\n sum(\"Order Completed\", \"price\","
                                + " duration(\"24h\")) > 1.0"))
                .isInstanceOfSatisfying(InvalidConditionException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(25);
                    assertThat(e.getMessage())
                            .startsWith("invalid condition at 2:25: sum(): the history keeps no sums of 'price'")
                            .contains("quantity, revenue, total, value")
                            .contains(" | " + ".".repeat(24) + "^");
                });
        assertThat(SegmentCondition.compile(
                                "sum(\"Order Completed\", \"price\", duration(\"24h\")) > 1.0", List.of("price"))
                        .dependsOnTime())
                .isTrue();
    }

    @Test
    void shouldRefuseAnInvalidDurationLiteral() {
        assertThatThrownBy(() -> SegmentCondition.compile("idle() > duration(\"30 days\")"))
                .isInstanceOfSatisfying(InvalidConditionException.class, e -> {
                    assertThat(e.column()).isEqualTo(18);
                    assertThat(e.getMessage()).contains("invalid duration \"30 days\"");
                });
    }

    @Test
    void shouldParseEveryDurationTextAsCelDoesWhenEvaluatedAgainAndAgain() {
        CustomerProfile profile = BehaviourProfiles.customer()
                .track("Product Added", T, "web", null)
                .profile();
        Map<String, Duration> texts = Map.of(
                "2h", Duration.ofHours(2),
                "120m", Duration.ofHours(2),
                "7200s", Duration.ofHours(2),
                "1.5h", Duration.ofMinutes(90),
                "5400000ms", Duration.ofMinutes(90),
                "1h30m", Duration.ofMinutes(90));
        // the same texts evaluated repeatedly (parsed once, then remembered) keep their exact meaning
        for (int round = 0; round < 3; round++) {
            texts.forEach((text, window) -> {
                SegmentCondition recent =
                        SegmentCondition.compile("count(\"Product Added\", duration(\"" + text + "\")) > 0");
                assertThat(recent.test(profile, T.plus(window))).as(text).isTrue();
                assertThat(recent.test(profile, T.plus(window).plus(TICK)))
                        .as(text)
                        .isFalse();
            });
        }
    }

    @Test
    void shouldRefuseElapsedTimeThatIsNotComparedWithADuration() {
        assertThatThrownBy(() -> SegmentCondition.compile("idle().getHours() > 720"))
                .isInstanceOfSatisfying(InvalidConditionException.class, e -> {
                    assertThat(e.column()).isEqualTo(5);
                    assertThat(e.getMessage()).contains("idle() must be compared with a duration");
                });
        assertThatThrownBy(() -> SegmentCondition.compile("since(\"A\") + since(\"B\") > duration(\"1h\")"))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("adds or subtracts two values that depend on time");
        assertThatThrownBy(() -> SegmentCondition.compile("duration(\"720h\") - idle() < duration(\"0s\")"))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("subtracts idle()");
        assertThatThrownBy(() -> SegmentCondition.compile(
                        "idle() > (count(\"A\", duration(\"1h\")) > 0 ? duration(\"1h\") : duration(\"2h\"))"))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("does not depend on time");
        assertThatThrownBy(() ->
                        SegmentCondition.compile("[duration(\"1h\"), duration(\"2h\")].exists(w, count(\"A\", w) > 0)"))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("the window of count() must be written in the condition or read from profile,"
                        + " not from 'w'");
        assertThatThrownBy(() -> SegmentCondition.compile("count(\"A\", idle()) > 0"))
                .isInstanceOf(InvalidConditionException.class)
                .hasMessageContaining("must not depend on time");
    }

    @Test
    void shouldAcceptElapsedTimeComparedWithTimeIndependentValues() {
        assertThat(SegmentCondition.compile("idle() - duration(\"24h\") > duration(\"696h\")")
                        .dependsOnTime())
                .isTrue();
        assertThat(SegmentCondition.compile("profile.lastSeen + idle() >= timestamp(\"2027-01-01T00:00:00Z\")")
                        .dependsOnTime())
                .isTrue();
        assertThat(SegmentCondition.compile("['Order Completed', 'Product Added'].all(n, since(n) > duration('1h'))")
                        .dependsOnTime())
                .isTrue();
        assertThat(SegmentCondition.compile("since('Order Completed') > profile.lastSeen - profile.firstSeen")
                        .dependsOnTime())
                .isTrue();
        assertThat(SegmentCondition.compile("profile.eventCount > 2").dependsOnTime())
                .isFalse();
    }

    // ----- nextCheck for the example segments

    @Test
    void shouldExitCartAbandonersTwoHoursAfterTheLastAddWithoutAnOrder() {
        SegmentCondition abandoners = SegmentCondition.compile(CART_ABANDONERS);
        Instant added = T.plusSeconds(17);
        ProfileView view = ProfileView.of(BehaviourProfiles.customer()
                .track("Order Completed", T.minus(Duration.ofDays(2)), "{\"revenue\": 30}")
                .track("Product Added", added)
                .profile());
        Instant exit = added.plus(Duration.ofHours(2)).plus(TICK);

        assertThat(abandoners.test(view, added)).isTrue();
        assertThat(abandoners.nextCheck(view, added)).contains(exit);
        assertThat(abandoners.test(view, exit.minus(TICK))).isTrue();
        assertThat(abandoners.test(view, exit)).isFalse();
        assertThat(abandoners.nextCheck(view, exit)).isEmpty();
    }

    @Test
    void shouldNotEnterCartAbandonersWhenTheOrderFollowedTheAdd() {
        SegmentCondition abandoners = SegmentCondition.compile(CART_ABANDONERS);
        ProfileView view = ProfileView.of(BehaviourProfiles.customer()
                .track("Product Added", T)
                .track("Order Completed", T.plus(Duration.ofMinutes(5)), "{\"revenue\": 30}")
                .profile());
        Instant now = T.plus(Duration.ofMinutes(5));

        assertThat(abandoners.test(view, now)).isFalse();
        assertThat(abandoners.nextCheck(view, now)).isEmpty();
        // and a customer who never ordered is an abandoner
        assertThat(abandoners.test(
                        BehaviourProfiles.customer().track("Product Added", T).profile(), T))
                .isTrue();
    }

    @Test
    void shouldEnterLapsedThirtyDaysAfterTheLastEvent() {
        SegmentCondition lapsed = SegmentCondition.compile(LAPSED);
        ProfileView view = ProfileView.of(BehaviourProfiles.customer()
                .track("Page Viewed", T.minus(Duration.ofDays(3)))
                .track("Page Viewed", T)
                .profile());
        Instant entry = T.plus(Duration.ofHours(720)).plus(TICK);

        assertThat(lapsed.test(view, T)).isFalse();
        assertThat(lapsed.nextCheck(view, T)).contains(entry);
        assertThat(lapsed.nextCheck(view, T.plus(Duration.ofDays(29)))).contains(entry);
        assertThat(lapsed.test(view, entry.minus(TICK))).isFalse();
        assertThat(lapsed.test(view, entry)).isTrue();
        assertThat(lapsed.nextCheck(view, entry)).isEmpty();
    }

    @Test
    void shouldExitHighValueWhenTheOlderOrdersLeaveTheYear() {
        SegmentCondition highValue = SegmentCondition.compile(HIGH_VALUE);
        CustomerProfile profile = BehaviourProfiles.customer()
                .track("Order Completed", T.minus(Duration.ofDays(200)), "{\"revenue\": 300}")
                .track("Order Completed", T.minus(Duration.ofDays(20)), "{\"revenue\": 150}")
                .track("Order Completed", T, "{\"revenue\": \"50.00\"}")
                .profile();
        ProfileView view = ProfileView.of(profile);
        Instant oldest = bucketStart(profile, "Order Completed", BucketWidth.MONTH);
        Instant exit = oldest.plus(Duration.ofHours(8760)).plus(TICK);

        assertThat(highValue.test(view, T)).isTrue();
        assertThat(highValue.nextCheck(view, T)).contains(exit);
        assertThat(highValue.test(view, exit.minus(TICK))).isTrue();
        assertThat(highValue.test(view, exit)).isFalse();
        // 200 then 50 remain: below 500 for good
        assertThat(highValue.nextCheck(view, exit)).isEmpty();
        // the bucket is at most 30 days older than the order: the exit is early by less than that
        assertThat(exit)
                .isBetween(
                        T.minus(Duration.ofDays(200)).plus(Duration.ofDays(365 - 30)),
                        T.minus(Duration.ofDays(200)).plus(Duration.ofDays(365)));
    }

    @Test
    void shouldExitMultichannelWhenTheOldestChannelLeavesTheWindow() {
        SegmentCondition multichannel = SegmentCondition.compile(MULTICHANNEL);
        Instant web = T.minus(Duration.ofDays(20));
        ProfileView view = ProfileView.of(BehaviourProfiles.customer()
                .track("Page Viewed", web, "web", null)
                .track("Email Opened", T.minus(Duration.ofDays(5)), "email", null)
                .track("Order Completed", T, "pos", "{\"total\": 12}")
                .profile());
        Instant exit = web.plus(Duration.ofHours(720)).plus(TICK);

        assertThat(multichannel.test(view, T)).isTrue();
        assertThat(multichannel.nextCheck(view, T)).contains(exit);
        assertThat(multichannel.test(view, exit.minus(TICK))).isTrue();
        assertThat(multichannel.test(view, exit)).isFalse();
        assertThat(multichannel.nextCheck(view, exit)).isEmpty();
    }

    @Test
    void shouldExitEngagedByEmailWhenTheEarlierOpenLeavesTheFortnight() {
        SegmentCondition engaged = SegmentCondition.compile(ENGAGED_BY_EMAIL);
        Instant first = T.minus(Duration.ofDays(3));
        CustomerProfile profile = BehaviourProfiles.customer()
                .track("Email Opened", first, "email", null)
                .track("Email Opened", T, "email", null)
                .profile();
        ProfileView view = ProfileView.of(profile);
        // 72 h before lastSeen the first open is in a daily bucket: it leaves when the day's start does
        Instant day = bucketStart(profile, "Email Opened", BucketWidth.DAY);
        Instant exit = day.plus(Duration.ofHours(336)).plus(TICK);

        assertThat(day).isEqualTo(Instant.parse("2026-11-17T00:00:00Z"));
        assertThat(engaged.test(view, T)).isTrue();
        assertThat(engaged.nextCheck(view, T)).contains(exit);
        assertThat(engaged.test(view, exit)).isFalse();
        assertThat(engaged.nextCheck(view, exit)).isEmpty();
        // one open is not engaged, and never becomes engaged without a new event
        ProfileView once = ProfileView.of(BehaviourProfiles.customer()
                .track("Email Opened", T, "email", null)
                .profile());
        assertThat(engaged.test(once, T)).isFalse();
        assertThat(engaged.nextCheck(once, T)).isEmpty();
    }

    @Test
    void shouldNeverScheduleAConditionWithoutBehaviourFunctions() {
        SegmentCondition vip = SegmentCondition.compile(VIP);
        ProfileView view = ProfileView.of(BehaviourProfiles.customer()
                .identify("{\"vip\": true}", T)
                .track("Page Viewed", T)
                .profile());

        assertThat(vip.dependsOnTime()).isFalse();
        assertThat(vip.test(view, T)).isTrue();
        assertThat(vip.test(view, T.plus(Duration.ofDays(5000)))).isTrue();
        assertThat(vip.nextCheck(view, T)).isEmpty();
    }

    @Test
    void shouldFindThresholdsWrittenWithArithmeticAndProfileFields() {
        ProfileView view = ProfileView.of(BehaviourProfiles.customer()
                .track("Page Viewed", T.minus(Duration.ofDays(2)))
                .track("Product Added", T)
                .profile());

        assertThat(SegmentCondition.compile("idle() - duration(\"24h\") > duration(\"696h\")")
                        .nextCheck(view, T))
                .contains(T.plus(Duration.ofHours(720)).plus(TICK));
        assertThat(SegmentCondition.compile("profile.lastSeen + idle() >= timestamp(\"2027-01-01T00:00:00Z\")")
                        .nextCheck(view, T))
                .contains(Instant.parse("2027-01-01T00:00:00Z"));
        // lastSeen - firstSeen = 48 h
        assertThat(SegmentCondition.compile("since(\"Product Added\") > profile.lastSeen - profile.firstSeen")
                        .nextCheck(view, T))
                .contains(T.plus(Duration.ofHours(48)).plus(TICK));
        assertThat(SegmentCondition.compile("['Product Added', 'Page Viewed'].all(n, since(n) > duration('1h'))")
                        .nextCheck(view, T))
                .contains(T.plus(Duration.ofHours(1)).plus(TICK));
    }

    @Test
    void shouldAnswerTheFirstUnexaminedTimeBeyondTheHorizon() {
        SegmentCondition decade = SegmentCondition.compile("since(\"Order Completed\") > duration(\"87600h\")");
        ProfileView view = ProfileView.of(
                BehaviourProfiles.customer().track("Order Completed", T).profile());

        // the change is ten years ahead; the search stops at 400 days and names the time to look again
        Optional<Instant> next = decade.nextCheck(view, T);
        assertThat(next).contains(T.plus(Duration.ofHours(87600)));
        assertThat(decade.test(view, next.orElseThrow())).isFalse();
        assertThat(decade.nextCheck(view, next.orElseThrow()))
                .contains(T.plus(Duration.ofHours(87600)).plus(TICK));
    }

    /** Time-based conditions checked against random profiles. */
    private static final List<String> RANDOM_CONDITIONS = List.of(
            CART_ABANDONERS,
            LAPSED,
            HIGH_VALUE,
            MULTICHANNEL,
            ENGAGED_BY_EMAIL,
            "count(\"Product Viewed\", duration(\"6h\")) >= 3 || idle() > duration(\"50h\")",
            "since(\"Email Opened\") < duration(\"72h\") && channels(duration(\"48h\")) == 2",
            "sum(\"Order Completed\", \"revenue\", duration(\"2160h\")) > 100.0 && since(\"Product Viewed\")"
                    + " >= duration(\"36h\")");

    @Test
    void shouldNameExactlyTheFirstChangeOfRandomProfiles() {
        Random random = new Random(7);
        int changes = 0;
        for (int customer = 0; customer < 25; customer++) {
            CustomerProfile profile = randomProfile(random);
            ProfileView view = ProfileView.of(profile);
            for (String text : RANDOM_CONDITIONS) {
                SegmentCondition condition = SegmentCondition.compile(text);
                Instant now = profile.getLastSeen().plus(Duration.ofMinutes(random.nextInt(60 * 24)));
                boolean before = condition.test(view, now);
                Optional<Instant> next = condition.nextCheck(view, now);
                Instant end = next.orElse(now.plus(Duration.ofDays(400)));
                // the answer holds still until the named time (at 200 random times before it)...
                long span = Duration.between(now, end).toMillis();
                for (int probe = 0; probe < 200; probe++) {
                    Instant at = now.plusMillis((long) (random.nextDouble() * span));
                    assertThat(condition.test(view, at))
                            .as("%s at %s (next %s)", text, at, next)
                            .isEqualTo(before);
                }
                if (next.isPresent()) {
                    changes++;
                    assertThat(condition.test(view, next.get().minus(TICK))).isEqualTo(before);
                    // ...and changes then
                    assertThat(condition.test(view, next.get()))
                            .as("%s at %s", text, next)
                            .isNotEqualTo(before);
                }
                assertThat(followPossibleChanges(condition, view, now, before))
                        .as("%s from %s by its possible changes", text, now)
                        .isEqualTo(next);
            }
        }
        assertThat(changes).isGreaterThan(30);
    }

    /**
     * What the segment processor does: evaluates at each possible change and asks for the next one, until
     * the answer differs from {@code before}; each possible change comes after the previous one.
     */
    private static Optional<Instant> followPossibleChanges(
            SegmentCondition condition, ProfileView view, Instant now, boolean before) {
        Instant at = now;
        for (int step = 0; step < 2_000; step++) {
            Optional<Instant> possible = condition.nextPossibleChange(view, at);
            if (possible.isEmpty()) {
                return Optional.empty();
            }
            assertThat(possible.get()).isAfter(at);
            at = possible.get();
            if (condition.test(view, at) != before) {
                return Optional.of(at);
            }
        }
        throw new AssertionError("no change within 2,000 possible changes of " + condition);
    }

    /** A customer with 1 to 15 events of the last 3 or 200 days, of four names on four channels. */
    private static CustomerProfile randomProfile(Random random) {
        List<String> names = List.of("Product Viewed", "Product Added", "Order Completed", "Email Opened");
        List<String> channels = List.of("web", "email", "pos", "mobile");
        BehaviourProfiles builder = BehaviourProfiles.customer();
        for (int i = 0; i < 1 + random.nextInt(15); i++) {
            Instant at = T.minus(Duration.ofMinutes(random.nextInt(60 * 24 * (random.nextBoolean() ? 3 : 200))));
            builder.track(
                    names.get(random.nextInt(names.size())),
                    at,
                    channels.get(random.nextInt(channels.size())),
                    "{\"revenue\": " + random.nextInt(300) + "}");
        }
        return builder.profile();
    }

    private static boolean test(String condition, ProfileView view, Instant now) {
        return SegmentCondition.compile(condition).test(view, now);
    }

    private static Instant bucketStart(CustomerProfile profile, String name, BucketWidth width) {
        return profile.getActivity().stream()
                .filter(bucket -> bucket.getName().equals(name) && bucket.getWidth() == width)
                .map(ActivityBucket::getStart)
                .min(Instant::compareTo)
                .orElseThrow();
    }
}
