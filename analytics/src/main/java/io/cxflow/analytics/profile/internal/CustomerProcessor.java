package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.identity.internal.IdentityOutput;
import io.cxflow.analytics.profile.ProfileChange;
import io.cxflow.avro.CustomerProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The customer task (partitioned by customer id): keeps the partial profile of every routing id of the
 * customer ({@code customer-parts}, key {@code customerId + NUL + routingKey}, the bytes the routing task
 * encoded, stored as they came) and the customer's identifiers from the identity graph ({@code
 * customer-members}), and after each op merges them into the customer's profile ({@link
 * ProfileMerger}). A changed profile goes on to the stages and the store; a customer left without
 * partials is removed.
 */
public final class CustomerProcessor implements FixedKeyProcessor<String, CustomerOp, ProfileChange> {

    private static final char SEPARATOR = '\u0000';
    private static final StringSerializer KEYS = new StringSerializer();

    private final String partsStore;
    private final String membersStore;
    private final String profilesStore;
    private final PartialCodec codec;
    private FixedKeyProcessorContext<String, ProfileChange> context;
    private KeyValueStore<String, byte[]> parts;
    private KeyValueStore<String, IdentityOutput.Members> members;
    private KeyValueStore<String, CustomerProfile> profiles;
    private DecodedPartials decoded;

    public CustomerProcessor(String partsStore, String membersStore, String profilesStore, PartialCodec codec) {
        this.partsStore = partsStore;
        this.membersStore = membersStore;
        this.profilesStore = profilesStore;
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ProfileChange> context) {
        this.context = context;
        this.parts = context.getStateStore(partsStore);
        this.members = context.getStateStore(membersStore);
        this.profiles = context.getStateStore(profilesStore);
        this.decoded = DecodedPartials.shared(codec);
    }

    @Override
    public void process(FixedKeyRecord<String, CustomerOp> record) {
        String customerId = record.key();
        CustomerOp op = record.value();
        if (customerId == null || op == null) {
            return;
        }
        switch (op.kind()) {
            case PART -> {
                String key = customerId + SEPARATOR + op.routingKey();
                parts.put(key, op.partial());
                decoded.get(partsStore, op.routingKey(), op.partial());
            }
            case REMOVE -> {
                String key = customerId + SEPARATOR + op.routingKey();
                parts.delete(key);
            }
            case MEMBERS -> {
                if (op.members() == null) {
                    members.delete(customerId);
                } else {
                    members.put(customerId, new IdentityOutput.Members(op.members()));
                }
            }
        }
        List<CustomerProfile> partials = new ArrayList<>(2);
        try (KeyValueIterator<String, byte[]> it = parts.prefixScan(customerId + SEPARATOR, KEYS)) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                partials.add(decoded.get(partsStore, entry.key.substring(customerId.length() + 1), entry.value));
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
