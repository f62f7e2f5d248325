package io.cxflow.collector.source;

import java.util.List;
import java.util.Objects;

/**
 * A configured source of events: a web site, an app, a store system … Its write key is a secret and
 * never appears in {@link #toString()}.
 *
 * @param id the source id, e.g. {@code web-eu}; stamped on every event as {@code sourceId}
 * @param writeKey the secret clients authenticate with
 * @param channel the default channel of its events
 * @param allowedOrigins browser origins allowed to call the API with this key ({@code *} for any); empty
 *     refuses every request that carries an {@code Origin} header
 * @param rateLimit sustained events per second, {@code 0} for no limit
 * @param burst events that may arrive at once above the sustained rate
 * @param enabled false for a revoked source: its key is refused like an unknown one
 */
public record Source(
        String id,
        String writeKey,
        String channel,
        List<String> allowedOrigins,
        double rateLimit,
        long burst,
        boolean enabled) {

    public Source {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(writeKey, "writeKey");
        Objects.requireNonNull(channel, "channel");
        allowedOrigins = List.copyOf(allowedOrigins);
        if (!Channels.isKnown(channel)) {
            throw new IllegalArgumentException(
                    "source " + id + ": channel must be one of " + Channels.KNOWN + ", not '" + channel + "'");
        }
        if (writeKey.isBlank()) {
            throw new IllegalArgumentException("source " + id + ": the write key is empty");
        }
        if (rateLimit < 0 || Double.isNaN(rateLimit)) {
            throw new IllegalArgumentException("source " + id + ": rate limit must be >= 0");
        }
        if (burst < 0) {
            throw new IllegalArgumentException("source " + id + ": burst must be >= 0");
        }
    }

    /** Whether a browser page served from {@code origin} may send with this source's key. */
    public boolean allowsOrigin(String origin) {
        return allowedOrigins.contains("*") || allowedOrigins.contains(origin);
    }

    @Override
    public String toString() {
        return "Source[id=" + id + ", writeKey=****, channel=" + channel + ", allowedOrigins=" + allowedOrigins
                + ", rateLimit=" + rateLimit + ", burst=" + burst + ", enabled=" + enabled + "]";
    }
}
