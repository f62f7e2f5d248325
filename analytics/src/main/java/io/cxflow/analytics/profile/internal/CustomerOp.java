package io.cxflow.analytics.profile.internal;

import io.cxflow.analytics.identity.internal.Codec;
import io.cxflow.avro.CustomerProfile;
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
 * @param partial the partial profile of a PART
 * @param members the identifiers of MEMBERS ({@code null}: the customer no longer has a group)
 * @param reason what caused it (for segment reasons)
 * @param at event time of the cause
 * @param sourceId source of the event behind a PART, else {@code null}
 */
public record CustomerOp(
        Kind kind,
        String routingKey,
        CustomerProfile partial,
        List<String> members,
        String reason,
        long at,
        String sourceId) {

    public enum Kind {
        PART,
        REMOVE,
        MEMBERS
    }

    public CustomerOp {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    public static CustomerOp part(String routingKey, CustomerProfile partial, String reason, long at, String sourceId) {
        return new CustomerOp(Kind.PART, routingKey, partial, null, reason, at, sourceId);
    }

    public static CustomerOp remove(String routingKey, String reason, long at) {
        return new CustomerOp(Kind.REMOVE, routingKey, null, null, reason, at, null);
    }

    public static CustomerOp members(List<String> members, String reason, long at) {
        return new CustomerOp(Kind.MEMBERS, null, null, members, reason, at, null);
    }

    /**
     * The serde of the {@code customer-ops} and {@code customer-members} repartition topics. Partials are
     * written as a schema fingerprint followed by the Avro binary record, not through the registry: the
     * topics are internal and transient, and the hot path then never waits on a registry call. A record
     * written with another {@code CustomerProfile} schema fails to decode with a clear error (drain the
     * repartition topics before upgrading the profile schema).
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
                    byte[] partial = op.partial() == null ? null : encodePartial(op.partial());
                    out.writeInt(partial == null ? -1 : partial.length);
                    if (partial != null) {
                        out.write(partial);
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
            CustomerProfile partial = null;
            if (length >= 0) {
                partial = decodePartial(in.readNBytes(length));
            }
            return new CustomerOp(kind, routingKey, partial, members, reason, at, sourceId);
        });
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static final long FINGERPRINT =
            org.apache.avro.SchemaNormalization.parsingFingerprint64(CustomerProfile.getClassSchema());

    /** The schema fingerprint (8 bytes), then the Avro binary record. */
    static byte[] encodePartial(CustomerProfile partial) throws java.io.IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1024);
        new java.io.DataOutputStream(out).writeLong(FINGERPRINT);
        org.apache.avro.io.BinaryEncoder encoder =
                org.apache.avro.io.EncoderFactory.get().directBinaryEncoder(out, null);
        new org.apache.avro.specific.SpecificDatumWriter<>(CustomerProfile.class).write(partial, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    static CustomerProfile decodePartial(byte[] bytes) throws java.io.IOException {
        long fingerprint = java.nio.ByteBuffer.wrap(bytes, 0, 8).getLong();
        if (fingerprint != FINGERPRINT) {
            throw new java.io.IOException("a partial profile written with another CustomerProfile schema"
                    + " (fingerprint " + Long.toHexString(fingerprint) + "): drain the repartition topics before"
                    + " upgrading the profile schema");
        }
        org.apache.avro.io.BinaryDecoder decoder =
                org.apache.avro.io.DecoderFactory.get().binaryDecoder(bytes, 8, bytes.length - 8, null);
        return new org.apache.avro.specific.SpecificDatumReader<>(CustomerProfile.class).read(null, decoder);
    }
}
