package io.cxflow.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.cxflow.activation.ActivationConfig;
import io.cxflow.activation.ActivationService;
import io.cxflow.avro.ActivationResult;
import io.cxflow.avro.ActivationStatus;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.platform.PlatformContext;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.Readiness;
import io.cxflow.testkit.TestPlatform;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * {@code cx activations retry-dlq} against a running activation service: decisions that failed permanently at a
 * provider are replayed once it recovers, with their idempotency keys, exactly once.
 */
@CxIntegrationTest
class ActivationsCommandIT {

    private static final String TOKEN = "cli-it-token";
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** A webhook provider on loopback: refuses (400) while {@code refusing}, counts accepted keys as effects. */
    private static final class Provider implements AutoCloseable {
        final HttpServer server;
        volatile boolean refusing = true;
        final Map<String, AtomicInteger> effects = new ConcurrentHashMap<>();
        final AtomicInteger requests = new AtomicInteger();

        Provider() throws Exception {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/", exchange -> {
                try (InputStream in = exchange.getRequestBody()) {
                    in.readAllBytes();
                }
                requests.incrementAndGet();
                String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
                int status = refusing ? 400 : 200;
                if (status == 200) {
                    effects.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                }
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @Test
    void shouldReplayFailedDecisionsOnceWhenTheProviderRecoversAndNothingNewTheSecondTime(TestPlatform platform)
            throws Exception {
        PlatformContext context = platform.createTopics().context(TOKEN);
        ActivationConfig config = ActivationConfig.of(Map.of(
                "activation.port", "0",
                "activation.group.id", platform.uniqueId("activation"),
                "activation.retry.max-attempts", "2",
                "activation.retry.initial-backoff", "20ms",
                "activation.retry.max-backoff", "50ms",
                "activation.deferred.poll-interval", "200ms"));
        try (Provider provider = new Provider();
                ActivationService activation = ActivationService.start(config, context)) {
            String url = activation.baseUrl();
            Readiness.await(url, WAIT);
            HttpResponse<String> put = send(url, "PUT", "/v1/workflows/welcome", """
                    {"segment": "high-value", "on": "ENTERED",
                     "steps": [{"id": "notify", "send": {"channel": "webhook", "url": "%s"}}]}
                    """.formatted(provider.url()));
            assertThat(put.statusCode()).as(put.body()).isEqualTo(200);

            // Given two decisions the provider refused for good: both on the dead-letter topic
            platform.produce(
                    context.topics().segmentMembership(),
                    TestPlatform.KeyValue.of("c-1", entered("c-1")),
                    TestPlatform.KeyValue.of("c-2", entered("c-2")));
            platform.readAtLeast(context.topics().activationsDlq(), 2, WAIT);
            assertThat(provider.effects).isEmpty();

            // a dry run tells what it would replay and sends nothing
            CxRun dry = cx("--url", url, "--dry-run");
            assertThat(dry.exitCode()).as(dry.err()).isZero();
            assertThat(dry.out())
                    .contains("2 decisions match")
                    .contains("would replay  welcome:notify:c-1:1")
                    .containsPattern("would replay\\s+2\\s+\\(dry run");
            int requestsBefore = provider.requests.get();

            // When the provider recovers and the decisions of c-1 are replayed
            provider.refusing = false;
            CxRun first = cx("--url", url, "--customer", "c-1", "--wait", "30s");
            assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
            assertThat(first.out())
                    .contains("1 decision matches")
                    .contains("1/1 finished (1 sent)")
                    .containsPattern("replayed\\s+1\\s+\\(1 sent, 0 failed again, 0 still running\\)");
            assertThat(provider.effects.keySet()).containsExactly("welcome:notify:c-1:1");

            // and then everything
            CxRun second = cx("--url", url, "--wait", "30s");
            assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
            assertThat(second.out())
                    .contains("already done  welcome:notify:c-1:1")
                    .containsPattern("replayed\\s+1\\s+\\(1 sent")
                    .containsPattern("already done\\s+1");

            // Then each decision had exactly one effect, and a further run replays nothing new
            CxRun third = cx("--url", url, "--wait", "30s");
            assertThat(third.exitCode()).as(third.out() + third.err()).isZero();
            assertThat(third.out()).containsPattern("replayed\\s+0").containsPattern("already done\\s+2");
            assertThat(provider.effects).containsOnlyKeys("welcome:notify:c-1:1", "welcome:notify:c-2:1");
            assertThat(provider.effects.values()).allMatch(n -> n.get() == 1);
            assertThat(provider.requests.get() - requestsBefore).isEqualTo(2);
            List<ActivationResult> sent = platform
                    .readUntil(
                            context.topics().activations(),
                            seen -> seen.stream()
                                            .filter(r -> r.value().getStatus() == ActivationStatus.SENT)
                                            .count()
                                    >= 2,
                            WAIT)
                    .stream()
                    .map(ConsumerRecord::value)
                    .filter(r -> r.getStatus() == ActivationStatus.SENT)
                    .toList();
            assertThat(sent)
                    .extracting(ActivationResult::getIdempotencyKey)
                    .containsExactlyInAnyOrder("welcome:notify:c-1:1", "welcome:notify:c-2:1");
        }
    }

    @Test
    void shouldExplainUsageErrorsAndAnUnreachableService() {
        CxRun badSince = cx("--since", "yesterday");
        assertThat(badSince.exitCode()).isEqualTo(2);
        assertThat(badSince.err()).contains("--since must be a duration like 30m, 2h, 7d or an instant");
        CxRun badLimit = cx("--limit", "0");
        assertThat(badLimit.exitCode()).isEqualTo(2);
        assertThat(badLimit.err()).contains("--limit must be at least 1");
        CxRun down = cx("--url", "http://127.0.0.1:1");
        assertThat(down.exitCode()).isEqualTo(1);
        assertThat(down.err()).contains("cannot reach activation at http://127.0.0.1:1");
        CxRun help = cx("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--workflow").contains("--dry-run").contains("--since");
    }

    private static CxRun cx(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "activations";
        all[1] = "retry-dlq";
        all[2] = "--token";
        all[3] = TOKEN;
        System.arraycopy(args, 0, all, 4, args.length);
        CxRun run = CxRun.of(all);
        System.out.println("$ cx " + String.join(" ", all) + "\n" + run.out() + run.err());
        return run;
    }

    private static SegmentMembershipChanged entered(String customerId) {
        return SegmentMembershipChanged.newBuilder()
                .setCustomerId(customerId)
                .setSegmentId("high-value")
                .setSegmentVersion(1)
                .setChange(MembershipChange.ENTERED)
                .setMembershipVersion(1)
                .setReason("event Order Completed")
                .setAt(Instant.parse("2026-11-23T10:00:00Z"))
                .setIdentities(Map.of("userId", List.of("u-" + customerId)))
                .setEmail(null)
                .setPhone(null)
                .setConsent(Map.of())
                .setTimezone(null)
                .build();
    }

    private static HttpResponse<String> send(String url, String method, String path, String body) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url + path))
                            .header("Authorization", "Bearer " + TOKEN)
                            .method(method, HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
