package io.cxflow.analytics.identity.internal;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A group of the identity graph as stored in {@code identity-groups} (key: its customer id).
 *
 * @param members identifier keys, sorted
 * @param userUnits users counted against the userId limit
 */
public record GroupRecord(List<String> members, int userUnits) {

    private static final int FORMAT = 1;

    public GroupRecord {
        members = List.copyOf(members);
    }

    public static Serde<GroupRecord> serde() {
        Serializer<GroupRecord> serializer = (topic, group) -> group == null
                ? null
                : Codec.encode(FORMAT, out -> {
                    out.writeInt(group.userUnits());
                    Codec.writeStrings(out, group.members());
                });
        Deserializer<GroupRecord> deserializer =
                (topic, data) -> Codec.decode(data, FORMAT, "identity group", GroupRecord::read);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static GroupRecord read(DataInputStream in) throws IOException {
        int units = in.readInt();
        return new GroupRecord(Codec.readStrings(in), units);
    }
}
