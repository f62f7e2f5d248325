package io.cxflow.deploy.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's stand-in for a marketing tool: a loopback HTTP endpoint that receives the activation webhooks, counts
 * them and counts repeated idempotency keys (a duplicate effect would show up here).
 */
public final class DemoWebhookReceiver implements AutoCloseable {

    private final HttpServer server;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final Set<String> keys = ConcurrentHashMap.newKeySet();

    private DemoWebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static DemoWebhookReceiver start(String host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        DemoWebhookReceiver receiver = new DemoWebhookReceiver(server);
        server.createContext("/hook", receiver::handle);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.start();
        return receiver;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key != null && !keys.add(key)) {
            duplicates.incrementAndGet();
        }
        received.incrementAndGet();
        byte[] ok = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, ok.length);
        exchange.getResponseBody().write(ok);
        exchange.close();
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":"
                + server.getAddress().getPort() + "/hook";
    }

    public long received() {
        return received.get();
    }

    public long duplicates() {
        return duplicates.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
