package io.cxflow.analytics.segment;

import io.cxflow.analytics.profile.ProfileSettings;
import io.cxflow.analytics.profile.internal.ProfileAggregator;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.TouchpointEvent;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds customer profiles with a real rolling history for tests of the behaviour functions, by folding
 * events through the {@link ProfileAggregator} the way the profile topology does.
 */
public final class BehaviourProfiles {

    private static final ProfileAggregator AGGREGATOR = new ProfileAggregator(new ProfileSettings("EUR"));

    private final AtomicLong messageIds = new AtomicLong();
    private CustomerProfile profile;

    /** A new, empty customer. */
    public static BehaviourProfiles customer() {
        return new BehaviourProfiles();
    }

    /**
     * A customer with 1 to {@code maxEvents} events from 1 June 2026, each up to {@code maxGapMinutes} after
     * the previous one, each added by {@code add} at its time.
     */
    public static BehaviourProfiles random(
            java.util.Random random,
            int maxEvents,
            int maxGapMinutes,
            java.util.function.BiConsumer<BehaviourProfiles, Instant> add) {
        BehaviourProfiles customer = customer();
        Instant at = Instant.parse("2026-06-01T00:00:00Z");
        int events = 1 + random.nextInt(maxEvents);
        for (int i = 0; i < events; i++) {
            at = at.plusSeconds(60L * random.nextInt(maxGapMinutes));
            add.accept(customer, at);
        }
        return customer;
    }

    /** A track event of one of {@code names} on one of {@code channels}; an order has a revenue of 10 to 10 + {@code revenues}. */
    public BehaviourProfiles trackAny(
            java.util.Random random, String[] names, String[] channels, Instant at, int revenues) {
        String name = names[random.nextInt(names.length)];
        return track(
                name,
                at,
                channels[random.nextInt(channels.length)],
                name.equals("Order Completed") ? "{\"revenue\": " + (10 + random.nextInt(revenues)) + "}" : null);
    }

    /** A track event on the web channel. */
    public BehaviourProfiles track(String name, Instant at) {
        return track(name, at, "web", null);
    }

    /** A track event with properties (JSON object text) on the web channel. */
    public BehaviourProfiles track(String name, Instant at, String properties) {
        return track(name, at, "web", properties);
    }

    /** A track event on a channel, with properties (JSON object text, or null). */
    public BehaviourProfiles track(String name, Instant at, String channel, String properties) {
        TouchpointEvent event = TouchpointEvent.newBuilder()
                .setMessageId("m-" + messageIds.incrementAndGet())
                .setType(io.cxflow.avro.EventType.TRACK)
                .setSourceId("dev-" + channel)
                .setChannel(channel)
                .setUserId("u-1")
                .setEvent(name)
                .setProperties(properties)
                .setReceivedAt(at)
                .setTimestamp(at)
                .build();
        profile = AGGREGATOR.apply("u-1", profile, event);
        return this;
    }

    /** An identify event setting traits (JSON object text). */
    public BehaviourProfiles identify(String traits, Instant at) {
        TouchpointEvent event = TouchpointEvent.newBuilder()
                .setMessageId("m-" + messageIds.incrementAndGet())
                .setType(io.cxflow.avro.EventType.IDENTIFY)
                .setSourceId("dev-web")
                .setChannel("web")
                .setUserId("u-1")
                .setTraits(traits)
                .setReceivedAt(at)
                .setTimestamp(at)
                .build();
        profile = AGGREGATOR.apply("u-1", profile, event);
        return this;
    }

    /** The profile of every event so far. */
    public CustomerProfile profile() {
        if (profile == null) {
            throw new IllegalStateException("no event yet");
        }
        return profile;
    }
}
