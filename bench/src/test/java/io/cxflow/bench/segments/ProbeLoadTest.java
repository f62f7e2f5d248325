package io.cxflow.bench.segments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cxflow.bench.http.SocketHttpClient;
import io.cxflow.bench.workload.MessageIds;
import io.cxflow.bench.workload.Workload;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProbeLoadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final List<JsonNode> probes = new CopyOnWriteArrayList<>();
    private final Set<String> authorizations = ConcurrentHashMap.newKeySet();
    private final AtomicInteger batchEvents = new AtomicInteger();

    @BeforeEach
    void startCollectorStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/track", exchange -> {
            probes.add(JSON.readTree(exchange.getRequestBody()));
            answer(exchange);
        });
        server.createContext("/v1/batch", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            batchEvents.addAndGet(
                    JSON.readTree(exchange.getRequestBody()).get("batch").size());
            answer(exchange);
        });
        server.start();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        byte[] ok = "{\"success\":true}".getBytes();
        exchange.sendResponseHeaders(200, ok.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(ok);
        }
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void shouldSendEveryThirdRequestAsTheProbeOfAFreshCustomerAndRecordIts200() {
        // given 300 events/s in batches of 4 with one request in 3 a probe: 9 events per 3 requests, 100 req/s
        ProbeLoad.Settings settings = new ProbeLoad.Settings(
                300,
                Workload.generate(7, 8, 4, 1).batches(),
                3,
                4,
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                "t-");

        // when
        ProbeLoad.Result result = ProbeLoad.run(
                settings,
                SocketHttpClient.factory("127.0.0.1", server.getAddress().getPort(), 5_000),
                new MessageIds(3, 0));

        // then every request due in the 1.5 s was sent (150, due every 10 ms), a third of them probes
        ProbeLoad.Probes sent = result.probes();
        assertThat(sent.count()).isEqualTo(50).isEqualTo(probes.size());
        assertThat(batchEvents.get()).isEqualTo(4 * 100);
        assertThat(probes)
                .extracting(p -> p.get("userId").asText())
                .doesNotHaveDuplicates()
                .allMatch(id -> id.startsWith("t-"));
        assertThat(probes).allMatch(p -> p.get("event").asText().equals(BenchSegments.PROBE_EVENT));
        int measured = 0;
        for (int p = 0; p < sent.count(); p++) {
            assertThat(sent.status(p)).isEqualTo(200);
            assertThat(sent.answeredNanos(p)).isPositive();
            measured += sent.measured(p) ? 1 : 0;
        }
        // the probes due in the measured second (requests 50..149), not those of the warm-up
        assertThat(measured).isEqualTo(34);
        assertThat(result.failedRequests()).isZero();
        assertThat(result.requestLatencies().count()).isEqualTo(100);
        assertThat(result.okEvents()).isEqualTo(34 + 4 * 66);
        // the batches come from the web, app and till sources, each with its own write key
        assertThat(authorizations).hasSizeGreaterThan(1);
    }
}
