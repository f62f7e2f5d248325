package io.cxflow.analytics.identity;

import io.cxflow.analytics.util.BoundedMemo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Customer ids derived from identifiers. A customer's id is {@link #derive derived} from one of its
 * routing identifiers ({@code userId:…} first, else {@code anonymousId:…}; the smallest derived id
 * of that type wins), so the same identity graph always gives the same ids and an id never reveals
 * the identifier it came from.
 */
public final class CustomerIds {

    /** Prefix of every customer id. */
    public static final String PREFIX = "cus_";

    private static final int LENGTH = 26;
    /** Ids derived recently: every event derives the id of its routing identifier. */
    private static final BoundedMemo<String, String> DERIVED = new BoundedMemo<>(100_000, CustomerIds::compute);

    private static final ThreadLocal<MessageDigest> DIGESTS = ThreadLocal.withInitial(CustomerIds::newDigest);
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private CustomerIds() {}

    /**
     * {@code "cus_"} + the first 26 characters of the lower-case RFC 4648 base32 encoding (no padding)
     * of SHA-256 over the UTF-8 bytes of {@code identifierKey}.
     *
     * @param identifierKey {@code <type>:<value>}, e.g. {@code userId:u-1}
     */
    public static String derive(String identifierKey) {
        Objects.requireNonNull(identifierKey, "identifierKey");
        return DERIVED.get(identifierKey);
    }

    private static String compute(String identifierKey) {
        byte[] hash = sha256(identifierKey.getBytes(StandardCharsets.UTF_8));
        StringBuilder out = new StringBuilder(PREFIX.length() + LENGTH).append(PREFIX);
        int buffer = 0;
        int bits = 0;
        int index = 0;
        while (out.length() < PREFIX.length() + LENGTH) {
            if (bits < 5) {
                buffer = (buffer << 8) | (hash[index++] & 0xff);
                bits += 8;
            }
            out.append(BASE32[(buffer >> (bits - 5)) & 31]);
            bits -= 5;
        }
        return out.toString();
    }

    /** Whether a text has the shape of a customer id. */
    public static boolean isCustomerId(String text) {
        if (text == null || text.length() != PREFIX.length() + LENGTH || !text.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] sha256(byte[] bytes) {
        return DIGESTS.get().digest(bytes);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
