package io.cxflow.analytics.profile.internal;

import io.cxflow.avro.CustomerProfile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * The bytes of a partial profile inside the analytics application: in the {@code partials} and {@code
 * customer-parts} stores and on the {@code customer-ops} topic. A partial is encoded once per event and
 * the same bytes are stored, sent to the customer task and stored there again — no registry on the hot
 * path and no re-encoding.
 *
 * <p>Layout: {@code 'P'} (one byte), the 64-bit parsing fingerprint of the {@code CustomerProfile}
 * schema, the Avro binary record. A record of another schema fails with a clear error (drain the
 * repartition topics and rebuild the stores before changing the profile schema). Two older layouts
 * are still read: registry-framed records (first byte 0, from stores written before this layout; read
 * through the registry deserializer given) and the bare fingerprint + record of older {@code
 * customer-ops} records.
 */
public final class PartialCodec {

    static final byte MAGIC = 'P';
    private static final long FINGERPRINT = SchemaNormalization.parsingFingerprint64(CustomerProfile.getClassSchema());
    private static final byte[] FINGERPRINT_BYTES =
            ByteBuffer.allocate(8).putLong(FINGERPRINT).array();
    private static final ThreadLocal<SpecificDatumWriter<CustomerProfile>> WRITERS =
            ThreadLocal.withInitial(() -> new SpecificDatumWriter<>(CustomerProfile.class));
    private static final ThreadLocal<SpecificDatumReader<CustomerProfile>> READERS =
            ThreadLocal.withInitial(() -> new SpecificDatumReader<>(CustomerProfile.class));

    private final Deserializer<CustomerProfile> legacy;

    /** @param legacy reads registry-framed records written before this layout ({@code null}: refuse them) */
    public PartialCodec(Deserializer<CustomerProfile> legacy) {
        this.legacy = legacy;
    }

    /** The bytes of a partial. */
    public static byte[] encode(CustomerProfile partial) {
        Objects.requireNonNull(partial, "partial");
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        out.write(MAGIC);
        out.write(FINGERPRINT_BYTES, 0, FINGERPRINT_BYTES.length);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            WRITERS.get().write(partial, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the partial profile of " + partial.getCustomerId(), e);
        }
        return out.toByteArray();
    }

    /**
     * The partial in {@code bytes} ({@code null} for {@code null}).
     *
     * @throws SerializationException for bytes of another schema or layout
     */
    public CustomerProfile decode(String where, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length > 9 && bytes[0] == MAGIC) {
            return read(where, bytes, 1);
        }
        if (bytes.length > 8 && ByteBuffer.wrap(bytes, 0, 8).getLong() == FINGERPRINT) {
            return read(where, bytes, 0);
        }
        if (bytes.length > 0 && bytes[0] == 0 && legacy != null) {
            return legacy.deserialize(where, bytes);
        }
        throw new SerializationException("a partial profile in " + where + " written with another CustomerProfile"
                + " schema or layout (first byte " + (bytes.length == 0 ? "none" : Integer.toString(bytes[0] & 0xff))
                + "): drain the repartition topics and rebuild the application before changing the profile"
                + " schema");
    }

    private static CustomerProfile read(String where, byte[] bytes, int fingerprintAt) {
        long fingerprint = ByteBuffer.wrap(bytes, fingerprintAt, 8).getLong();
        if (fingerprint != FINGERPRINT) {
            throw new SerializationException("a partial profile in " + where + " written with another"
                    + " CustomerProfile schema (fingerprint " + Long.toHexString(fingerprint) + "): drain the"
                    + " repartition topics and rebuild the application before changing the profile schema");
        }
        int start = fingerprintAt + 8;
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, start, bytes.length - start, null);
        try {
            return READERS.get().read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode a partial profile in " + where, e);
        }
    }
}
