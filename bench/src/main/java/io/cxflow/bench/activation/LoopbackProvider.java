package io.cxflow.bench.activation;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The webhook provider of the benchmark, on loopback: answers {@code 200} at once and notes, per {@code
 * Idempotency-Key}, the wall-clock time (ms) the first request with that key arrived. Shared by activation and the
 * raw baseline.
 */
final class LoopbackProvider implements AutoCloseable {

    private static final byte[] OK = "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final Map<String, Long> firstReceipt = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    LoopbackProvider() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.currentTimeMillis();
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        requests.incrementAndGet();
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key != null) {
            firstReceipt.putIfAbsent(key, now);
        }
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, OK.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(OK);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** When the first request with {@code key} arrived (epoch ms), or null. */
    Long receipt(String key) {
        return firstReceipt.get(key);
    }

    /** Distinct keys received whose text starts with {@code prefix}. */
    long keysStartingWith(String prefix) {
        return firstReceipt.keySet().stream().filter(k -> k.startsWith(prefix)).count();
    }

    /** The latest first receipt among keys starting with {@code prefix} (epoch ms), or -1. */
    long lastReceipt(String prefix) {
        return firstReceipt.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue)
                .max()
                .orElse(-1);
    }

    /** The earliest first receipt among keys starting with {@code prefix} (epoch ms), or -1. */
    long firstReceipt(String prefix) {
        return firstReceipt.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue)
                .min()
                .orElse(-1);
    }

    long requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
