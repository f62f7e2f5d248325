package io.cxflow.platform.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.cxflow.avro.TouchpointEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A registry that accepts connections and never answers must not hold a serializing thread forever. */
class RegistryTimeoutTest {

    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private Thread acceptor;

    @BeforeEach
    void startSilentServer() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(
                () -> {
                    while (!silent.isClosed()) {
                        try {
                            accepted.add(silent.accept()); // read nothing, answer nothing
                        } catch (IOException e) {
                            return;
                        }
                    }
                },
                "silent-registry");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void stop() throws IOException {
        silent.close();
        for (Socket socket : accepted) {
            socket.close();
        }
    }

    @Test
    void shouldFailTheCallAsUnavailableWhenTheRegistryAcceptsButNeverAnswers() {
        String url = "http://127.0.0.1:" + silent.getLocalPort();
        try (RegistrySerdes serdes = RegistrySerdes.forUrl(url, Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            var serializer = serdes.avro(TouchpointEvent.class, false).serializer();
            // a liveness guard, not a speed assertion: without the timeouts the call never returns
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(
                            () -> serializer.serialize("cx.events.v1", RegistrySerdesTest.event("m-1")))
                    .isInstanceOf(SerializationException.class)
                    .satisfies(e -> assertThat(unavailability(e))
                            .isNotNull()
                            .isInstanceOf(RetriableException.class)
                            .hasMessageContaining("schema registry at " + url)
                            .hasMessageContaining("no answer within 1 s")));
            assertThat(accepted).isNotEmpty();
        }
    }

    @Test
    void shouldFailTheCallAsUnavailableWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        try (RegistrySerdes serdes =
                RegistrySerdes.forUrl("http://127.0.0.1:" + port, Duration.ofSeconds(1), Duration.ofSeconds(1))) {
            var deserializer = serdes.avro(TouchpointEvent.class, false).deserializer();
            byte[] framed = {0, 0, 0, 0, 7, 2};
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(
                            () -> deserializer.deserialize("cx.events.v1", framed))
                    .isInstanceOf(SerializationException.class)
                    .satisfies(e -> assertThat(unavailability(e)).isNotNull()));
        }
    }

    @Test
    void shouldTellTheRegistrysRefusalsFromItsUnavailability() {
        assertThat(UnavailabilityTranslatingClient.isUnavailable(new RuntimeException(new IOException("reset"))))
                .isTrue();
        assertThat(UnavailabilityTranslatingClient.isUnavailable(new IllegalStateException("schema not found")))
                .isFalse();
        assertThatThrownBy(() -> RegistrySerdes.forUrl("http://127.0.0.1:1", Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("connectTimeout must be positive");
    }

    /** The {@link RegistryUnavailableException} in a failure's cause chain, or null. */
    private static Throwable unavailability(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RegistryUnavailableException) {
                return t;
            }
        }
        return null;
    }
}
