package io.cxflow.activation.channel.email;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The unsubscribe links of a customer's emails: a signed token naming the customer, an {@code https}
 * link carrying it ({@code <url>?token=<token>}, the target of the body link, of {@code
 * List-Unsubscribe} and of RFC 8058 one-click {@code POST}s), and optionally a {@code mailto:} link
 * whose subject carries it.
 *
 * <p>A token is {@code base64url(customerId) "." base64url(HMAC-SHA256(secret, "cx-unsubscribe:email:"
 * + customerId))} (first 16 bytes of the MAC), so the endpoint that receives it can tell which
 * customer asked, and that the link was issued here, without any lookup ({@link #verify}).
 *
 * @param url the unsubscribe endpoint
 * @param mailto the address of mailed unsubscribe requests, if any
 * @param secret the HMAC key of tokens
 */
public record UnsubscribeLinks(URI url, Optional<String> mailto, String secret) {

    private static final String ALGORITHM = "HmacSHA256";
    private static final String PURPOSE = "cx-unsubscribe:email:";
    private static final int MAC_BYTES = 16;

    public UnsubscribeLinks {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(mailto, "mailto");
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the unsubscribe secret must not be empty");
        }
    }

    /** The token of {@code customerId}. */
    public String token(String customerId) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(customerId.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(mac(customerId));
    }

    /** The customer id a token names, when it was issued with this secret. */
    public Optional<String> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return Optional.empty();
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            String customerId = new String(b64.decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            byte[] given = b64.decode(token.substring(dot + 1));
            return MessageDigest.isEqual(given, mac(customerId)) ? Optional.of(customerId) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The https link of {@code customerId}: {@code <url>?token=<token>} (or {@code &token=}). */
    public String httpsLink(String customerId) {
        String base = url.toString();
        return base + (url.getRawQuery() == null ? '?' : '&') + "token=" + token(customerId);
    }

    /** The mailto link of {@code customerId}, when a mailto address is configured. */
    public Optional<String> mailtoLink(String customerId) {
        return mailto.map(address -> "mailto:" + address + "?subject="
                + URLEncoder.encode("unsubscribe " + token(customerId), StandardCharsets.UTF_8)
                        .replace("+", "%20"));
    }

    /** The {@code List-Unsubscribe} header value: {@code <mailto:…>, <https://…>} (mailto only when configured). */
    public String listUnsubscribeHeader(String customerId) {
        StringBuilder header = new StringBuilder();
        mailtoLink(customerId).ifPresent(m -> header.append('<').append(m).append(">, "));
        header.append('<').append(httpsLink(customerId)).append('>');
        return header.toString();
    }

    private byte[] mac(String customerId) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return Arrays.copyOf(mac.doFinal((PURPOSE + customerId).getBytes(StandardCharsets.UTF_8)), MAC_BYTES);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "UnsubscribeLinks[" + url.getScheme() + "://" + url.getAuthority() + url.getRawPath() + ", mailto="
                + mailto.isPresent() + ", secret=****]";
    }
}
