package io.cxflow.analytics.profile.internal;

import io.cxflow.avro.ActivityBucket;
import io.cxflow.avro.BucketWidth;
import io.cxflow.avro.ProductActivity;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The rolling history of a profile: event counts (and sums of chosen numeric properties) per event name
 * in hourly buckets for the 48 hours before the profile's latest event, daily buckets for 90 days and
 * 30-day buckets for 400 days; and the latest products viewed, added and bought. Buckets are placed
 * relative to the profile's latest event time (never the wall clock), and a bucket that ages out of
 * its width is folded into the next, so folding events one by one and merging partial histories give
 * identical results.
 */
public final class History {

    public static final Duration HOURLY = Duration.ofHours(48);
    public static final Duration DAILY = Duration.ofDays(90);
    public static final Duration MONTHLY = Duration.ofDays(400);
    public static final int RECENT_PRODUCTS = 20;

    private static final long HOUR = Duration.ofHours(1).toMillis();
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long MONTH = Duration.ofDays(30).toMillis();

    private static final Comparator<ProductActivity> NEWEST_FIRST = Comparator.comparing(ProductActivity::getAt)
            .reversed()
            .thenComparing(ProductActivity::getProductId)
            .thenComparing(ProductActivity::getAction);

    private History() {}

    private record Key(String name, BucketWidth width, long start) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = name.compareTo(o.name);
            if (c != 0) {
                return c;
            }
            c = width.compareTo(o.width);
            return c != 0 ? c : Long.compare(start, o.start);
        }
    }

    private static final class Acc {
        long count;
        final Map<String, BigDecimal> sums = new TreeMap<>();

        void add(long n, Map<String, BigDecimal> more) {
            count += n;
            more.forEach((k, v) -> sums.merge(k, v, BigDecimal::add));
        }
    }

    /**
     * Adds one event to {@code buckets} and folds everything relative to {@code latest}.
     *
     * @param latest the profile's latest event time after this event
     * @param sums numeric properties of the event to sum
     */
    public static List<ActivityBucket> add(
            List<ActivityBucket> buckets, String name, Instant at, Map<String, BigDecimal> sums, Instant latest) {
        TreeMap<Key, Acc> all = load(buckets);
        Key key = place(name, BucketWidth.HOUR, floor(at.toEpochMilli(), HOUR), latest.toEpochMilli());
        if (key != null) {
            all.computeIfAbsent(key, k -> new Acc()).add(1, sums);
        }
        return fold(all, latest.toEpochMilli());
    }

    /** Merges the histories of partial profiles, folded relative to {@code latest}. */
    public static List<ActivityBucket> merge(Collection<List<ActivityBucket>> histories, Instant latest) {
        if (histories.size() == 1) {
            List<ActivityBucket> only = histories.iterator().next();
            if (isFolded(only, latest.toEpochMilli())) {
                return new ArrayList<>(only); // one partial folded at this latest already: nothing to add or move
            }
        }
        TreeMap<Key, Acc> all = new TreeMap<>();
        for (List<ActivityBucket> history : histories) {
            load(history)
                    .forEach((k, v) -> all.computeIfAbsent(k, x -> new Acc()).add(v.count, v.sums));
        }
        return fold(all, latest.toEpochMilli());
    }

    /**
     * Whether {@code buckets} are what {@link #fold} makes of them relative to {@code latest}: strictly
     * ascending keys, each already in the bucket it belongs in. (A partial's history always is, relative
     * to its own latest event.)
     */
    static boolean isFolded(List<ActivityBucket> buckets, long latest) {
        Key previous = null;
        for (ActivityBucket bucket : buckets) {
            Key key = new Key(
                    bucket.getName(), bucket.getWidth(), bucket.getStart().toEpochMilli());
            if (previous != null && previous.compareTo(key) >= 0) {
                return false;
            }
            if (!key.equals(place(key.name(), key.width(), key.start(), latest))) {
                return false;
            }
            previous = key;
        }
        return true;
    }

    private static TreeMap<Key, Acc> load(List<ActivityBucket> buckets) {
        TreeMap<Key, Acc> all = new TreeMap<>();
        for (ActivityBucket bucket : buckets) {
            Map<String, BigDecimal> sums = new HashMap<>();
            bucket.getSums().forEach((k, v) -> sums.put(k, new BigDecimal(v)));
            all.computeIfAbsent(
                            new Key(
                                    bucket.getName(),
                                    bucket.getWidth(),
                                    bucket.getStart().toEpochMilli()),
                            k -> new Acc())
                    .add(bucket.getCount(), sums);
        }
        return all;
    }

    private static List<ActivityBucket> fold(TreeMap<Key, Acc> all, long latest) {
        TreeMap<Key, Acc> folded = new TreeMap<>();
        all.forEach((key, acc) -> {
            Key placed = place(key.name(), key.width(), key.start(), latest);
            if (placed != null) {
                folded.computeIfAbsent(placed, k -> new Acc()).add(acc.count, acc.sums);
            }
        });
        List<ActivityBucket> out = new ArrayList<>(folded.size());
        folded.forEach((key, acc) -> {
            Map<String, String> sums = new TreeMap<>();
            acc.sums.forEach((k, v) -> sums.put(k, v.toString()));
            out.add(new ActivityBucket(key.name(), key.width(), Instant.ofEpochMilli(key.start()), acc.count, sums));
        });
        return out;
    }

    /** The bucket a bucket of {@code width} starting at {@code start} belongs in, or null when too old. */
    private static Key place(String name, BucketWidth width, long start, long latest) {
        if (width == BucketWidth.HOUR) {
            if (start >= latest - HOURLY.toMillis()) {
                return new Key(name, width, start);
            }
            width = BucketWidth.DAY;
            start = floor(start, DAY);
        }
        if (width == BucketWidth.DAY) {
            if (start >= latest - DAILY.toMillis()) {
                return new Key(name, width, start);
            }
            width = BucketWidth.MONTH;
            start = floor(start, MONTH);
        }
        return start >= latest - MONTHLY.toMillis() ? new Key(name, BucketWidth.MONTH, start) : null;
    }

    private static long floor(long millis, long width) {
        return Math.floorDiv(millis, width) * width;
    }

    /** Adds product actions and keeps the newest {@link #RECENT_PRODUCTS} (product, action) pairs. */
    public static List<ProductActivity> products(Collection<List<ProductActivity>> lists) {
        if (lists.size() == 1 && isRecent(lists.iterator().next())) {
            return new ArrayList<>(lists.iterator().next());
        }
        Map<String, ProductActivity> latest = new HashMap<>();
        for (List<ProductActivity> list : lists) {
            for (ProductActivity activity : list) {
                String key = activity.getProductId() + '\u0000' + activity.getAction();
                ProductActivity known = latest.get(key);
                if (known == null || activity.getAt().isAfter(known.getAt())) {
                    latest.put(key, activity);
                }
            }
        }
        List<ProductActivity> sorted = new ArrayList<>(latest.values());
        sorted.sort(NEWEST_FIRST);
        return sorted.size() > RECENT_PRODUCTS ? new ArrayList<>(sorted.subList(0, RECENT_PRODUCTS)) : sorted;
    }

    /** Whether {@code list} is already what {@link #products} keeps: newest first, unique pairs, at most 20. */
    static boolean isRecent(List<ProductActivity> list) {
        if (list.size() > RECENT_PRODUCTS) {
            return false;
        }
        java.util.Set<String> pairs = new java.util.HashSet<>();
        ProductActivity previous = null;
        for (ProductActivity activity : list) {
            if (previous != null && NEWEST_FIRST.compare(previous, activity) >= 0) {
                return false;
            }
            if (!pairs.add(activity.getProductId() + '\u0000' + activity.getAction())) {
                return false;
            }
            previous = activity;
        }
        return true;
    }

    /** Merges latest-event maps (max per name). */
    public static Map<String, Instant> lastEvents(Collection<Map<String, Instant>> maps) {
        TreeMap<String, Instant> out = new TreeMap<>();
        for (Map<String, Instant> map : maps) {
            map.forEach((k, v) -> out.merge(k, v, (a, b) -> a.isAfter(b) ? a : b));
        }
        return out;
    }

    static void requireSorted(List<ActivityBucket> buckets) {
        Objects.requireNonNull(buckets);
    }
}
