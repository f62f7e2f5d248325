package io.cxflow.testkit;

import io.cxflow.avro.Context;
import io.cxflow.avro.EventType;
import io.cxflow.avro.TouchpointEvent;
import java.time.Instant;
import java.util.UUID;

/** Builders of {@link TouchpointEvent}s as the collector would publish them, for tests. */
public final class TestEvents {

    private TestEvents() {}

    /** A track event with the given identities (either may be null), name and time. */
    public static TouchpointEvent.Builder track(String userId, String anonymousId, String event, Instant at) {
        return base(EventType.TRACK, userId, anonymousId, at).setEvent(event);
    }

    /** An identify event; {@code traitsJson} is the JSON text of the traits object (may be null). */
    public static TouchpointEvent.Builder identify(String userId, String anonymousId, String traitsJson, Instant at) {
        return base(EventType.IDENTIFY, userId, anonymousId, at).setTraits(traitsJson);
    }

    /** A page view. */
    public static TouchpointEvent.Builder page(String userId, String anonymousId, String name, Instant at) {
        return base(EventType.PAGE, userId, anonymousId, at).setName(name);
    }

    /** An alias of {@code previousId} to {@code userId}. */
    public static TouchpointEvent.Builder alias(String userId, String previousId, Instant at) {
        return base(EventType.ALIAS, userId, null, at).setPreviousId(previousId);
    }

    /** The key the collector uses: userId, else anonymousId. */
    public static String routingKey(TouchpointEvent e) {
        return e.getUserId() != null ? e.getUserId() : e.getAnonymousId();
    }

    private static TouchpointEvent.Builder base(EventType type, String userId, String anonymousId, Instant at) {
        return TouchpointEvent.newBuilder()
                .setMessageId(UUID.randomUUID().toString())
                .setType(type)
                .setSourceId("test-web")
                .setChannel("web")
                .setUserId(userId)
                .setAnonymousId(anonymousId)
                .setContext(Context.newBuilder().build())
                .setReceivedAt(at)
                .setTimestamp(at);
    }
}
