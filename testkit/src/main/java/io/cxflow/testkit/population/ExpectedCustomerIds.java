package io.cxflow.testkit.population;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Customer ids as the identity rules derive them, for expected results. This MUST stay equal to the
 * product's rule ({@code io.cxflow.analytics.identity.CustomerIds#derive}); it is a copy because the
 * testkit cannot depend on the analytics module, and the analytics tests check that both agree.
 */
public final class ExpectedCustomerIds {

    private static final String PREFIX = "cus_";
    private static final int LENGTH = 26;
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private ExpectedCustomerIds() {}

    /**
     * {@code "cus_"} + the first 26 characters of the lower-case RFC 4648 base32 encoding (no padding) of
     * SHA-256 over the UTF-8 bytes of {@code identifierKey}.
     *
     * @param identifierKey {@code <type>:<value>}, e.g. {@code userId:u-1}
     */
    public static String derive(String identifierKey) {
        Objects.requireNonNull(identifierKey, "identifierKey");
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

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
