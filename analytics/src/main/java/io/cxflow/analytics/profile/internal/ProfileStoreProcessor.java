package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.profile.IdentifierType;
import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.avro.CustomerProfile;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The single writer of the {@code profiles} store and the identifier index: stores the profile as the
 * stages left it, points every identifier the profile gained at this customer, and forwards the
 * profile for publication.
 */
public final class ProfileStoreProcessor implements FixedKeyProcessor<String, ProfileChange, CustomerProfile> {

    private final String profilesStoreName;
    private final String indexStoreName;
    private FixedKeyProcessorContext<String, CustomerProfile> context;
    private KeyValueStore<String, CustomerProfile> profiles;
    private KeyValueStore<String, String> index;

    public ProfileStoreProcessor(String profilesStoreName, String indexStoreName) {
        this.profilesStoreName = Objects.requireNonNull(profilesStoreName, "profilesStoreName");
        this.indexStoreName = Objects.requireNonNull(indexStoreName, "indexStoreName");
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CustomerProfile> context) {
        this.context = context;
        this.profiles = context.getStateStore(profilesStoreName);
        this.index = context.getStateStore(indexStoreName);
    }

    @Override
    public void process(FixedKeyRecord<String, ProfileChange> record) {
        ProfileChange change = record.value();
        CustomerProfile after = change.after();
        profiles.put(change.customerId(), after);
        Map<String, List<String>> known =
                change.before() == null ? Map.of() : change.before().getIdentities();
        for (Map.Entry<String, List<String>> identity : after.getIdentities().entrySet()) {
            IdentifierType type =
                    IdentifierType.fromContractName(identity.getKey()).orElse(null);
            if (type == null) {
                continue;
            }
            List<String> before = known.getOrDefault(identity.getKey(), List.of());
            for (String value : identity.getValue()) {
                if (!before.contains(value)) {
                    index.put(type.indexKey(value), change.customerId());
                }
            }
        }
        context.forward(record.withValue(after));
    }
}
