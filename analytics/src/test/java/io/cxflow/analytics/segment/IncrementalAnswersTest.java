package io.cxflow.analytics.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.analytics.segment.internal.InputChanges;
import io.cxflow.avro.CustomerProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What incremental evaluation relies on, checked on random histories: when nothing a condition reads
 * differs between a profile and the next one ({@link SegmentCondition#readsChanged}) and the new
 * evaluation time is before the moment time alone may change the answer ({@link
 * SegmentCondition#nextPossibleChange}), the answer for the new profile is the earlier answer, and its
 * next possible change is not before the earlier one (so the customer's schedule may stay).
 */
class IncrementalAnswersTest {

    private static final List<String> CONDITIONS = List.of(
            "count(\"Product Added\", duration(\"1h\")) > 0 && since(\"Order Completed\") > since(\"Product Added\")",
            "count(\"Product Added\", duration(\"24h\")) > 0 && since(\"Order Completed\") > since(\"Product Added\")",
            "count(\"Product Viewed\", duration(\"168h\")) >= 3 && profile.orders.count == 0",
            "sum(\"Order Completed\", \"revenue\", duration(\"8760h\")) >= 250.0",
            "sum(\"Order Completed\", \"revenue\", duration(\"48h\")) >= 100.0",
            "count(\"Order Completed\", duration(\"720h\")) >= 2",
            "idle() > duration(\"24h\")",
            "idle() > duration(\"72h\")",
            "profile.orders.count >= 1 && since(\"Order Completed\") > duration(\"48h\")",
            "channels(duration(\"72h\")) >= 2",
            "count(\"Email Opened\", duration(\"48h\")) >= 2",
            "count(\"Product Viewed\", duration(\"3h\")) >= 2",
            "has(profile.traits.vip) && profile.traits.vip == true",
            "profile.eventCount >= 8",
            "[\"Product Added\", \"Email Opened\"].exists(n, count(n, duration(\"6h\")) > 0)");

    private static final String[] NAMES = {
        "Product Added", "Product Viewed", "Order Completed", "Email Opened", "Products Searched"
    };
    private static final String[] CHANNELS = {"web", "mobile", "pos"};

    @Test
    void shouldKeepTheEarlierAnswerWhenNothingReadChangedAndNoTimeChangeIsDue() {
        List<SegmentCondition> conditions =
                CONDITIONS.stream().map(SegmentCondition::compile).toList();
        Random random = new Random(7);
        int kept = 0;
        int timeMattered = 0;
        for (int customer = 0; customer < 400; customer++) {
            BehaviourProfiles history =
                    BehaviourProfiles.random(random, 15, 2_000, (profile, at) -> add(profile, random, at));
            CustomerProfile before = history.profile();
            Instant then = before.getLastSeen().plus(Duration.ofMinutes(random.nextInt(3_000)));
            // the next event: mostly now, sometimes late
            Instant next = random.nextInt(4) == 0 ? then.minus(Duration.ofMinutes(random.nextInt(5_000))) : then;
            add(history, random, next);
            CustomerProfile after = history.profile();
            Instant now = then.plus(Duration.ofMinutes(random.nextInt(3_000)));
            InputChanges changes = InputChanges.between(before, after);
            ProfileView beforeView = ProfileView.of(before);
            ProfileView afterView = ProfileView.of(after);
            for (SegmentCondition condition : conditions) {
                if (condition.readsChanged(changes)) {
                    continue;
                }
                boolean earlier = holds(condition, beforeView, then);
                boolean current = holds(condition, afterView, now);
                Optional<Instant> possibleChange = condition.nextPossibleChange(beforeView, then);
                if (possibleChange.isEmpty() || now.isBefore(possibleChange.get())) {
                    assertThat(current)
                            .as("%s for customer %d: unchanged inputs, no time change due", condition, customer)
                            .isEqualTo(earlier);
                    // the kept answer's next possible change is not before the one scheduled then: the
                    // schedule, a lower bound of them, may stay as it is
                    Optional<Instant> nowPossible = condition.nextPossibleChange(afterView, now);
                    if (possibleChange.isEmpty()) {
                        assertThat(nowPossible)
                                .as("%s: no time change then, none now", condition)
                                .isEmpty();
                    } else {
                        assertThat(nowPossible)
                                .as("%s for customer %d: next possible change", condition, customer)
                                .hasValueSatisfying(t -> assertThat(t).isAfterOrEqualTo(possibleChange.get()));
                    }
                    kept++;
                } else if (current != earlier) {
                    timeMattered++;
                }
            }
        }
        assertThat(kept).isGreaterThan(1_000);
        // the time condition is needed: past the possible change, unchanged inputs do change answers
        assertThat(timeMattered).isGreaterThan(10);
    }

    @Test
    void shouldSeeEveryInputAnEventChanges() {
        Instant at = Instant.parse("2026-06-01T00:00:00Z");
        BehaviourProfiles history = BehaviourProfiles.customer()
                .track("Product Viewed", at, "web", null)
                .track("Email Opened", at.plusSeconds(60), "email", null);
        CustomerProfile before = history.profile();
        CustomerProfile after = history.track("Product Viewed", at.plusSeconds(120), "web", null)
                .profile();
        InputChanges changes = InputChanges.between(before, after);
        assertThat(changes.name("Product Viewed")).isTrue();
        assertThat(changes.name("Email Opened")).isFalse();
        assertThat(changes.name("Order Completed")).isFalse();
        assertThat(changes.field("lastSeen")).isTrue();
        assertThat(changes.field("channels")).isTrue();
        assertThat(changes.field("events")).isTrue();
        assertThat(changes.field("traits")).isFalse();
        assertThat(changes.field("orders")).isFalse();
        assertThat(changes.field("no-such-field")).isTrue();

        assertThat(readsChanged("count(\"Email Opened\", duration(\"48h\")) >= 2", changes))
                .isFalse();
        assertThat(readsChanged("count(\"Product Viewed\", duration(\"48h\")) >= 2", changes))
                .isTrue();
        assertThat(readsChanged("idle() > duration(\"1h\")", changes)).isTrue();
        assertThat(readsChanged("has(profile.traits.vip)", changes)).isFalse();

        // a trait set again to the same value changes nothing a condition reads
        CustomerProfile identified =
                history.identify("{\"vip\": true}", at.plusSeconds(180)).profile();
        CustomerProfile again =
                history.identify("{\"vip\": true}", at.plusSeconds(240)).profile();
        assertThat(InputChanges.between(identified, again).field("traits")).isFalse();
        assertThat(InputChanges.between(after, identified).field("traits")).isTrue();
    }

    @Test
    void shouldReadEverythingWhenTheReadingCannotBePinnedDown() {
        assertThat(SegmentCondition.compile("size(profile.segments) >= 2")
                        .inputs()
                        .all())
                .isTrue();
        assertThat(SegmentCondition.compile("[1].exists(profile, profile > 0)")
                        .inputs()
                        .all())
                .isTrue();
        assertThat(SegmentCondition.compile("count(profile.customerId, duration(\"1h\")) > 0")
                        .inputs()
                        .allNames())
                .isTrue();
        var inputs = SegmentCondition.compile(
                        "profile.orders.count >= 1 && since(\"Order Completed\") > duration(\"48h\")"
                                + " && channels(duration(\"24h\")) >= 2 && idle() < duration(\"1h\")")
                .inputs();
        assertThat(inputs.all()).isFalse();
        assertThat(inputs.fields()).containsExactlyInAnyOrder("orders", "channels", "lastSeen");
        assertThat(inputs.names()).containsExactly("Order Completed");
    }

    private static void add(BehaviourProfiles history, Random random, Instant at) {
        if (random.nextInt(12) == 0) {
            history.identify("{\"vip\": " + random.nextBoolean() + "}", at);
            return;
        }
        history.trackAny(random, NAMES, CHANNELS, at, 200);
    }

    private static boolean readsChanged(String condition, InputChanges changes) {
        return SegmentCondition.compile(condition).readsChanged(changes);
    }

    private static boolean holds(SegmentCondition condition, ProfileView view, Instant now) {
        try {
            return condition.test(view, now);
        } catch (ConditionEvaluationException e) {
            return false;
        }
    }
}
