package io.cxflow.activation.channel;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs outgoing request bodies with HMAC-SHA256 so a receiver can check that a request comes from
 * this deployment and was not altered. The header value is {@code sha256=<lower-case hex>} over the
 * exact body bytes; a receiver recomputes it with the shared secret and compares in constant time
 * ({@link #verify}).
 */
public final class RequestSigner {

    /** The header that carries the signature. */
    public static final String HEADER = "X-Cx-Signature";

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PREFIX = "sha256=";

    private final SecretKeySpec key;

    /** @param secret the shared secret; must not be empty */
    public RequestSigner(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("signing secret must not be empty");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    }

    /** The header value for {@code body}: {@code sha256=<hex HMAC-SHA256(secret, body)>}. */
    public String sign(byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac().doFinal(body));
    }

    /** Whether {@code headerValue} is the signature of {@code body}, compared in constant time. */
    public boolean verify(byte[] body, String headerValue) {
        if (headerValue == null) {
            return false;
        }
        return MessageDigest.isEqual(
                sign(body).getBytes(StandardCharsets.US_ASCII), headerValue.getBytes(StandardCharsets.US_ASCII));
    }

    private Mac mac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "RequestSigner[HmacSHA256, secret=****]";
    }
}
