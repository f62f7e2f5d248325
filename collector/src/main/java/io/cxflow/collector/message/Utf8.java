package io.cxflow.collector.message;

/**
 * A strict UTF-8 check (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. It also
 * refuses NUL bytes, which JSON text cannot contain unescaped and which would otherwise let a UTF-16 or
 * UTF-32 body be mistaken for JSON.
 */
public final class Utf8 {

    private Utf8() {}

    /** The offset of the first byte that breaks the rules, or {@code -1} when the bytes are valid. */
    public static int firstInvalid(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int b = bytes[i];
            if (b > 0) {
                i++;
                continue;
            }
            if (b == 0) {
                return i;
            }
            int lead = b & 0xFF;
            int need;
            int min;
            if (lead >= 0xC2 && lead <= 0xDF) {
                need = 1;
                min = 0x80;
            } else if (lead >= 0xE0 && lead <= 0xEF) {
                need = 2;
                min = 0x800;
            } else if (lead >= 0xF0 && lead <= 0xF4) {
                need = 3;
                min = 0x10000;
            } else {
                return i;
            }
            if (i + need >= end) {
                return i;
            }
            int cp = lead & (0x3F >> need);
            for (int k = 1; k <= need; k++) {
                int c = bytes[i + k] & 0xFF;
                if ((c & 0xC0) != 0x80) {
                    return i;
                }
                cp = (cp << 6) | (c & 0x3F);
            }
            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                return i;
            }
            i += need + 1;
        }
        return -1;
    }

    public static boolean isValid(byte[] bytes) {
        return firstInvalid(bytes, 0, bytes.length) < 0;
    }
}
