package io.cxflow.analytics.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.analytics.segment.MembershipState;
import io.cxflow.analytics.segment.Segment;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.platform.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers {@link StoreReads} from this instance's active stores only, rendering the documents here. A
 * key whose partition is hosted elsewhere, or not queryable now, is {@link
 * ProfileQueries.UnavailableException unavailable}: this class never forwards, so an instance asked by
 * another one cannot pass the question on.
 */
final class LocalStoreReads implements StoreReads {

    private final StreamsNode node;
    private final SegmentSettings segments;

    LocalStoreReads(StreamsNode node, SegmentSettings segments) {
        this.node = Objects.requireNonNull(node, "node");
        this.segments = Objects.requireNonNull(segments, "segments");
    }

    @Override
    public Optional<Document> profile(String customerId) {
        return storedProfile(customerId).map(profile -> document(customerId, ProfileJson.profile(profile)));
    }

    @Override
    public Optional<Document> memberships(String customerId) {
        KeyPlacement placement = node.requireLocal(QueryStores.PROFILES, customerId);
        ReadOnlyKeyValueStore<String, CustomerProfile> profiles =
                node.store(QueryStores.PROFILES, placement.partition());
        if (profiles.get(customerId) == null) {
            return Optional.empty();
        }
        ReadOnlyKeyValueStore<String, MembershipState> store =
                node.store(QueryStores.MEMBERSHIPS, placement.partition());
        List<Membership> memberships = new ArrayList<>();
        for (Segment segment : segments.segments()) {
            MembershipState state = store.get(MembershipState.key(segment.id(), customerId));
            if (state != null) {
                memberships.add(new Membership(
                        segment.id(), segment.name(), state.member(), state.membershipVersion(), state.changedAt()));
            }
        }
        return Optional.of(document(customerId, ProfileJson.memberships(customerId, memberships)));
    }

    @Override
    public Optional<String> customerOf(IdentifierKey identifier) {
        KeyPlacement placement = node.requireLocal(QueryStores.IDENTITY_INDEX, identifier.key());
        ReadOnlyKeyValueStore<String, String> index = node.store(QueryStores.IDENTITY_INDEX, placement.partition());
        return IdentityResolution.customerOf(identifier, index::get, this::redirect);
    }

    @Override
    public String survivorOf(String customerId) {
        return IdentityResolution.survivorOf(customerId, this::redirect);
    }

    private String redirect(String customerId) {
        KeyPlacement placement = node.requireLocal(QueryStores.IDENTITY_REDIRECTS, customerId);
        ReadOnlyKeyValueStore<String, String> redirects =
                node.store(QueryStores.IDENTITY_REDIRECTS, placement.partition());
        return redirects.get(customerId);
    }

    private Optional<CustomerProfile> storedProfile(String customerId) {
        KeyPlacement placement = node.requireLocal(QueryStores.PROFILES, customerId);
        ReadOnlyKeyValueStore<String, CustomerProfile> profiles =
                node.store(QueryStores.PROFILES, placement.partition());
        return Optional.ofNullable(profiles.get(customerId));
    }

    private Document document(String customerId, JsonNode json) {
        try {
            return new Document(customerId, Json.mapper().writeValueAsString(json), node.address());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the document of customer " + customerId + " cannot be written", e);
        }
    }
}
