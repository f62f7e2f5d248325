package io.cxflow.analytics.query;

import io.cxflow.analytics.profile.IdentifierType;
import io.cxflow.analytics.profile.ProfileTopology;
import io.cxflow.analytics.segment.MembershipState;
import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.analytics.segment.SegmentTopology;
import io.cxflow.avro.CustomerProfile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers from the stores of this instance only (every partition this instance hosts). With one
 * instance that is every customer; with several, a key owned elsewhere reads as absent: see {@link
 * ProfileQueries} for the forwarding seam.
 */
public final class LocalProfileQueries implements ProfileQueries {

    private final KafkaStreams streams;
    private final String eventsTopic;
    private final SegmentSettings segments;

    /**
     * @param streams the running analytics application
     * @param eventsTopic the concrete name of {@code cx.events.v1}: its partitions are the store
     *     partitions
     * @param segments the configured segments
     */
    public LocalProfileQueries(KafkaStreams streams, String eventsTopic, SegmentSettings segments) {
        this.streams = Objects.requireNonNull(streams, "streams");
        this.eventsTopic = Objects.requireNonNull(eventsTopic, "eventsTopic");
        this.segments = Objects.requireNonNull(segments, "segments");
    }

    @Override
    public Optional<CustomerProfile> profile(String customerId) {
        return Optional.ofNullable(this.<CustomerProfile>store(ProfileTopology.PROFILES_STORE, null)
                .get(customerId));
    }

    /**
     * The identifier index is local to the task of each customer, so the same identifier may point at
     * several customers on different partitions until identity resolution merges them. The answer
     * prefers a known user (a profile with a userId), then the most recently seen, then the smallest id.
     */
    @Override
    public Optional<CustomerProfile> lookup(IdentifierType type, String value) {
        if (type == IdentifierType.USER_ID) {
            Optional<CustomerProfile> direct = profile(value);
            if (direct.isPresent()) {
                return direct;
            }
        }
        String key = type.indexKey(value);
        Set<String> candidates = new TreeSet<>();
        for (int partition : localPartitions()) {
            String customerId = this.<String>store(ProfileTopology.IDENTITY_INDEX_STORE, partition)
                    .get(key);
            if (customerId != null) {
                candidates.add(customerId);
            }
        }
        List<CustomerProfile> profiles = new ArrayList<>();
        for (String customerId : candidates) {
            profile(customerId).ifPresent(profiles::add);
        }
        return profiles.stream()
                .min(Comparator.comparing(
                                (CustomerProfile p) -> !p.getIdentities().containsKey("userId"))
                        .thenComparing(CustomerProfile::getLastSeen, Comparator.reverseOrder())
                        .thenComparing(CustomerProfile::getCustomerId));
    }

    @Override
    public List<Membership> memberships(String customerId) {
        ReadOnlyKeyValueStore<String, MembershipState> store = store(SegmentTopology.MEMBERSHIP_STORE, null);
        List<Membership> memberships = new ArrayList<>();
        for (Segment segment : segments.segments()) {
            MembershipState state = store.get(MembershipState.key(segment.id(), customerId));
            if (state != null) {
                memberships.add(new Membership(
                        segment.id(), segment.name(), state.member(), state.membershipVersion(), state.changedAt()));
            }
        }
        return memberships;
    }

    private <V> ReadOnlyKeyValueStore<String, V> store(String name, Integer partition) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, V>> parameters =
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore());
        if (partition != null) {
            parameters = parameters.withPartition(partition);
        }
        try {
            return streams.store(parameters);
        } catch (InvalidStateStoreException e) {
            throw new UnavailableException("store " + name + " is not queryable now: " + streams.state(), e);
        }
    }

    private Set<Integer> localPartitions() {
        Set<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                for (TopicPartition partition : task.topicPartitions()) {
                    if (partition.topic().equals(eventsTopic)) {
                        partitions.add(partition.partition());
                    }
                }
            }
        }
        return partitions;
    }
}
