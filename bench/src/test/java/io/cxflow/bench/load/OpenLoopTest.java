package io.cxflow.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.cxflow.bench.http.SocketHttpClient;
import io.cxflow.bench.workload.MessageIds;
import io.cxflow.bench.workload.Workload;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

    private static final long STALL_MILLIS = 400;

    private HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServerThatStallsOnce() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/track", exchange -> {
            exchange.getRequestBody().readAllBytes();
            if (requests.incrementAndGet() == 10) {
                try {
                    Thread.sleep(STALL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] ok = "{\"success\":true}".getBytes();
            exchange.sendResponseHeaders(200, ok.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ok);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void shouldChargeAStallToEveryRequestDueDuringItWhenMeasuringFromTheIntendedTime() {
        // 100 requests/s on one connection: the requests due while the server stalls wait behind it
        OpenLoop.Settings settings = new OpenLoop.Settings(
                "stall", Workload.generate(1, 1, 1, 5).tracks(), 100, 1, Duration.ZERO, Duration.ofSeconds(1));
        Tally tally = new Tally();

        ScenarioResult result = OpenLoop.run(
                settings,
                SocketHttpClient.factory("127.0.0.1", server.getAddress().getPort(), 5_000),
                new MessageIds(1, 0),
                tally);

        long slow = 0;
        for (int i = 1; i <= 100; i++) {
            // percentiles of 100 evenly spaced ranks: how many latencies reach 100 ms
            if (result.latencies().percentile(i) >= 100_000_000L) {
                slow++;
            }
        }
        // a closed-loop (coordinated-omission) measurement would see one slow request; here the ~40 requests
        // due during the 400 ms stall all carry part of it
        assertThat(slow).isGreaterThanOrEqualTo(10);
        assertThat(result.latencies().max()).isGreaterThanOrEqualTo(STALL_MILLIS * 1_000_000L);
        assertThat(tally.okEvents()).isEqualTo(result.latencies().count());
        assertThat(result.failures()).isZero();
    }
}
