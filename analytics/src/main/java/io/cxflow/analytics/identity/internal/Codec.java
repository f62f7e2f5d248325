package io.cxflow.analytics.identity.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The small binary encoding of the identity stage's internal records and stores: a leading format
 * byte, then fields written with {@link DataOutputStream} (strings as length-prefixed UTF-8, {@code
 * null} as length -1).
 */
public final class Codec {

    private Codec() {}

    /** Writes a record. */
    public interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a record. */
    public interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    public static byte[] encode(int format, Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(format);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static <T> T decode(byte[] data, int format, String what, Reader<T> reader) {
        if (data == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int found = in.readUnsignedByte();
            if (found != format) {
                throw new SerializationException("unknown " + what + " format " + found + " (expected " + format + ")");
            }
            return reader.read(in);
        } catch (IOException e) {
            throw new SerializationException("corrupt " + what + " record", e);
        }
    }

    public static void writeString(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    public static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] utf8 = in.readNBytes(length);
        if (utf8.length != length) {
            throw new IOException("truncated string");
        }
        return new String(utf8, StandardCharsets.UTF_8);
    }

    public static void writeStrings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            writeString(out, value);
        }
    }

    public static List<String> readStrings(DataInputStream in) throws IOException {
        int size = in.readInt();
        if (size < 0) {
            throw new IOException("negative list size");
        }
        List<String> values = new ArrayList<>(Math.min(size, 1024));
        for (int i = 0; i < size; i++) {
            values.add(readString(in));
        }
        return values;
    }

    public static void writeOrder(DataOutputStream out, LinkOrder order) throws IOException {
        out.writeLong(order.time());
        writeString(out, order.sourceId());
        writeString(out, order.messageId());
        out.writeInt(order.priority());
    }

    public static LinkOrder readOrder(DataInputStream in) throws IOException {
        return new LinkOrder(in.readLong(), readString(in), readString(in), in.readInt());
    }
}
