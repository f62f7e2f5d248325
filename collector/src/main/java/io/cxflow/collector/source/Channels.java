package io.cxflow.collector.source;

import java.util.Set;

/** The channels an event can be attributed to. */
public final class Channels {

    /** Every channel name cxflow knows, as it appears in {@code context.channel} and on the topic. */
    public static final Set<String> KNOWN =
            Set.of("web", "mobile", "pos", "email", "call_center", "ads", "social", "server");

    private Channels() {}

    public static boolean isKnown(String channel) {
        return channel != null && KNOWN.contains(channel);
    }

    /**
     * The channel of an event: the client's {@code context.channel} when it is a known channel, else the
     * source's configured channel.
     */
    public static String resolve(String contextChannel, Source source) {
        return isKnown(contextChannel) ? contextChannel : source.channel();
    }
}
