package io.cxflow.testkit.population;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.AppContext;
import io.cxflow.avro.Context;
import io.cxflow.avro.EventType;
import io.cxflow.avro.LibraryContext;
import io.cxflow.avro.PageContext;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.schemas.json.JsonText;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;

/**
 * One event while the population is generated: every field the collector would publish, plus what the
 * generator knows about it (who sent it, which identifiers it carries, the order amount, the shared
 * device it claims).
 */
final class Draft {

    /** Channels an event may claim through {@code context.channel} (the collector's list). */
    static final Set<String> KNOWN_CHANNELS =
            Set.of("web", "mobile", "pos", "email", "call_center", "ads", "social", "server");

    final long seq;
    final EventType type;
    final Source source;
    /** The person whose touchpoint sent the event. */
    final Person actor;

    String messageId;
    String userId;
    String anonymousId;
    String previousId;
    String event;
    String name;
    ObjectNode properties;
    ObjectNode traits;
    ObjectNode contextTraits;
    String contextChannel;
    String locale;
    String timezone;
    String ip;
    String userAgent;
    PageContext page;
    AppContext app;
    LibraryContext library;

    /** Event time (epoch ms). */
    long ts;
    /** receivedAt − ts (ms). */
    long delay;
    /** The delay was chosen on purpose (a trap); random lateness leaves it alone. */
    boolean forcedDelay;
    /** Part of a trap: not picked for random messageId collisions. */
    boolean trap;

    /** Normalized identifier keys ({@code type:value}) the event carries, alias previousId excepted. */
    final Set<String> carried = new TreeSet<>();

    /** The shared device this event links the actor to, and the priority index of that edge's type. */
    Device claimed;

    int claimPriority;

    /** {@code Order Completed}: the amount and currency the profile must add up (null otherwise). */
    BigDecimal amount;

    String currency;

    Draft(long seq, EventType type, Source source, Person actor) {
        this.seq = seq;
        this.type = type;
        this.source = source;
        this.actor = actor;
    }

    /** The channel the collector writes: {@code context.channel} when it is a known channel, else the source's. */
    String channel() {
        return contextChannel != null && KNOWN_CHANNELS.contains(contextChannel) ? contextChannel : source.channel();
    }

    /** The Kafka record key: userId, else anonymousId. */
    String kafkaKey() {
        return userId != null ? userId : anonymousId;
    }

    /** The routing identifier key: {@code userId:<userId>}, else {@code anonymousId:<anonymousId>}. */
    String routingKey() {
        return userId != null ? "userId:" + userId : "anonymousId:" + anonymousId;
    }

    long receivedAt() {
        return ts + delay;
    }

    /** The name the event is counted under in {@code events}; null for identify, group and alias. */
    String countedName() {
        return switch (type) {
            case TRACK -> event;
            case PAGE -> "Page Viewed";
            case SCREEN -> "Screen Viewed";
            case IDENTIFY, GROUP, ALIAS -> null;
        };
    }

    boolean clientSdk() {
        return source == Source.WEB || source == Source.IOS || source == Source.ANDROID;
    }

    TouchpointEvent build() {
        Context context = Context.newBuilder()
                .setIp(ip)
                .setUserAgent(userAgent)
                .setLocale(locale)
                .setTimezone(timezone)
                .setChannel(contextChannel)
                .setPage(page)
                .setApp(app)
                .setLibrary(library)
                .setTraits(contextTraits == null ? null : JsonText.write(contextTraits))
                .build();
        Instant eventTime = Instant.ofEpochMilli(ts);
        Instant received = Instant.ofEpochMilli(receivedAt());
        return TouchpointEvent.newBuilder()
                .setMessageId(messageId)
                .setType(type)
                .setSourceId(source.id())
                .setChannel(channel())
                .setAnonymousId(anonymousId)
                .setUserId(userId)
                .setPreviousId(previousId)
                .setEvent(event)
                .setName(name)
                .setProperties(properties == null ? null : JsonText.write(properties))
                .setTraits(traits == null ? null : JsonText.write(traits))
                .setContext(context)
                .setOriginalTimestamp(eventTime)
                // an SDK sends when it is back online, on an accurate clock: timestamp = receivedAt - (sentAt -
                // original)
                .setSentAt(clientSdk() ? received : null)
                .setReceivedAt(received)
                .setTimestamp(eventTime)
                .build();
    }
}
