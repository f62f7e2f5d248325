package io.cxflow.collector.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a request body into memory without ever holding more than the limit: the declared length is
 * checked first, the stream is read to at most {@code limit + 1} bytes, and a gzip body is inflated to at
 * most {@code limit + 1} bytes (so a small bomb cannot expand in memory).
 */
final class BodyReader {

    private BodyReader() {}

    /** The body exceeds the limit (answered 413). */
    static final class TooLargeException extends Exception {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message, null, false, false);
        }
    }

    /** The body cannot be decoded (answered 400 or 415). */
    static final class BadEncodingException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean unsupported;

        BadEncodingException(String message, boolean unsupported) {
            super(message, null, false, false);
            this.unsupported = unsupported;
        }

        boolean unsupported() {
            return unsupported;
        }
    }

    /**
     * @param in the request body
     * @param contentEncoding the {@code Content-Encoding} header, or null
     * @param contentLength the declared length, or a negative number when unknown
     * @param limit the most bytes accepted after decoding
     */
    static byte[] read(InputStream in, String contentEncoding, long contentLength, int limit)
            throws IOException, TooLargeException, BadEncodingException {
        String encoding =
                contentEncoding == null ? "identity" : contentEncoding.strip().toLowerCase(Locale.ROOT);
        boolean gzip =
                switch (encoding) {
                    case "", "identity" -> false;
                    case "gzip", "x-gzip" -> true;
                    default ->
                        throw new BadEncodingException(
                                "Content-Encoding '" + encoding + "' is not supported (use gzip or none)", true);
                };
        if (!gzip && contentLength > limit) {
            throw tooLarge(contentLength, limit);
        }
        byte[] raw = readAtMost(in, limit);
        if (raw.length > limit) {
            throw tooLarge(-1, limit);
        }
        if (!gzip) {
            return raw;
        }
        try (InputStream inflated = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 8192)) {
            byte[] body = readAtMost(inflated, limit);
            if (body.length > limit) {
                throw tooLarge(-1, limit);
            }
            return body;
        } catch (ZipException | java.io.EOFException e) {
            throw new BadEncodingException("the gzip body is corrupt or truncated", false);
        }
    }

    /** The most bytes of a refused body that are read and dropped before the answer ({@link #drain}). */
    static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    /**
     * Reads and drops what is left of a refused body, at most {@link #DRAIN_LIMIT} bytes, so the client
     * (still sending) reads the answer: a server that answers and closes with unread bytes in its receive
     * buffer resets the connection, and the client may lose the answer with it. A body that goes on beyond
     * the bound is left to the connection's close.
     *
     * @return the bytes dropped
     */
    static long drain(InputStream in) {
        byte[] buf = new byte[16 * 1024];
        long dropped = 0;
        try {
            int n;
            while (dropped < DRAIN_LIMIT
                    && (n = in.read(buf, 0, (int) Math.min(buf.length, DRAIN_LIMIT - dropped))) > 0) {
                dropped += n;
            }
        } catch (IOException e) {
            // the client went away: nothing left to protect
        }
        return dropped;
    }

    private static TooLargeException tooLarge(long length, int limit) {
        return new TooLargeException(
                (length >= 0 ? "the body is " + length + " bytes" : "the body is larger than " + limit + " bytes")
                        + "; at most " + limit + " are accepted here");
    }

    /** Reads to the end or to {@code limit + 1} bytes, whichever comes first. */
    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit + 1, 16 * 1024));
        byte[] buf = new byte[8192];
        int total = 0;
        int n;
        while (total <= limit && (n = in.read(buf, 0, Math.min(buf.length, limit + 1 - total))) > 0) {
            out.write(buf, 0, n);
            total += n;
        }
        return out.toByteArray();
    }
}
