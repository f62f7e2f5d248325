package io.cxflow.activation.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import io.cxflow.activation.profile.ProfileClient;
import io.cxflow.activation.testing.ProfileServer;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.json.Json;
import io.cxflow.testkit.TestEvents;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CustomerResolverTest {

    private static final Instant AT = Instant.parse("2026-11-22T18:03:11Z");

    private ProfileServer analytics;
    private ProfileClient client;

    @BeforeEach
    void setUp() throws Exception {
        analytics = new ProfileServer();
        client = new ProfileClient(URI.create(analytics.url()), Duration.ofSeconds(1), Json.mapper());
    }

    @AfterEach
    void tearDown() {
        client.close();
        analytics.close();
    }

    private CustomerResolver.Resolution resolve(TouchpointEvent event, Duration timeout) throws Exception {
        return new CustomerResolver(client, timeout).resolve(event);
    }

    @Test
    void shouldFindTheCustomerByUserIdThenByAnonymousId() throws Exception {
        var document = ProfileServer.document("c-1", Map.of(), Map.of());
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.path("identities"))
                .putArray("anonymousId")
                .add("a-1");
        analytics.serve(document);

        CustomerResolver.Resolution byUser =
                resolve(TestEvents.track("u-c-1", "a-1", "Order Completed", AT).build(), Duration.ofSeconds(5));
        CustomerResolver.Resolution byDevice = resolve(
                TestEvents.track("u-unknown", "a-1", "Order Completed", AT).build(), Duration.ofSeconds(5));

        assertThat(byUser.outcome()).isEqualTo(CustomerResolver.Outcome.FOUND);
        assertThat(byUser.profile().customerId()).isEqualTo("c-1");
        assertThat(byDevice.outcome()).isEqualTo(CustomerResolver.Outcome.FOUND);
        assertThat(byDevice.profile().customerId()).isEqualTo("c-1");
        assertThat(analytics.asked())
                .containsExactly(
                        "/v1/profiles?userId=u-c-1", "/v1/profiles?userId=u-unknown", "/v1/profiles?anonymousId=a-1");
    }

    @Test
    void shouldWaitForAnalyticsToLearnTheCustomer() throws Exception {
        Thread later = Thread.ofVirtual().start(() -> {
            try {
                while (analytics.asked().size() < 2) {
                    TimeUnit.MILLISECONDS.sleep(10);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            analytics.serve(ProfileServer.document("c-2", Map.of(), Map.of()));
        });

        CustomerResolver.Resolution resolution =
                resolve(TestEvents.track("u-c-2", null, "Order Completed", AT).build(), Duration.ofSeconds(20));
        later.join();

        assertThat(resolution.outcome()).isEqualTo(CustomerResolver.Outcome.FOUND);
        assertThat(analytics.asked()).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldGiveUpOnACustomerAnalyticsDoesNotKnow() throws Exception {
        CustomerResolver.Resolution resolution =
                resolve(TestEvents.track("u-9", "a-9", "Order Completed", AT).build(), Duration.ofMillis(300));

        assertThat(resolution.outcome()).isEqualTo(CustomerResolver.Outcome.NOT_FOUND);
        assertThat(resolution.reason())
                .isEqualTo("customer not resolved: analytics has no profile for the event's userId/anonymousId after"
                        + " 300 ms");
        assertThat(resolution.reason()).doesNotContain("u-9");
    }

    @Test
    void shouldTellAnUnavailableAnalyticsFromAnUnknownCustomer() throws Exception {
        analytics.failing(503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503, 503);

        CustomerResolver.Resolution resolution =
                resolve(TestEvents.track("u-1", null, "Order Completed", AT).build(), Duration.ofMillis(300));

        assertThat(resolution.outcome()).isEqualTo(CustomerResolver.Outcome.UNAVAILABLE);
        assertThat(resolution.reason()).contains("HTTP 503");
    }

    @Test
    void shouldNotResolveAnEventWithoutIdentifiers() throws Exception {
        CustomerResolver.Resolution resolution =
                resolve(TestEvents.track(null, null, "Order Completed", AT).build(), Duration.ofSeconds(1));

        assertThat(resolution.outcome()).isEqualTo(CustomerResolver.Outcome.NOT_FOUND);
        assertThat(analytics.asked()).isEmpty();
    }
}
