package io.cxflow.analytics.segment.internal;

import io.cxflow.analytics.segment.MembershipState;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary encoding of {@link MembershipState} in the {@code segment-membership} store and its changelog:
 * format byte {@code 1}, member flag byte, membership version (8 bytes), changedAt epoch millis (8
 * bytes). The leading format byte lets a later layout be read side by side with this one.
 */
public final class MembershipStateSerde implements Serde<MembershipState> {

    private static final byte FORMAT_1 = 1;
    private static final int SIZE_1 = 1 + 1 + 8 + 8;

    @Override
    public Serializer<MembershipState> serializer() {
        return (topic, state) -> {
            if (state == null) {
                return null;
            }
            return ByteBuffer.allocate(SIZE_1)
                    .put(FORMAT_1)
                    .put((byte) (state.member() ? 1 : 0))
                    .putLong(state.membershipVersion())
                    .putLong(state.changedAt().toEpochMilli())
                    .array();
        };
    }

    @Override
    public Deserializer<MembershipState> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length != SIZE_1 || bytes[0] != FORMAT_1) {
                throw new SerializationException("unknown membership state encoding, " + bytes.length + " bytes");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, SIZE_1 - 1);
            boolean member = buffer.get() == 1;
            long version = buffer.getLong();
            Instant changedAt = Instant.ofEpochMilli(buffer.getLong());
            return new MembershipState(member, version, changedAt);
        };
    }
}
