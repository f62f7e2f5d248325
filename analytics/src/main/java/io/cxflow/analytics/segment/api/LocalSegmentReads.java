package io.cxflow.analytics.segment.api;

import io.cxflow.analytics.segment.ConditionEvaluationException;
import io.cxflow.analytics.segment.MembershipState;
import io.cxflow.analytics.segment.SegmentCondition;
import io.cxflow.avro.CustomerProfile;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the segment questions from this instance's active tasks only, naming the partitions it read so
 * that the instance that asked can check that all of them were answered exactly once. Never forwards.
 */
final class LocalSegmentReads {

    private static final Logger LOG = LoggerFactory.getLogger(LocalSegmentReads.class);

    /** Profiles evaluated between two looks at the clock during a preview. */
    private static final int DEADLINE_CHECK_EVERY = 64;

    private final SegmentNode node;
    private final Clock clock;

    LocalSegmentReads(SegmentNode node, Clock clock) {
        this.node = Objects.requireNonNull(node, "node");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Members per segment in the partitions of {@value SegmentStores#SIZES} hosted here. */
    SizeAnswer sizes() {
        Map<Integer, ReadOnlyKeyValueStore<String, Long>> partitions = node.localPartitions(SegmentStores.SIZES);
        Map<String, Long> sizes = new TreeMap<>();
        for (ReadOnlyKeyValueStore<String, Long> store : partitions.values()) {
            try (KeyValueIterator<String, Long> it = store.all()) {
                while (it.hasNext()) {
                    KeyValue<String, Long> entry = it.next();
                    if (entry.value != null) {
                        sizes.merge(entry.key, entry.value, Long::sum);
                    }
                }
            } catch (InvalidStateStoreException e) {
                throw SegmentNode.unavailable("store " + SegmentStores.SIZES + " moved while it was read");
            }
        }
        return new SizeAnswer(partitions.keySet(), sizes);
    }

    /**
     * The first {@code limit} members of a segment after {@code cursor} in the partitions of {@value
     * SegmentStores#MEMBERSHIPS} hosted here.
     *
     * @param cursor the last customer id of the previous page; null for the first page
     */
    MembersAnswer members(String segmentId, String cursor, int limit) {
        Map<Integer, ReadOnlyKeyValueStore<String, MembershipState>> partitions =
                node.localPartitions(SegmentStores.MEMBERSHIPS);
        String prefix = MembershipState.key(segmentId, "");
        // keys of this segment are "<id>:<customer>"; ';' follows ':' and no segment id contains either
        String from = cursor == null ? prefix : prefix + cursor + '\0';
        String to = segmentId + ';';
        TreeSet<String> found = new TreeSet<>();
        boolean more = false;
        for (ReadOnlyKeyValueStore<String, MembershipState> store : partitions.values()) {
            int taken = 0;
            try (KeyValueIterator<String, MembershipState> it = store.range(from, to)) {
                while (it.hasNext()) {
                    KeyValue<String, MembershipState> entry = it.next();
                    if (entry.value == null || !entry.value.member() || !entry.key.startsWith(prefix)) {
                        continue;
                    }
                    String customerId = entry.key.substring(prefix.length());
                    if (cursor != null && customerId.compareTo(cursor) <= 0) {
                        continue;
                    }
                    if (taken == limit) {
                        more = true;
                        break;
                    }
                    found.add(customerId);
                    taken++;
                }
            } catch (InvalidStateStoreException e) {
                throw SegmentNode.unavailable("store " + SegmentStores.MEMBERSHIPS + " moved while it was read");
            }
        }
        List<String> page = new ArrayList<>(limit);
        for (String customerId : found) {
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(customerId);
        }
        return new MembersAnswer(partitions.keySet(), page, more);
    }

    /**
     * Evaluates a condition on every profile hosted here, at the wall-clock time the scan starts (as the
     * topology evaluates time-based conditions), until {@code deadline}.
     *
     * @return the partitions scanned to the end, the counts, and the smallest matching customer ids
     */
    PreviewAnswer preview(SegmentCondition condition, Instant deadline) {
        Map<Integer, ReadOnlyKeyValueStore<String, CustomerProfile>> partitions =
                node.localPartitions(SegmentStores.PROFILES);
        Instant now = clock.instant();
        Set<Integer> scannedPartitions = new TreeSet<>();
        TreeSet<String> sample = new TreeSet<>();
        boolean complete = true;
        long scanned = 0;
        long matched = 0;
        long errors = 0;
        partitions:
        for (Map.Entry<Integer, ReadOnlyKeyValueStore<String, CustomerProfile>> partition : partitions.entrySet()) {
            try (KeyValueIterator<String, CustomerProfile> it =
                    partition.getValue().all()) {
                while (it.hasNext()) {
                    if (scanned % DEADLINE_CHECK_EVERY == 0 && clock.instant().isAfter(deadline)) {
                        complete = false;
                        break partitions;
                    }
                    KeyValue<String, CustomerProfile> entry = it.next();
                    if (entry.value == null) {
                        continue;
                    }
                    scanned++;
                    boolean holds;
                    try {
                        holds = condition.test(entry.value, now);
                    } catch (ConditionEvaluationException e) {
                        errors++;
                        continue;
                    }
                    if (holds) {
                        matched++;
                        sample.add(entry.key);
                        if (sample.size() > PreviewAnswer.SAMPLE_SIZE) {
                            sample.pollLast();
                        }
                    }
                }
                scannedPartitions.add(partition.getKey());
            } catch (InvalidStateStoreException e) {
                LOG.debug("profiles partition {} moved during a preview", partition.getKey(), e);
                complete = false;
            }
        }
        return new PreviewAnswer(scannedPartitions, complete, scanned, matched, errors, new ArrayList<>(sample));
    }
}
