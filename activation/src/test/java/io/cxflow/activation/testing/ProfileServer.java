package io.cxflow.activation.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.cxflow.platform.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 that answers the profile routes of the analytics query API with the
 * public JSON contract: {@code GET /v1/profiles/{customerId}} and {@code GET /v1/profiles?<type>=<value>}
 * (200 with the document, 404 {@code not_found}), with scripted failure statuses first when asked, and a
 * log of the paths asked.
 */
public final class ProfileServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, ObjectNode> profiles = new ConcurrentHashMap<>();
    private final Map<String, String> identifiers = new ConcurrentHashMap<>();
    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();

    public ProfileServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/profiles", exchange -> {
            URI uri = exchange.getRequestURI();
            asked.add(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
            Integer scripted;
            synchronized (script) {
                scripted = script.pollFirst();
            }
            int status;
            String body;
            if (scripted != null) {
                status = scripted;
                body = "{\"error\":\"unavailable\",\"message\":\"scripted\"}";
            } else {
                ObjectNode profile = find(uri);
                status = profile == null ? 404 : 200;
                body = profile == null ? "{\"error\":\"not_found\",\"message\":\"no profile\"}" : profile.toString();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    private ObjectNode find(URI uri) {
        String path = uri.getRawPath();
        if (path.startsWith("/v1/profiles/")) {
            return profiles.get(URLDecoder.decode(path.substring("/v1/profiles/".length()), StandardCharsets.UTF_8));
        }
        String query = uri.getRawQuery();
        if (query == null || !query.contains("=")) {
            return null;
        }
        String type = URLDecoder.decode(query.substring(0, query.indexOf('=')), StandardCharsets.UTF_8);
        String value = URLDecoder.decode(query.substring(query.indexOf('=') + 1), StandardCharsets.UTF_8);
        String customerId = identifiers.get(type + ":" + value);
        return customerId == null ? null : profiles.get(customerId);
    }

    /** Serves {@code document} for its customer id, and for each of its identities by lookup. */
    public ProfileServer serve(ObjectNode document) {
        String customerId = document.path("customerId").asText();
        profiles.put(customerId, document);
        document.path("identities").properties().forEach(type -> type.getValue()
                .forEach(value -> identifiers.put(type.getKey() + ":" + value.asText(), customerId)));
        return this;
    }

    /** Answers the next requests with these statuses (and an error body), in order. */
    public ProfileServer failing(Integer... statuses) {
        synchronized (script) {
            script.addAll(List.of(statuses));
        }
        return this;
    }

    /** The base URL, as {@code activation.profiles.url} takes it. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The paths (with query) asked so far. */
    public List<String> asked() {
        return List.copyOf(asked);
    }

    /**
     * A profile document of the public contract: the customer's identities, traits, consent, one order
     * of 49.90 EUR, segment {@code high-value}, time zone Europe/Rome.
     */
    public static ObjectNode document(String customerId, Map<String, Object> traits, Map<String, Boolean> consent) {
        ObjectNode doc = Json.mapper().createObjectNode();
        doc.put("customerId", customerId);
        ObjectNode identities = doc.putObject("identities");
        identities.putArray("userId").add("u-" + customerId);
        identities.putArray("email").add(customerId + "@example.com");
        doc.set("traits", Json.mapper().valueToTree(traits));
        doc.put("firstSeen", "2026-11-20T10:00:00Z");
        doc.put("lastSeen", "2026-11-22T18:03:11Z");
        doc.put("eventCount", 42);
        ObjectNode events = doc.putObject("events");
        events.put("Order Completed", 1);
        events.put("Product Viewed", 17);
        ObjectNode channels = doc.putObject("channels");
        channels.putObject("web")
                .put("eventCount", 42)
                .put("firstSeen", "2026-11-20T10:00:00Z")
                .put("lastSeen", "2026-11-22T18:03:11Z");
        ObjectNode orders = doc.putObject("orders");
        orders.put("count", 1);
        orders.putObject("revenue").put("EUR", new java.math.BigDecimal("49.90"));
        doc.set("consent", Json.mapper().valueToTree(consent));
        doc.putArray("segments").add("high-value");
        doc.putArray("mergedFrom");
        doc.put("timezone", "Europe/Rome");
        doc.put("locale", "it-IT");
        doc.put("version", 7);
        doc.put("updatedAt", "2026-11-22T18:03:11Z");
        return doc;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
