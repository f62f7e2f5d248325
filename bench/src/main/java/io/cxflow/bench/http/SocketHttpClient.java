package io.cxflow.bench.http;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A lean HTTP/1.1 client over one keep-alive socket: the request is written with a single {@code write}, the
 * response is read with {@code Content-Length} or chunked framing and reconnected after {@code Connection:
 * close}. It allocates almost nothing per request, so the load driver's own CPU use stays small next to the
 * server's on a shared machine.
 */
public final class SocketHttpClient implements LoadClient {

    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int KEEP_BODY_CHARS = 512;

    private final InetSocketAddress address;
    private final String hostHeader;
    private final int timeoutMillis;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private byte[] request = new byte[64 * 1024];
    private final byte[] line = new byte[MAX_HEADER_BYTES];
    private final byte[] drain = new byte[16 * 1024];
    private final StringBuilder body = new StringBuilder();

    public SocketHttpClient(String host, int port, int timeoutMillis) {
        this.address = new InetSocketAddress(host, port);
        this.hostHeader = host + ":" + port;
        this.timeoutMillis = timeoutMillis;
    }

    /** Connections to {@code host:port}, each with a read timeout. */
    public static Factory factory(String host, int port, int timeoutMillis) {
        return new Factory() {
            @Override
            public LoadClient open() {
                return new SocketHttpClient(host, port, timeoutMillis);
            }

            @Override
            public String name() {
                return "raw-socket";
            }
        };
    }

    @Override
    public int post(String path, String authorization, byte[] payload) throws IOException {
        try {
            connectIfNeeded();
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + hostHeader + "\r\nAuthorization: " + authorization
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n";
            int headLength = head.length();
            int total = headLength + payload.length;
            if (request.length < total) {
                request = new byte[Math.max(total, request.length * 2)];
            }
            for (int i = 0; i < headLength; i++) {
                request[i] = (byte) head.charAt(i); // the head is ASCII
            }
            System.arraycopy(payload, 0, request, headLength, payload.length);
            out.write(request, 0, total);
            out.flush();
            return readResponse();
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e;
        }
    }

    private int readResponse() throws IOException {
        String status = readLine();
        if (!status.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + status);
        }
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean close = status.startsWith("HTTP/1.0");
        for (String h = readLine(); !h.isEmpty(); h = readLine()) {
            int colon = h.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" ->
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "connection" -> close = value.equalsIgnoreCase("close");
                default -> {}
            }
        }
        body.setLength(0);
        if (chunked) {
            for (long size = chunkSize(); size > 0; size = chunkSize()) {
                readBody(size);
                readLine();
            }
            for (String trailer = readLine(); !trailer.isEmpty(); trailer = readLine()) {
                // trailers are ignored
            }
        } else if (length >= 0) {
            readBody(length);
        } else {
            close = true; // body until the server closes
            readBody(Long.MAX_VALUE);
        }
        if (close) {
            disconnect();
        }
        return code;
    }

    private long chunkSize() throws IOException {
        String size = readLine();
        int ext = size.indexOf(';');
        return Long.parseLong((ext < 0 ? size : size.substring(0, ext)).trim(), 16);
    }

    private void readBody(long length) throws IOException {
        long left = length;
        while (left > 0) {
            int n = in.read(drain, 0, (int) Math.min(drain.length, left));
            if (n < 0) {
                if (length == Long.MAX_VALUE) {
                    return;
                }
                throw new EOFException("connection closed inside a response body");
            }
            if (body.length() < KEEP_BODY_CHARS) {
                body.append(new String(drain, 0, Math.min(n, KEEP_BODY_CHARS - body.length()), StandardCharsets.UTF_8));
            }
            left -= n;
        }
    }

    /** One header line without its CRLF. */
    private String readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed inside a response head");
            }
            if (b == '\n') {
                int end = n > 0 && line[n - 1] == '\r' ? n - 1 : n;
                return new String(line, 0, end, StandardCharsets.ISO_8859_1);
            }
            if (n == line.length) {
                throw new IOException("response header line longer than " + MAX_HEADER_BYTES + " bytes");
            }
            line[n++] = (byte) b;
        }
    }

    private void connectIfNeeded() throws IOException {
        if (socket != null) {
            return;
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMillis);
            s.connect(address, timeoutMillis);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
        out = s.getOutputStream();
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // already broken; nothing to do
            }
            socket = null;
            in = null;
            out = null;
        }
    }

    @Override
    public String lastResponse() {
        return body.toString();
    }

    @Override
    public void close() {
        disconnect();
        Arrays.fill(request, (byte) 0);
    }
}
