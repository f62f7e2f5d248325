package io.cxflow.bench.segments;

import io.cxflow.avro.SegmentDefinition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The segment definitions of the segment benchmark: {@link #REALISTIC} variants of the shipped example segments
 * (cart abandoners, high value, lapsed, multichannel, engaged on a channel, VIP by trait; see {@code
 * analytics/DESIGN.md}) with other thresholds, windows and event names, as marketing ops would write them, plus
 * the {@link #PROBE_ID probe} segment that one {@value #PROBE_EVENT} event makes a customer enter.
 */
public final class BenchSegments {

    /** How many realistic definitions {@link #realistic()} returns. */
    public static final int REALISTIC = 50;

    /** The id of the segment a probe event makes its (fresh) customer enter. */
    public static final String PROBE_ID = "bench-probe";

    /** The track event of a probe. */
    public static final String PROBE_EVENT = "Bench Probe";

    /** The probe segment's condition: one probe event within the last hour. */
    public static final String PROBE_CONDITION = "count(\"" + PROBE_EVENT + "\", duration(\"1h\")) >= 1";

    /**
     * A definition to write.
     *
     * @param id the segment id
     * @param name the display name
     * @param condition CEL over {@code profile}
     * @param tags what kind of segment it is (the example it varies)
     */
    public record Definition(String id, String name, String condition, List<String> tags) {

        public Definition {
            tags = List.copyOf(tags);
        }

        /** The record written to {@code cx.segment-definitions.v1}, version 1. */
        public SegmentDefinition toAvro(Instant updatedAt) {
            return SegmentDefinition.newBuilder()
                    .setId(id)
                    .setName(name)
                    .setDescription("segment benchmark: " + String.join(", ", tags))
                    .setCondition(condition)
                    .setTopic(false)
                    .setTags(tags)
                    .setVersion(1)
                    .setUpdatedAt(updatedAt)
                    .setDeleted(false)
                    .build();
        }
    }

    private BenchSegments() {}

    /** The probe segment. */
    public static Definition probe() {
        return new Definition(PROBE_ID, "Benchmark probe", PROBE_CONDITION, List.of("probe"));
    }

    /** The {@value #REALISTIC} realistic definitions, in a fixed order; ids are unique. */
    public static List<Definition> realistic() {
        List<Definition> out = new ArrayList<>();
        // cart abandoners: an add within the window and no order since (the shipped example uses 2 h)
        for (int hours : new int[] {1, 2, 4, 6, 12, 24, 48}) {
            out.add(new Definition(
                    "cart-abandoners-" + hours + "h",
                    "Cart abandoners (" + hours + " h)",
                    "count(\"Product Added\", duration(\"" + hours + "h\")) > 0"
                            + " && since(\"Order Completed\") > since(\"Product Added\")",
                    List.of("cart-abandoners")));
        }
        out.add(new Definition(
                "checkout-abandoners-2h",
                "Checkout abandoners (2 h)",
                "count(\"Checkout Started\", duration(\"2h\")) > 0"
                        + " && since(\"Order Completed\") > since(\"Checkout Started\")",
                List.of("cart-abandoners")));
        out.add(new Definition(
                "window-shoppers-7d",
                "Window shoppers (3 product views in 7 days, never ordered)",
                "count(\"Product Viewed\", duration(\"168h\")) >= 3 && profile.orders.count == 0",
                List.of("cart-abandoners")));
        // high value: revenue over a window (the shipped example: >= 500 in 365 days)
        for (int amount : new int[] {100, 250, 500, 1000, 2500}) {
            out.add(new Definition(
                    "high-value-" + amount,
                    "High value (" + amount + " in 365 days)",
                    "sum(\"Order Completed\", \"revenue\", duration(\"8760h\")) >= " + amount + ".0",
                    List.of("high-value")));
        }
        for (int amount : new int[] {200, 500}) {
            out.add(new Definition(
                    "high-value-90d-" + amount,
                    "High value (" + amount + " in 90 days)",
                    "sum(\"Order Completed\", \"revenue\", duration(\"2160h\")) >= " + amount + ".0",
                    List.of("high-value")));
        }
        out.add(new Definition("repeat-buyers", "Repeat buyers", "profile.orders.count >= 2", List.of("high-value")));
        out.add(new Definition(
                "frequent-buyers-30d",
                "Frequent buyers (3 orders in 30 days)",
                "count(\"Order Completed\", duration(\"720h\")) >= 3",
                List.of("high-value")));
        // lapsed: no event of any kind for a while (the shipped example: 30 days)
        for (int days : new int[] {3, 7, 14, 30, 60, 90}) {
            out.add(new Definition(
                    "lapsed-" + days + "d",
                    "Lapsed (" + days + " days)",
                    "idle() > duration(\"" + days * 24 + "h\")",
                    List.of("lapsed")));
        }
        out.add(new Definition(
                "lapsed-buyers-60d",
                "Lapsed buyers (ordered, then nothing for 60 days)",
                "profile.orders.count >= 1 && since(\"Order Completed\") > duration(\"1440h\")",
                List.of("lapsed")));
        // multichannel: distinct channels within a window (the shipped example: >= 3 in 30 days)
        for (int channels : new int[] {2, 3}) {
            for (int days : new int[] {7, 30, 90}) {
                out.add(new Definition(
                        "multichannel-" + channels + "-" + days + "d",
                        "Multichannel (" + channels + " channels in " + days + " days)",
                        "channels(duration(\"" + days * 24 + "h\")) >= " + channels,
                        List.of("multichannel")));
            }
        }
        out.add(new Definition(
                "omnichannel-buyers",
                "Buy in the shop and online",
                "has(profile.channels.pos) && has(profile.channels.web) && profile.orders.count >= 1",
                List.of("multichannel")));
        // engaged on a channel: repeated events of one kind within a window (the shipped example: 2 email opens
        // in 14 days)
        String[][] engaged = {
            {"email", "Email Opened", "2", "336"},
            {"email-clicks", "Email Link Clicked", "1", "168"},
            {"push", "Push Notification Tapped", "2", "336"},
            {"push-weekly", "Push Notification Tapped", "1", "168"},
            {"browsers", "Product Viewed", "5", "24"},
            {"browsers-week", "Product Viewed", "10", "168"},
            {"app", "Screen Viewed", "5", "168"},
            {"web", "Page Viewed", "5", "168"},
            {"searchers", "Products Searched", "3", "168"},
            {"cart-builders", "Product Added", "3", "48"},
            {"sms", "SMS Clicked", "1", "720"},
        };
        for (String[] e : engaged) {
            out.add(new Definition(
                    "engaged-" + e[0],
                    "Engaged: " + e[1].toLowerCase(Locale.ROOT) + " >= " + e[2] + " in " + e[3] + " h",
                    "count(\"" + e[1] + "\", duration(\"" + e[3] + "h\")) >= " + e[2],
                    List.of("engaged")));
        }
        // VIP and other trait / profile segments (no behaviour function: never scheduled)
        out.add(new Definition("vip", "VIP", "has(profile.traits.vip) && profile.traits.vip == true", List.of("vip")));
        out.add(new Definition(
                "loyalty-members", "Loyalty members", "has(profile.traits.loyaltyCard)", List.of("vip")));
        out.add(new Definition(
                "email-reachable",
                "Reachable by email",
                "has(profile.identities.email) && has(profile.consent.email) && profile.consent.email",
                List.of("vip")));
        out.add(new Definition(
                "sms-reachable",
                "Reachable by SMS",
                "has(profile.identities.phone) && has(profile.consent.sms) && profile.consent.sms",
                List.of("vip")));
        out.add(new Definition("known-customers", "Known customers", "has(profile.identities.userId)", List.of("vip")));
        out.add(new Definition("heavy-users", "Heavy users", "profile.eventCount >= 50", List.of("vip")));
        out.add(new Definition(
                "italian-speakers", "Italian locale", "profile.locale.startsWith('it')", List.of("vip")));
        if (out.size() != REALISTIC) {
            throw new IllegalStateException("expected " + REALISTIC + " definitions, built " + out.size());
        }
        Set<String> ids = new HashSet<>();
        for (Definition d : out) {
            if (!ids.add(d.id())) {
                throw new IllegalStateException("segment id used twice: " + d.id());
            }
        }
        return List.copyOf(out);
    }
}
