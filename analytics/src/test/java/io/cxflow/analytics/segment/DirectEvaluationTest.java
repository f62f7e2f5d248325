package io.cxflow.analytics.segment;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.avro.CustomerProfile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Conditions evaluated directly ({@link DirectEvaluation}) answer exactly as CEL's interpreter does —
 * the same boolean, or a failure where it fails — on random profiles (traits of every JSON kind, consent,
 * orders, several channels) at random times; and the shapes outside the subset are left to CEL.
 */
class DirectEvaluationTest {

    /** Condition → whether it is in the direct subset. */
    private static final Map<String, Boolean> CONDITIONS = new LinkedHashMap<>();

    static {
        direct(
                "count(\"Product Added\", duration(\"2h\")) > 0 && since(\"Order Completed\") > since(\"Product Added\")",
                "count(\"Product Viewed\", duration(\"168h\")) >= 3 && profile.orders.count == 0",
                "sum(\"Order Completed\", \"revenue\", duration(\"8760h\")) >= 500.0",
                "sum(\"Order Completed\", \"revenue\", duration(\"48h\")) >= 100",
                "sum(\"Order Completed\", \"revenue\", duration(\"48h\")) == 0.0",
                "profile.orders.count >= 2",
                "profile.orders.count != 0",
                "profile.eventCount > 2.5",
                "count(\"Email Opened\", duration(\"1h\")) == 1",
                "count(\"Order Completed\", duration(\"720h\")) >= 3",
                "idle() > duration(\"72h\")",
                "idle() >= duration(\"30m\")",
                "profile.orders.count >= 1 && since(\"Order Completed\") > duration(\"48h\")",
                "since(\"Order Completed\") <= duration(\"1h\")",
                "channels(duration(\"168h\")) >= 2",
                "!(channels(duration(\"24h\")) < 2)",
                "has(profile.channels.pos) && has(profile.channels.web) && profile.orders.count >= 1",
                "count(\"Email Opened\", duration(\"336h\")) >= 2 || count(\"Email Link Clicked\", duration(\"48h\")) >= 1",
                "has(profile.traits.vip) && profile.traits.vip == true",
                "profile.traits.vip == true",
                "true == profile.traits.vip",
                "profile.traits.vip != true",
                "profile.traits.score == 3",
                "profile.traits.score == 3.0",
                "profile.traits.plan == 'gold'",
                "profile.traits.plan != 'gold' && profile.eventCount >= 1",
                "has(profile.traits.loyaltyCard)",
                "has(profile.identities.email) && has(profile.consent.email) && profile.consent.email",
                "profile.consent.email",
                "profile.consent.email || true",
                "true || profile.consent.email",
                "profile.consent.email && false",
                "false && profile.consent.email",
                "profile.consent.email && true",
                "!profile.consent.sms || profile.eventCount > 2",
                "profile.traits.missing == 1 || profile.eventCount >= 0",
                "profile.traits.missing == 1 && profile.eventCount >= 0",
                "has(profile.events.Search) || profile.eventCount >= 50",
                "duration(\"1h\") < duration(\"2h\") && 'a' == 'a' && true != false",
                "count(\"Product Added\", duration(\"1h\")) > 0 || idle() > duration(\"24h\")");
        direct(
                "profile.locale.startsWith('it')",
                "profile.timezone.endsWith('Rome') && !profile.locale.contains('GB')",
                "profile.locale == '' || profile.customerId.startsWith('c')");
        interpreted(
                "profile.traits.plan.startsWith('g')",
                "profile.locale.matches('^it')",
                "size(profile.segments) >= 1",
                "profile.events['Order Completed'] >= 2",
                "[\"Product Added\", \"Email Opened\"].exists(n, count(n, duration(\"6h\")) > 0)",
                "profile.lastSeen > timestamp('2026-01-01T00:00:00Z')",
                "profile.traits.vip == null",
                "profile.orders.revenue.EUR > 100.0");
    }

    private static void direct(String... conditions) {
        for (String condition : conditions) {
            CONDITIONS.put(condition, true);
        }
    }

    private static void interpreted(String... conditions) {
        for (String condition : conditions) {
            CONDITIONS.put(condition, false);
        }
    }

    private static final String[] NAMES = {
        "Product Added", "Product Viewed", "Order Completed", "Email Opened", "Search"
    };
    private static final String[] CHANNELS = {"web", "mobile", "pos", "email"};
    private static final String[] VIP = {"true", "false", "\"yes\"", "1", "null", "[true]", "{\"a\": 1}"};
    private static final String[] LOCALES = {null, "it-IT", "it", "en-GB", "de-DE"};
    private static final String[] ZONES = {null, "Europe/Rome", "Europe/London"};
    private static final String[] SCORE = {"3", "3.0", "\"3\"", "4", "2.5"};

    @Test
    void shouldTakeTheCommonShapesAndLeaveTheRestToCel() {
        CONDITIONS.forEach((condition, direct) -> assertThat(
                        SegmentCondition.compile(condition).isDirect())
                .as(condition)
                .isEqualTo(direct));
    }

    @Test
    void shouldAnswerAsCelOnRandomProfilesAndTimes() {
        List<SegmentCondition> conditions = new ArrayList<>();
        CONDITIONS.keySet().forEach(c -> conditions.add(SegmentCondition.compile(c)));
        Random random = new Random(11);
        int compared = 0;
        int failures = 0;
        int held = 0;
        for (int customer = 0; customer < 300; customer++) {
            CustomerProfile profile = CustomerProfile.newBuilder(
                            BehaviourProfiles.random(random, 14, 3_000, (history, at) -> add(history, random, at))
                                    .profile())
                    .setLocale(LOCALES[random.nextInt(LOCALES.length)])
                    .setTimezone(ZONES[random.nextInt(ZONES.length)])
                    .build();
            ProfileView view = ProfileView.of(profile);
            for (int t = 0; t < 3; t++) {
                Instant now = profile.getLastSeen().plus(Duration.ofMinutes(random.nextInt(6_000)));
                for (SegmentCondition condition : conditions) {
                    String expected = outcome(() -> condition.interpreted(view, now));
                    String actual = outcome(() -> condition.test(view, now));
                    assertThat(actual)
                            .as("%s for %s at %s", condition, profile.getTraits(), now)
                            .isEqualTo(expected);
                    compared++;
                    failures += expected.equals("fails") ? 1 : 0;
                    held += expected.equals("true") ? 1 : 0;
                }
            }
        }
        // both answers and failures were compared, many times
        assertThat(compared).isGreaterThan(30_000);
        assertThat(failures).isGreaterThan(500);
        assertThat(held).isGreaterThan(3_000);
    }

    private static String outcome(java.util.function.BooleanSupplier evaluation) {
        try {
            return Boolean.toString(evaluation.getAsBoolean());
        } catch (ConditionEvaluationException e) {
            return "fails";
        }
    }

    private static void add(BehaviourProfiles history, Random random, Instant at) {
        if (random.nextInt(10) == 0) {
            StringBuilder traits = new StringBuilder("{\"vip\": " + VIP[random.nextInt(VIP.length)]);
            if (random.nextBoolean()) {
                traits.append(", \"score\": ").append(SCORE[random.nextInt(SCORE.length)]);
            }
            if (random.nextBoolean()) {
                traits.append(", \"plan\": \"")
                        .append(random.nextBoolean() ? "gold" : "silver")
                        .append('"');
            }
            if (random.nextInt(3) == 0) {
                traits.append(", \"loyaltyCard\": \"L-1\", \"email\": \"a@example.com\"");
            }
            if (random.nextInt(3) == 0) {
                traits.append(", \"consent\": {\"email\": ")
                        .append(random.nextBoolean())
                        .append(random.nextBoolean() ? ", \"sms\": true}" : "}");
            }
            history.identify(traits.append('}').toString(), at);
            return;
        }
        history.trackAny(random, NAMES, CHANNELS, at, 300);
    }
}
