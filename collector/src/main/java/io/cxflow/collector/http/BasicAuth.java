package io.cxflow.collector.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Reads the write key from {@code Authorization: Basic base64(writeKey:)}, as Segment SDKs send it. */
final class BasicAuth {

    private BasicAuth() {}

    /**
     * The user name of a Basic {@code Authorization} header; empty when the header is not Basic or not
     * decodable.
     */
    static Optional<String> userName(String authorization) {
        if (authorization == null) {
            return Optional.empty();
        }
        String value = authorization.strip();
        if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String credentials = new String(decoded, StandardCharsets.UTF_8);
        int colon = credentials.indexOf(':');
        String user = colon >= 0 ? credentials.substring(0, colon) : credentials;
        return user.isEmpty() ? Optional.empty() : Optional.of(user);
    }
}
