package io.cxflow.analytics.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cxflow.platform.http.Health;
import io.cxflow.platform.http.HttpProblem;
import io.cxflow.platform.http.HttpServer;
import io.cxflow.platform.metrics.Metrics;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PeerClient} against a real HTTP server on loopback that plays the other instance. */
class PeerClientTest {

    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final PeerClient client = new PeerClient();
    private HttpServer peer;
    private HostInfo peerHost;

    @BeforeEach
    void startPeer() {
        peer = HttpServer.start("peer", "127.0.0.1", 0, new Health(), Metrics.create("peer"), routes -> routes.get(
                        InternalRoutes.PROFILE, ctx -> {
                            String id = ctx.queryParam(InternalRoutes.CUSTOMER_ID);
                            asked.add(id);
                            ctx.header(InternalRoutes.SERVED_BY_HEADER, "peer:1");
                            switch (id) {
                                case "cus_here" ->
                                    ctx.contentType("application/json")
                                            .result("{\"customerId\":\"cus_here\",\"revenue\":19.90}");
                                case "cus_moved" -> throw HttpProblem.unavailable("partition 3 moved");
                                default -> throw HttpProblem.notFound("no profile");
                            }
                        })
                .get(InternalRoutes.IDENTITY, ctx -> {
                    asked.add(ctx.queryParam(InternalRoutes.KEY));
                    ctx.header(InternalRoutes.SERVED_BY_HEADER, "peer:1");
                    ctx.json(Map.of("customerId", "cus_found"));
                }));
        peerHost = new HostInfo("127.0.0.1", peer.port());
    }

    @AfterEach
    void stop() {
        client.close();
        peer.close();
    }

    @Test
    void shouldRelayTheOwnersDocumentByteForByteWithWhoServedIt() {
        assertThat(client.profile(peerHost, "cus_here"))
                .contains(new Document("cus_here", "{\"customerId\":\"cus_here\",\"revenue\":19.90}", "peer:1"));
    }

    @Test
    void shouldReadTheOwners404AsAbsent() {
        assertThat(client.profile(peerHost, "cus_nobody")).isEmpty();
    }

    @Test
    void shouldBeUnavailableWhenTheOwnerAnswers503() {
        assertThatThrownBy(() -> client.profile(peerHost, "cus_moved"))
                .isInstanceOf(ProfileQueries.UnavailableException.class)
                .hasMessageContaining("127.0.0.1:" + peer.port())
                .hasMessageContaining("partition 3 moved");
    }

    @Test
    void shouldRefuseA404ThatDidNotComeFromAnInternalRoute() {
        assertThatThrownBy(() -> client.memberships(peerHost, "cus_here"))
                .isInstanceOf(ProfileQueries.ForwardingException.class)
                .hasMessageContaining("does not serve the internal query API");
    }

    @Test
    void shouldSendTheIdentifierKeyEncoded() {
        assertThat(client.customerOf(peerHost, new IdentifierKey("email", "ann+tag@example.com")))
                .contains("cus_found");
        assertThat(asked).containsExactly("email:ann+tag@example.com");
    }

    @Test
    void shouldBeUnavailableWhenTheOwnerCannotBeReached() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        HostInfo gone = new HostInfo("127.0.0.1", closedPort);

        assertThatThrownBy(() -> client.profile(gone, "cus_here"))
                .isInstanceOf(ProfileQueries.UnavailableException.class)
                .hasMessageContaining("cannot be reached");
    }
}
