package io.cxflow.analytics.segment.internal;

import io.cxflow.avro.ActivityBucket;
import io.cxflow.avro.ChannelStats;
import io.cxflow.avro.CustomerProfile;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The rolling history of one profile ({@code activity}, {@code lastEvents}, {@code channels},
 * {@code lastSeen}) read by the behaviour functions of segment conditions, at any evaluation time
 * {@code now}. Immutable.
 *
 * <p>Windows are closed, {@code [now - window, now]}. An activity bucket counts for a window when its
 * start lies inside it: a bucket entirely inside counts, a bucket that starts inside and ends after
 * {@code now} counts (it holds no event after {@code now}), and a bucket that starts before the window
 * but ends inside it does not. Counts and sums may therefore miss the events of at most one bucket
 * width (an hour, a day or 30 days, by the bucket's age) at the far edge of the window, never count an
 * event outside it. {@code count} is also at least 1 while the newest such event ({@code lastEvents})
 * is inside the window, so {@code count(name, w) > 0} is exact. {@code since}, {@code idle} and
 * {@code channels} are exact. Events after {@code now} do not exist for the functions (in practice
 * {@code now} is never before {@code lastSeen}).
 */
public final class ProfileHistory {

    /** What {@link #since} answers for an event that never happened: 100 years, longer than any window. */
    public static final Duration NEVER = Duration.ofDays(36_525);

    /** The smallest step of time: the first moment after a window's far edge has passed an instant. */
    static final Duration TICK = Duration.ofMillis(1);

    private record Bucket(Instant start, long count, Map<String, String> sums) {}

    private record Span(Instant first, Instant last) {}

    private final Map<String, List<Bucket>> buckets;
    private final Map<String, Instant> lastEvents;
    private final Instant lastSeen;
    private final List<Span> channels;
    /** Parsed sums per name and property, aligned with that name's buckets, filled on first use. */
    private final Map<String, BigDecimal[]> sums = new ConcurrentHashMap<>();

    private ProfileHistory(
            Map<String, List<Bucket>> buckets, Map<String, Instant> lastEvents, Instant lastSeen, List<Span> channels) {
        this.buckets = buckets;
        this.lastEvents = lastEvents;
        this.lastSeen = lastSeen;
        this.channels = channels;
    }

    /** Indexes the history of a profile. */
    public static ProfileHistory of(CustomerProfile profile) {
        Map<String, List<Bucket>> buckets = new HashMap<>();
        for (ActivityBucket bucket : profile.getActivity()) {
            buckets.computeIfAbsent(bucket.getName(), name -> new ArrayList<>())
                    .add(new Bucket(bucket.getStart(), bucket.getCount(), bucket.getSums()));
        }
        List<Span> channels = new ArrayList<>(profile.getChannels().size());
        for (ChannelStats stats : profile.getChannels().values()) {
            channels.add(new Span(stats.getFirstSeen(), stats.getLastSeen()));
        }
        return new ProfileHistory(buckets, Map.copyOf(profile.getLastEvents()), profile.getLastSeen(), channels);
    }

    // ----- the functions

    /** Events named {@code name} within {@code [now - window, now]}. */
    public long count(String name, Duration window, Instant now) {
        Instant from = now.minus(window);
        long count = 0;
        for (Bucket bucket : buckets.getOrDefault(name, List.of())) {
            if (inside(bucket.start(), from, now)) {
                count += bucket.count();
            }
        }
        Instant last = lastEvents.get(name);
        return count == 0 && last != null && inside(last, from, now) ? 1 : count;
    }

    /**
     * The sum of the numeric property {@code property} of the events named {@code name} within {@code
     * [now - window, now]}; 0 when none carried it.
     */
    public double sum(String name, String property, Duration window, Instant now) {
        List<Bucket> named = buckets.getOrDefault(name, List.of());
        if (named.isEmpty()) {
            return 0;
        }
        BigDecimal[] values = sums.computeIfAbsent(name + '\u0000' + property, key -> {
            BigDecimal[] parsed = new BigDecimal[named.size()];
            for (int i = 0; i < parsed.length; i++) {
                String value = named.get(i).sums().get(property);
                parsed[i] = value == null ? null : new BigDecimal(value);
            }
            return parsed;
        });
        Instant from = now.minus(window);
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null && inside(named.get(i).start(), from, now)) {
                sum = sum.add(values[i]);
            }
        }
        return sum.doubleValue();
    }

    /** Time since the newest event named {@code name}: {@link #NEVER} if none, 0 if it is after {@code now}. */
    public Duration since(String name, Instant now) {
        Instant last = lastEvents.get(name);
        return last == null ? NEVER : elapsed(last, now);
    }

    /** Time since the newest event of any kind ({@code lastSeen}); 0 if it is after {@code now}. */
    public Duration idle(Instant now) {
        return elapsed(lastSeen, now);
    }

    /** Channels used within {@code [now - window, now]}: first used by {@code now}, last used in the window. */
    public long channels(Duration window, Instant now) {
        Instant from = now.minus(window);
        long count = 0;
        for (Span span : channels) {
            if (!span.first().isAfter(now) && !span.last().isBefore(from)) {
                count++;
            }
        }
        return count;
    }

    // ----- the times at which their answers change

    /**
     * Gives every time at which {@code count(name, window)} or {@code sum(name, _, window)} can change
     * (a bucket or the newest event entering or leaving the window), whatever {@code now} is.
     *
     * @param name the event name, or {@code null} for every name
     */
    void windowChanges(String name, Duration window, Consumer<Instant> out) {
        if (name == null) {
            buckets.keySet().forEach(each -> windowChanges(each, window, out));
            return;
        }
        for (Bucket bucket : buckets.getOrDefault(name, List.of())) {
            out.accept(bucket.start());
            out.accept(bucket.start().plus(window).plus(TICK));
        }
        Instant last = lastEvents.get(name);
        if (last != null) {
            out.accept(last);
            out.accept(last.plus(window).plus(TICK));
        }
    }

    /** Gives every time at which {@code channels(window)} can change. */
    void channelChanges(Duration window, Consumer<Instant> out) {
        for (Span span : channels) {
            out.accept(span.first());
            out.accept(span.last().plus(window).plus(TICK));
        }
    }

    /**
     * Gives the instants {@code since(name)} counts from.
     *
     * @param name the event name, or {@code null} for every name
     */
    void sinceOrigins(String name, Consumer<Instant> out) {
        if (name == null) {
            lastEvents.values().forEach(out);
        } else {
            Instant last = lastEvents.get(name);
            if (last != null) {
                out.accept(last);
            }
        }
    }

    /** The instant {@code idle()} counts from. */
    Instant lastSeen() {
        return lastSeen;
    }

    private static boolean inside(Instant at, Instant from, Instant now) {
        return !at.isBefore(from) && !at.isAfter(now);
    }

    private static Duration elapsed(Instant from, Instant now) {
        return from.isAfter(now) ? Duration.ZERO : Duration.between(from, now);
    }
}
