package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.identity.internal.IdentityOutput;
import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.avro.CustomerProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The customer task (partitioned by customer id): keeps the partial profile of every routing id of the
 * customer ({@code customer-parts}, key {@code customerId + NUL + routingKey}) and the customer's
 * identifiers from the identity graph ({@code customer-members}), and after each op merges them into the
 * customer's profile ({@link ProfileMerger}). A changed profile goes on to the stages and the store; a
 * customer left without partials is removed.
 */
public final class CustomerProcessor implements FixedKeyProcessor<String, CustomerOp, ProfileChange> {

    private static final char SEPARATOR = '\u0000';
    private static final StringSerializer KEYS = new StringSerializer();

    private final String partsStore;
    private final String membersStore;
    private final String profilesStore;
    private FixedKeyProcessorContext<String, ProfileChange> context;
    private KeyValueStore<String, CustomerProfile> parts;
    private KeyValueStore<String, IdentityOutput.Members> members;
    private KeyValueStore<String, CustomerProfile> profiles;

    public CustomerProcessor(String partsStore, String membersStore, String profilesStore) {
        this.partsStore = partsStore;
        this.membersStore = membersStore;
        this.profilesStore = profilesStore;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ProfileChange> context) {
        this.context = context;
        this.parts = context.getStateStore(partsStore);
        this.members = context.getStateStore(membersStore);
        this.profiles = context.getStateStore(profilesStore);
    }

    @Override
    public void process(FixedKeyRecord<String, CustomerOp> record) {
        String customerId = record.key();
        CustomerOp op = record.value();
        if (customerId == null || op == null) {
            return;
        }
        switch (op.kind()) {
            case PART -> parts.put(customerId + SEPARATOR + op.routingKey(), op.partial());
            case REMOVE -> parts.delete(customerId + SEPARATOR + op.routingKey());
            case MEMBERS -> {
                if (op.members() == null) {
                    members.delete(customerId);
                } else {
                    members.put(customerId, new IdentityOutput.Members(op.members()));
                }
            }
        }
        List<CustomerProfile> partials = new ArrayList<>(2);
        try (KeyValueIterator<String, CustomerProfile> it = parts.prefixScan(customerId + SEPARATOR, KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, CustomerProfile> entry = it.next();
                partials.add(entry.value);
            }
        }
        CustomerProfile before = profiles.get(customerId);
        Instant at = Instant.ofEpochMilli(op.kind() == CustomerOp.Kind.MEMBERS ? record.timestamp() : op.at());
        if (partials.isEmpty()) {
            if (before != null) {
                context.forward(record.withValue(new ProfileChange(customerId, before, null, op.reason(), at, null)));
            }
            return;
        }
        IdentityOutput.Members known = members.get(customerId);
        CustomerProfile merged = ProfileMerger.merge(customerId, partials, known == null ? null : known.identifiers());
        if (before != null) {
            merged.setSegments(before.getSegments());
            if (merged.equals(before)) {
                return;
            }
        }
        context.forward(
                record.withValue(new ProfileChange(customerId, before, merged, op.reason(), at, op.sourceId())));
    }
}
