package io.cxflow.activation.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.cxflow.activation.testing.ProfileServer;
import io.cxflow.platform.json.Json;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProfileClientTest {

    private ProfileServer analytics;
    private ProfileClient client;

    @BeforeEach
    void setUp() throws Exception {
        analytics = new ProfileServer();
        client = new ProfileClient(URI.create(analytics.url()), Duration.ofSeconds(2), Json.mapper());
    }

    @AfterEach
    void tearDown() {
        client.close();
        analytics.close();
    }

    @Test
    void shouldReadAProfileByCustomerIdAndByIdentifier() throws Exception {
        analytics.serve(ProfileServer.document("cus:1 x", Map.of("firstName", "Ann"), Map.of("sms", true)));

        assertThat(client.profile("cus:1 x"))
                .hasValueSatisfying(p -> assertThat(p.trait("firstName")).isEqualTo("Ann"));
        assertThat(client.lookup("userId", "u-cus:1 x"))
                .hasValueSatisfying(p -> assertThat(p.customerId()).isEqualTo("cus:1 x"));
        assertThat(analytics.asked()).containsExactly("/v1/profiles/cus%3A1%20x", "/v1/profiles?userId=u-cus%3A1%20x");
    }

    @Test
    void shouldAnswerEmptyForAnUnknownCustomer() throws Exception {
        assertThat(client.profile("nobody")).isEmpty();
        assertThat(client.lookup("email", "nobody@example.com")).isEmpty();
    }

    @Test
    void shouldCallAnAnalyticsThatIsNotReadyUnavailable() {
        analytics.serve(ProfileServer.document("c", Map.of(), Map.of())).failing(503, 500);

        assertThatThrownBy(() -> client.profile("c"))
                .isInstanceOf(ProfileUnavailableException.class)
                .hasMessageContaining("HTTP 503");
        assertThatThrownBy(() -> client.profile("c")).hasMessageContaining("HTTP 500");
    }

    @Test
    void shouldCallAnUnreachableOrSlowAnalyticsUnavailable() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (ProfileClient nowhere =
                new ProfileClient(URI.create("http://127.0.0.1:" + closed), Duration.ofSeconds(1), Json.mapper())) {
            assertThatThrownBy(() -> nowhere.profile("c"))
                    .isInstanceOf(ProfileUnavailableException.class)
                    .hasMessageContaining("cannot reach analytics");
        }
        HttpServer slow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        slow.createContext("/", exchange -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        slow.start();
        try (ProfileClient impatient = new ProfileClient(
                URI.create("http://127.0.0.1:" + slow.getAddress().getPort()), Duration.ofMillis(200), Json.mapper())) {
            assertThatThrownBy(() -> impatient.profile("c"))
                    .isInstanceOf(ProfileUnavailableException.class)
                    .hasMessageContaining("did not answer within 200 ms");
        } finally {
            slow.stop(0);
        }
    }

    @Test
    void shouldCallAnAnswerThatIsNotAProfileUnavailable() throws Exception {
        HttpServer odd = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        odd.createContext("/", exchange -> {
            byte[] body = "{\"hello\": 1}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        odd.start();
        try (ProfileClient confused = new ProfileClient(
                URI.create("http://127.0.0.1:" + odd.getAddress().getPort()), Duration.ofSeconds(1), Json.mapper())) {
            assertThatThrownBy(() -> confused.profile("c"))
                    .isInstanceOf(ProfileUnavailableException.class)
                    .hasMessageContaining("not a profile");
        } finally {
            odd.stop(0);
        }
    }
}
