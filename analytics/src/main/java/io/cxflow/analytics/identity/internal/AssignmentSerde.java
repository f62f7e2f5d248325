package io.cxflow.analytics.identity.internal;

import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Serdes of the identity stage's outputs on internal topics. */
public final class AssignmentSerde {

    private static final int ASSIGNMENT = 1;
    private static final int MEMBERS = 2;

    private AssignmentSerde() {}

    public static Serde<IdentityOutput.Assignment> assignments() {
        Serializer<IdentityOutput.Assignment> serializer = (topic, value) -> value == null
                ? null
                : Codec.encode(ASSIGNMENT, out -> {
                    Codec.writeString(out, value.routingKey());
                    Codec.writeString(out, value.customerId());
                });
        Deserializer<IdentityOutput.Assignment> deserializer = (topic, data) -> Codec.decode(
                data,
                ASSIGNMENT,
                "identity assignment",
                in -> new IdentityOutput.Assignment(Codec.readString(in), Codec.readString(in)));
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** Members; a {@code null} identifier list is written as a record with list size -1. */
    public static Serde<IdentityOutput.Members> members() {
        Serializer<IdentityOutput.Members> serializer = (topic, value) -> value == null
                ? null
                : Codec.encode(MEMBERS, out -> {
                    if (value.identifiers() == null) {
                        out.writeInt(-1);
                    } else {
                        Codec.writeStrings(out, value.identifiers());
                    }
                });
        Deserializer<IdentityOutput.Members> deserializer =
                (topic, data) -> Codec.decode(data, MEMBERS, "members", in -> {
                    in.mark(4);
                    int size = in.readInt();
                    if (size < 0) {
                        return new IdentityOutput.Members(null);
                    }
                    in.reset();
                    return new IdentityOutput.Members(Codec.readStrings(in));
                });
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
