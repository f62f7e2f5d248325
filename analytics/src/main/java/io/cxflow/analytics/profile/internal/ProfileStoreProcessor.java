package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.avro.CustomerProfile;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The single writer of the {@code profiles} store: stores the profile as the stages left it, in its
 * canonical form ({@link ProfileCanonical}: sorted maps, so the bytes depend on the content only), or
 * deletes a removed customer, and forwards it for publication ({@code null}: a tombstone).
 */
public final class ProfileStoreProcessor implements FixedKeyProcessor<String, ProfileChange, CustomerProfile> {

    private final String profilesStoreName;
    private FixedKeyProcessorContext<String, CustomerProfile> context;
    private KeyValueStore<String, CustomerProfile> profiles;

    public ProfileStoreProcessor(String profilesStoreName) {
        this.profilesStoreName = Objects.requireNonNull(profilesStoreName, "profilesStoreName");
    }

    @Override
    public void init(FixedKeyProcessorContext<String, CustomerProfile> context) {
        this.context = context;
        this.profiles = context.getStateStore(profilesStoreName);
    }

    @Override
    public void process(FixedKeyRecord<String, ProfileChange> record) {
        ProfileChange change = record.value();
        CustomerProfile after = ProfileCanonical.of(change.after());
        if (change.isRemoval()) {
            profiles.delete(change.customerId());
        } else {
            profiles.put(change.customerId(), after);
        }
        context.forward(record.withValue(after));
    }
}
