package io.cxflow.bench.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SocketHttpClientTest {

    private HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<InetSocketAddress> peers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fixed", exchange -> answer(exchange, 200, "{\"success\":true}", false));
        server.createContext("/chunked", exchange -> answer(exchange, 503, "{\"error\":\"unavailable\"}", true));
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange, int status, String body, boolean chunked) throws IOException {
        received.add(exchange.getRequestHeaders().getFirst("Authorization") + " "
                + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        peers.add(exchange.getRemoteAddress());
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, chunked ? 0 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void shouldPostOverOneKeptAliveConnectionAndReadBothFramings() throws IOException {
        try (SocketHttpClient client =
                new SocketHttpClient("127.0.0.1", server.getAddress().getPort(), 5_000)) {
            int first = client.post("/fixed", "Basic abc", "{\"n\":1}".getBytes(StandardCharsets.UTF_8));
            String firstBody = client.lastResponse();
            int second = client.post("/chunked", "Basic abc", "{\"n\":2}".getBytes(StandardCharsets.UTF_8));
            String secondBody = client.lastResponse();
            int third = client.post("/fixed", "Basic def", "{\"n\":3}".getBytes(StandardCharsets.UTF_8));

            assertThat(first).isEqualTo(200);
            assertThat(firstBody).isEqualTo("{\"success\":true}");
            assertThat(second).isEqualTo(503);
            assertThat(secondBody).isEqualTo("{\"error\":\"unavailable\"}");
            assertThat(third).isEqualTo(200);
        }
        assertThat(received).containsExactly("Basic abc {\"n\":1}", "Basic abc {\"n\":2}", "Basic def {\"n\":3}");
        assertThat(peers).hasSize(3).allSatisfy(p -> assertThat(p).isEqualTo(peers.get(0)));
    }

    @Test
    void shouldReconnectAfterTheServerWentAway() throws IOException {
        int port = server.getAddress().getPort();
        try (SocketHttpClient client = new SocketHttpClient("127.0.0.1", port, 5_000)) {
            assertThat(client.post("/fixed", "Basic abc", new byte[0])).isEqualTo(200);
            server.stop(0);
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            server.createContext("/fixed", exchange -> answer(exchange, 200, "{}", false));
            server.start();

            int status;
            try {
                status = client.post("/fixed", "Basic abc", new byte[0]);
            } catch (IOException e) {
                status = client.post("/fixed", "Basic abc", new byte[0]); // the stale connection failed once
            }

            assertThat(status).isEqualTo(200);
        }
    }
}
