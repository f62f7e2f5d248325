package io.cxflow.analytics.testing;

import io.cxflow.avro.Context;
import io.cxflow.avro.EventType;
import io.cxflow.avro.TouchpointEvent;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** Builds {@link TouchpointEvent}s for tests, the way the collector writes them. */
public final class Events {

    private static final Instant BASE = Instant.parse("2026-11-20T10:00:00Z");

    private final AtomicLong messageIds = new AtomicLong();

    /** An instant {@code minutes} after a fixed base time. */
    public static Instant at(long minutes) {
        return BASE.plusSeconds(minutes * 60);
    }

    public TouchpointEvent.Builder track(String userId, String name, Instant at) {
        return base(EventType.TRACK, at).setUserId(userId).setEvent(name);
    }

    public TouchpointEvent.Builder page(String userId, Instant at) {
        return base(EventType.PAGE, at).setUserId(userId).setName("Home");
    }

    public TouchpointEvent.Builder screen(String userId, Instant at) {
        return base(EventType.SCREEN, at)
                .setUserId(userId)
                .setName("Cart")
                .setChannel("mobile")
                .setSourceId("dev-mobile");
    }

    public TouchpointEvent.Builder identify(String userId, String traitsJson, Instant at) {
        return base(EventType.IDENTIFY, at).setUserId(userId).setTraits(traitsJson);
    }

    public TouchpointEvent.Builder anonymousPage(String anonymousId, Instant at) {
        return base(EventType.PAGE, at).setAnonymousId(anonymousId).setName("Landing");
    }

    public TouchpointEvent.Builder of(EventType type, String userId, Instant at) {
        return base(type, at).setUserId(userId);
    }

    public static Context.Builder context() {
        return Context.newBuilder();
    }

    private TouchpointEvent.Builder base(EventType type, Instant at) {
        return TouchpointEvent.newBuilder()
                .setMessageId("m-" + messageIds.incrementAndGet())
                .setType(type)
                .setSourceId("dev-web")
                .setChannel("web")
                .setReceivedAt(at)
                .setTimestamp(at);
    }
}
