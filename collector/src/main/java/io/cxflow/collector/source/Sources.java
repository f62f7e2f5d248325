package io.cxflow.collector.source;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The configured sources and write-key authentication.
 *
 * <p>A presented key is hashed with SHA-256 and compared with {@link MessageDigest#isEqual} against the
 * digest of every enabled source's key, without stopping at the first match, so the time taken says
 * nothing about how much of a key was right, nor about its length. Keys are never logged.
 */
public final class Sources {

    private final List<Source> sources;
    private final byte[][] digests;

    public Sources(List<Source> sources) {
        this.sources = List.copyOf(sources);
        Set<String> ids = new HashSet<>();
        Set<String> keys = new HashSet<>();
        for (Source s : this.sources) {
            if (!ids.add(s.id())) {
                throw new IllegalArgumentException("duplicate source id: " + s.id());
            }
            if (!keys.add(s.writeKey())) {
                throw new IllegalArgumentException("source " + s.id() + " reuses the write key of another source");
            }
        }
        this.digests = new byte[this.sources.size()][];
        for (int i = 0; i < this.sources.size(); i++) {
            digests[i] = sha256(this.sources.get(i).writeKey());
        }
    }

    public List<Source> all() {
        return sources;
    }

    /** The enabled source owning {@code writeKey}, or empty for a missing, unknown or revoked key. */
    public Optional<Source> authenticate(String writeKey) {
        if (writeKey == null || writeKey.isEmpty()) {
            return Optional.empty();
        }
        byte[] presented = sha256(writeKey);
        Source match = null;
        for (int i = 0; i < digests.length; i++) {
            boolean equal = MessageDigest.isEqual(digests[i], presented);
            if (equal && match == null) {
                match = sources.get(i);
            }
        }
        return match != null && match.enabled() ? Optional.of(match) : Optional.empty();
    }

    /** Whether any enabled source allows browser requests from {@code origin} (used for preflight). */
    public boolean anyAllowsOrigin(String origin) {
        for (Source s : sources) {
            if (s.enabled() && s.allowsOrigin(origin)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
