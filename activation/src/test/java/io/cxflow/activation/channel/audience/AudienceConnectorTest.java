package io.cxflow.activation.channel.audience;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.activation.channel.Delivery;
import io.cxflow.activation.channel.http.HttpAuth;
import io.cxflow.activation.channel.http.HttpEndpoint;
import io.cxflow.activation.channel.support.Decisions;
import io.cxflow.activation.channel.support.ProviderServer;
import io.cxflow.activation.channel.support.ProviderServer.Answer;
import io.cxflow.activation.decision.Decision;
import io.cxflow.avro.MembershipChange;
import io.cxflow.platform.config.ConfigException;
import io.cxflow.platform.config.ConfigSource;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class AudienceConnectorTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Duration NEVER = Duration.ofHours(1);

    @TempDir
    Path drop;

    private static Decision member(String customerId, String email, MembershipChange change, long version) {
        return Decisions.decision(
                "ads",
                "aud",
                Map.of("audience", "high-value"),
                Decisions.change(customerId, change, version)
                        .setEmail(email)
                        .setPhone(null)
                        .setIdentities(Map.of("email", List.of(email)))
                        .build());
    }

    private AudienceConnector fileDrop(int maxBatchSize, Duration maxDelay, FileDropSink.Format format) {
        return AudienceConnector.of(
                AudienceConfig.fileDrop(maxBatchSize, maxDelay, drop, format), MAPPER, Clock.systemUTC());
    }

    private List<Path> files() throws Exception {
        try (Stream<Path> all = Files.walk(drop)) {
            return all.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void shouldDropOneCsvAndManifestWhenTheBatchIsFull() throws Exception {
        List<Decision> decisions = List.of(
                member("cus_1", "a@example.com", MembershipChange.ENTERED, 1),
                member("cus_2", "b@example.com", MembershipChange.ENTERED, 1),
                member("cus_3", "c@example.com", MembershipChange.ENTERED, 1));
        List<Delivery> deliveries;
        try (AudienceConnector connector = fileDrop(3, NEVER, FileDropSink.Format.CSV)) {
            // three dispatcher threads at once; the batch can only leave because it is full
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<Delivery>> running = new ArrayList<>();
                for (Decision d : decisions) {
                    running.add(threads.submit(() -> connector.deliver(d, 1)));
                }
                deliveries = new ArrayList<>();
                for (Future<Delivery> f : running) {
                    deliveries.add(f.get());
                }
            }
        }

        assertThat(deliveries).allSatisfy(d -> assertThat(d.outcome()).isEqualTo(Delivery.Outcome.SENT));
        List<AudienceMember> members = new ArrayList<>();
        for (Decision d : decisions) {
            members.add(AudienceMember.of(d));
        }
        String batchId = new AudienceBatch("high-value", AudienceBatch.Operation.ADD, members).id();
        Path dir = drop.resolve("high-value");
        assertThat(files())
                .containsExactly(
                        dir.resolve("add-" + batchId + ".csv"), dir.resolve("add-" + batchId + ".manifest.json"));
        List<String> rows = Files.readAllLines(dir.resolve("add-" + batchId + ".csv"));
        assertThat(rows.getFirst()).isEqualTo("member_id,identifier_type,sha256");
        assertThat(rows.subList(1, rows.size()))
                .containsExactlyInAnyOrder(
                        members.get(0).memberId() + ",email," + AudienceMember.sha256Hex("a@example.com"),
                        members.get(1).memberId() + ",email," + AudienceMember.sha256Hex("b@example.com"),
                        members.get(2).memberId() + ",email," + AudienceMember.sha256Hex("c@example.com"));
        byte[] data = Files.readAllBytes(dir.resolve("add-" + batchId + ".csv"));
        JsonNode manifest =
                MAPPER.readTree(dir.resolve("add-" + batchId + ".manifest.json").toFile());
        assertThat(manifest.path("batchId").asText()).isEqualTo(batchId);
        assertThat(manifest.path("audience").asText()).isEqualTo("high-value");
        assertThat(manifest.path("operation").asText()).isEqualTo("add");
        assertThat(manifest.path("format").asText()).isEqualTo("csv");
        assertThat(manifest.path("file").asText()).isEqualTo("add-" + batchId + ".csv");
        assertThat(manifest.path("members").asInt()).isEqualTo(3);
        assertThat(manifest.path("rows").asInt()).isEqualTo(3);
        assertThat(manifest.path("sha256").asText()).isEqualTo(AudienceMember.sha256Hex(data));
        assertThat(new String(data, StandardCharsets.UTF_8)).doesNotContain("@");
    }

    @Test
    void shouldSendAPartialBatchOnceItsFirstMemberHasWaitedTheMaximumDelay() throws Exception {
        Delivery delivery;
        try (AudienceConnector connector = fileDrop(1000, Duration.ofMillis(50), FileDropSink.Format.NDJSON)) {
            delivery = connector.deliver(member("cus_1", "a@example.com", MembershipChange.EXITED, 2), 1);
        }

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.SENT);
        List<Path> files = files();
        assertThat(files).hasSize(2);
        Path data = files.stream()
                .filter(p -> p.toString().endsWith(".ndjson"))
                .findFirst()
                .orElseThrow();
        assertThat(data.getFileName().toString()).startsWith("remove-");
        List<String> lines = Files.readAllLines(data);
        assertThat(lines).hasSize(1);
        JsonNode row = MAPPER.readTree(lines.getFirst());
        assertThat(row.path("type").asText()).isEqualTo("email");
        assertThat(row.path("sha256").asText()).isEqualTo(AudienceMember.sha256Hex("a@example.com"));
    }

    @Test
    void shouldNotDropTheSameBatchTwice() throws Exception {
        Decision decision = member("cus_1", "a@example.com", MembershipChange.ENTERED, 1);
        Delivery first;
        Delivery again;
        try (AudienceConnector connector = fileDrop(1, NEVER, FileDropSink.Format.CSV)) {
            first = connector.deliver(decision, 1);
            List<Path> afterFirst = files();
            byte[] manifest = Files.readAllBytes(afterFirst.stream()
                    .filter(p -> p.toString().endsWith(".manifest.json"))
                    .findFirst()
                    .orElseThrow());
            again = connector.deliver(decision, 2);

            assertThat(files()).isEqualTo(afterFirst);
            assertThat(Files.readAllBytes(afterFirst.get(1))).isEqualTo(manifest);
        }
        assertThat(first.outcome()).isEqualTo(Delivery.Outcome.SENT);
        assertThat(again.outcome()).isEqualTo(Delivery.Outcome.SENT);
        assertThat(again.providerResponse()).contains("already dropped");
    }

    @Test
    void shouldReportRetriableWhenTheDropFolderCannotBeWritten() throws Exception {
        Files.writeString(drop.resolve("high-value"), "a file where the audience folder should be");
        Delivery delivery;
        try (AudienceConnector connector = fileDrop(1, NEVER, FileDropSink.Format.CSV)) {
            delivery = connector.deliver(member("cus_1", "a@example.com", MembershipChange.ENTERED, 1), 1);
        }

        assertThat(delivery.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
        assertThat(delivery.reason()).contains("cannot write the audience batch");
        assertThat(files()).containsExactly(drop.resolve("high-value"));
    }

    @Test
    void shouldFailPermanentlyWithoutAnAudienceOrAnIdentifier() throws Exception {
        Decision noAudience = Decisions.decision("ads", "aud", Map.of());
        Decision badOperation = Decisions.decision("ads", "aud", Map.of("audience", "vip", "operation", "toggle"));
        Decision noIdentifier = Decisions.decision(
                "ads",
                "aud",
                Map.of("audience", "vip"),
                Decisions.change("cus_1", MembershipChange.ENTERED, 1)
                        .setEmail(null)
                        .setPhone(null)
                        .setIdentities(Map.of("userId", List.of("u-1")))
                        .build());
        try (AudienceConnector connector = fileDrop(1, NEVER, FileDropSink.Format.CSV)) {
            assertThat(connector.deliver(noAudience, 1).reason()).contains("'audience'");
            assertThat(connector.deliver(badOperation, 1).reason()).contains("'operation'");
            Delivery unmatched = connector.deliver(noIdentifier, 1);
            assertThat(unmatched.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
            assertThat(unmatched.reason()).contains("no email or E.164 phone");
        }
        assertThat(files()).isEmpty();
    }

    @Test
    void shouldPostBatchesWithTheBatchIdAsIdempotencyKeyAndHonourRetryAfter() throws Exception {
        try (ProviderServer provider = new ProviderServer()) {
            provider.answering(Answer.status(429).header("Retry-After", "4"), Answer.status(503), Answer.status(400));
            HttpEndpoint endpoint = new HttpEndpoint(
                    URI.create(provider.url("/audiences")),
                    HttpAuth.bearer("ads-token"),
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(5));
            Decision a = member("cus_1", "a@example.com", MembershipChange.ENTERED, 1);
            Decision b = member("cus_2", "b@example.com", MembershipChange.ENTERED, 1);
            List<Delivery> limited;
            Delivery failing;
            Delivery refused;
            Delivery accepted;
            try (AudienceConnector connector = AudienceConnector.of(
                    AudienceConfig.http(2, NEVER, endpoint, Optional.empty()), MAPPER, Clock.systemUTC())) {
                CompletableFuture<Delivery> fa = connector.submit(a);
                CompletableFuture<Delivery> fb = connector.submit(b);
                limited = List.of(fa.join(), fb.join());
                failing = connector
                        .submit(a)
                        .thenCombine(connector.submit(b), (x, y) -> x)
                        .join();
                refused = connector
                        .submit(a)
                        .thenCombine(connector.submit(b), (x, y) -> x)
                        .join();
                accepted = connector
                        .submit(a)
                        .thenCombine(connector.submit(b), (x, y) -> x)
                        .join();
            }

            assertThat(limited).allSatisfy(d -> {
                assertThat(d.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
                assertThat(d.providerStatus()).isEqualTo(429);
                assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(4));
            });
            assertThat(failing.outcome()).isEqualTo(Delivery.Outcome.RETRIABLE);
            assertThat(refused.outcome()).isEqualTo(Delivery.Outcome.PERMANENT);
            assertThat(accepted.outcome()).isEqualTo(Delivery.Outcome.SENT);

            List<ProviderServer.Request> requests = provider.requests();
            assertThat(requests).hasSize(4);
            String batchId = new AudienceBatch(
                            "high-value",
                            AudienceBatch.Operation.ADD,
                            List.of(AudienceMember.of(a), AudienceMember.of(b)))
                    .id();
            assertThat(requests).allSatisfy(r -> {
                assertThat(r.header("Idempotency-Key")).isEqualTo(batchId);
                assertThat(r.header("Authorization")).isEqualTo("Bearer ads-token");
                assertThat(r.body()).isEqualTo(requests.getFirst().body());
            });
            JsonNode body = MAPPER.readTree(requests.getFirst().body());
            assertThat(body.path("batchId").asText()).isEqualTo(batchId);
            assertThat(body.path("audience").asText()).isEqualTo("high-value");
            assertThat(body.path("operation").asText()).isEqualTo("add");
            assertThat(body.path("members")).hasSize(2);
            assertThat(body.path("members").get(0).path("emails").get(0).asText())
                    .isIn(AudienceMember.sha256Hex("a@example.com"), AudienceMember.sha256Hex("b@example.com"));
            assertThat(requests.getFirst().bodyText()).doesNotContain("@example.com");
        }
    }

    @Test
    void shouldReadOneDestinationFromConfigurationAndRefuseTwo() throws Exception {
        assertThat(AudienceConfig.from(ConfigSource.of(Map.of()))).isEmpty();
        AudienceConfig files = AudienceConfig.from(ConfigSource.of(Map.of(
                        "activation.audience.drop-dir", drop.toString(),
                        "activation.audience.format", "ndjson",
                        "activation.audience.max-batch-size", "500",
                        "activation.audience.max-delay", "2s")))
                .orElseThrow();
        assertThat(files.dropDir()).contains(drop);
        assertThat(files.format()).isEqualTo(FileDropSink.Format.NDJSON);
        assertThat(files.maxBatchSize()).isEqualTo(500);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AudienceConfig.from(ConfigSource.of(Map.of(
                        "activation.audience.drop-dir",
                        drop.toString(),
                        "activation.audience.url",
                        "https://ads.example.com/batches"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.audience.drop-dir")
                .hasMessageContaining("activation.audience.url");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AudienceConfig.from(ConfigSource.of(Map.of(
                        "activation.audience.drop-dir", drop.resolve("missing").toString()))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("activation.audience.drop-dir");
    }
}
