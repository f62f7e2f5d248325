package io.cxflow.activation.channel.email;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
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
 * The open-tracking pixel and click-tracking links of an email, and their verification.
 *
 * <ul>
 *   <li>pixel: {@code <base-url>/t/o/<token>.gif}
 *   <li>click: {@code <base-url>/t/c/<token>?u=<url-encoded original URL>}
 * </ul>
 *
 * A token is {@code base64url(segmentId "\n" idempotencyKey) "." base64url(MAC)}, the MAC being the
 * first 16 bytes of HMAC-SHA256(secret, purpose "\n" length(payload) payload [url]) (the length as 4
 * bytes, big-endian), where the purpose is {@code cx-track:open} for the pixel and {@code
 * cx-track:click} for links, and a click's MAC also covers the URL. So a token names the decision it was issued for, an open token is no click token,
 * and a click token redirects only to the URL it was issued with: the redirect endpoint is never an
 * open redirect. Tokens are a pure function of the decision (and URL), so every attempt of a decision
 * sends the same bytes.
 *
 * @param baseUrl the public http(s) address of activation's tracking endpoints (no trailing slash)
 * @param secret the HMAC key
 */
public record TrackingLinks(String baseUrl, String secret) {

    /** Path of the pixel endpoint, before the token. */
    public static final String OPEN_PATH = "/t/o/";
    /** Path of the redirect endpoint, before the token. */
    public static final String CLICK_PATH = "/t/c/";
    /** Suffix of the pixel path after the token. */
    public static final String PIXEL_SUFFIX = ".gif";
    /** Query parameter of the click URL carrying the original URL. */
    public static final String URL_PARAMETER = "u";

    private static final String ALGORITHM = "HmacSHA256";
    private static final String OPEN = "cx-track:open";
    private static final String CLICK = "cx-track:click";
    private static final int MAC_BYTES = 16;

    /**
     * What a valid token names.
     *
     * @param idempotencyKey the decision whose email carried the token
     * @param segmentId the segment of the decision's membership change
     */
    public record Target(String idempotencyKey, String segmentId) {
        public Target {
            Objects.requireNonNull(idempotencyKey, "idempotencyKey");
            Objects.requireNonNull(segmentId, "segmentId");
            if (segmentId.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("a segment id has no line break");
            }
        }
    }

    public TrackingLinks {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("the tracking secret must not be empty");
        }
        while (baseUrl.endsWith("/")) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
        }
    }

    /** The pixel URL of a decision's email. */
    public String pixelUrl(Target target) {
        return baseUrl + OPEN_PATH + token(target, mac(OPEN, payload(target), null)) + PIXEL_SUFFIX;
    }

    /** The tracked link of {@code url} in a decision's email. */
    public String clickUrl(Target target, String url) {
        Objects.requireNonNull(url, "url");
        return baseUrl
                + CLICK_PATH
                + token(target, mac(CLICK, payload(target), url))
                + '?'
                + URL_PARAMETER
                + '='
                + URLEncoder.encode(url, StandardCharsets.UTF_8);
    }

    /** Whether {@code url} is one of these tracking links (never tracked again). */
    public boolean isTrackingUrl(String url) {
        return url.startsWith(baseUrl + OPEN_PATH) || url.startsWith(baseUrl + CLICK_PATH);
    }

    /** What a pixel token names, when it was issued with this secret. */
    public Optional<Target> verifyOpen(String token) {
        return verify(token, OPEN, null);
    }

    /** What a click token names, when it was issued with this secret for exactly {@code url}. */
    public Optional<Target> verifyClick(String token, String url) {
        if (url == null) {
            return Optional.empty();
        }
        return verify(token, CLICK, url);
    }

    private Optional<Target> verify(String token, String purpose, String url) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1 || token.indexOf('.', dot + 1) >= 0) {
            return Optional.empty();
        }
        try {
            Base64.Decoder b64 = Base64.getUrlDecoder();
            byte[] payload = b64.decode(token.substring(0, dot));
            byte[] given = b64.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(given, mac(purpose, payload, url))) {
                return Optional.empty();
            }
            String text = new String(payload, StandardCharsets.UTF_8);
            int newline = text.indexOf('\n');
            if (newline < 0) {
                return Optional.empty();
            }
            return Optional.of(new Target(text.substring(newline + 1), text.substring(0, newline)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] payload(Target target) {
        return (target.segmentId() + "\n" + target.idempotencyKey()).getBytes(StandardCharsets.UTF_8);
    }

    private static String token(Target target, byte[] mac) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload(target)) + "." + b64.encodeToString(mac);
    }

    private byte[] mac(String purpose, byte[] payload, String url) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            mac.update((purpose + "\n").getBytes(StandardCharsets.UTF_8));
            // the payload's length first: no other (payload, url) pair gives the same MAC input
            mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(payload.length).array());
            mac.update(payload);
            if (url != null) {
                mac.update(url.getBytes(StandardCharsets.UTF_8));
            }
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** The base URL as a URI (checked by the configuration). */
    public URI baseUri() {
        return URI.create(baseUrl);
    }

    @Override
    public String toString() {
        return "TrackingLinks[" + baseUrl + ", secret=****]";
    }
}
