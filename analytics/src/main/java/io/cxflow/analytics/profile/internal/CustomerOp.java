package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.identity.internal.Codec;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An instruction to a customer task (keyed by customer id): store the latest partial profile of one
 * routing id, forget a routing id that moved to another customer, or take the customer's identifiers
 * from the identity graph.
 *
 * @param kind what to do
 * @param routingKey the routing identifier ({@code type:value}) of a PART or REMOVE
 * @param partial the partial profile of a PART, encoded by {@link PartialCodec} (stored as is)
 * @param members the identifiers of MEMBERS ({@code null}: the customer no longer has a group)
 * @param reason what caused it (for segment reasons)
 * @param at event time of the cause
 * @param sourceId source of the event behind a PART, else {@code null}
 */
public record CustomerOp(
        Kind kind, String routingKey, byte[] partial, List<String> members, String reason, long at, String sourceId) {

    public enum Kind {
        PART,
        REMOVE,
        MEMBERS
    }

    public CustomerOp {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    /** @param partial the partial, encoded by {@link PartialCodec#encode} */
    public static CustomerOp part(String routingKey, byte[] partial, String reason, long at, String sourceId) {
        return new CustomerOp(
                Kind.PART, routingKey, Objects.requireNonNull(partial, "partial"), null, reason, at, sourceId);
    }

    public static CustomerOp remove(String routingKey, String reason, long at) {
        return new CustomerOp(Kind.REMOVE, routingKey, null, null, reason, at, null);
    }

    public static CustomerOp members(List<String> members, String reason, long at) {
        return new CustomerOp(Kind.MEMBERS, null, null, members, reason, at, null);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CustomerOp that
                && kind == that.kind
                && Objects.equals(routingKey, that.routingKey)
                && Arrays.equals(partial, that.partial)
                && Objects.equals(members, that.members)
                && reason.equals(that.reason)
                && at == that.at
                && Objects.equals(sourceId, that.sourceId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, routingKey, Arrays.hashCode(partial), members, reason, at, sourceId);
    }

    @Override
    public String toString() {
        return "CustomerOp[" + kind + " " + routingKey + (partial == null ? "" : " partial " + partial.length + " B")
                + (members == null ? "" : " members " + members) + ", " + reason + " @" + at + "]";
    }

    /**
     * The serde of the {@code customer-ops} and {@code customer-members} repartition topics. Partials are
     * carried as the bytes {@link PartialCodec} wrote (no registry: the topics are internal and
     * transient, and the hot path never waits on a registry call); they are checked when the customer
     * task decodes them.
     */
    public static Serde<CustomerOp> serde() {
        int format = 1;
        Serializer<CustomerOp> serializer = (topic, op) -> op == null
                ? null
                : Codec.encode(format, out -> {
                    out.writeByte(op.kind().ordinal());
                    Codec.writeString(out, op.routingKey());
                    Codec.writeString(out, op.reason());
                    out.writeLong(op.at());
                    Codec.writeString(out, op.sourceId());
                    if (op.members() == null) {
                        out.writeInt(-1);
                    } else {
                        Codec.writeStrings(out, op.members());
                    }
                    out.writeInt(op.partial() == null ? -1 : op.partial().length);
                    if (op.partial() != null) {
                        out.write(op.partial());
                    }
                });
        Deserializer<CustomerOp> deserializer = (topic, data) -> Codec.decode(data, format, "customer op", in -> {
            Kind kind = Kind.values()[in.readUnsignedByte()];
            String routingKey = Codec.readString(in);
            String reason = Codec.readString(in);
            long at = in.readLong();
            String sourceId = Codec.readString(in);
            in.mark(4);
            List<String> members = null;
            if (in.readInt() >= 0) {
                in.reset();
                members = Codec.readStrings(in);
            }
            int length = in.readInt();
            byte[] partial = length >= 0 ? in.readNBytes(length) : null;
            return new CustomerOp(kind, routingKey, partial, members, reason, at, sourceId);
        });
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
