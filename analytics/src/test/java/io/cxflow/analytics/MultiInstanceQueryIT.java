package io.cxflow.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.analytics.query.ProfileQueryApi;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.json.Json;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestEvents;
import io.cxflow.testkit.TestPlatform;
import io.cxflow.testkit.TestPlatform.KeyValue;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of one analytics application (same application id, own state folders and ports) share
 * the six partitions; each must answer every query exactly as the other does, forwarding to the
 * instance that hosts the key.
 */
@CxIntegrationTest
class MultiInstanceQueryIT {

    private static final Duration DEADLINE = Duration.ofSeconds(45);
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final int CUSTOMERS = 24;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** One person: an anonymous visit, then identified with email and phone, then an order. */
    private record Person(String userId, String anonymousId, String email, String phone) {
        static Person number(int n) {
            return new Person("u-" + n, "a-" + n, "user" + n + "@example.com", String.format("+39333100%04d", n));
        }

        String customerId() {
            return CustomerIds.derive("userId:" + userId);
        }

        String absorbedId() {
            return CustomerIds.derive("anonymousId:" + anonymousId);
        }

        List<KeyValue<TouchpointEvent>> events() {
            String traits = "{\"email\":\"" + email.toUpperCase() + "\",\"phone\":\"" + phone + "\"}";
            return List.of(
                    KeyValue.of(
                            anonymousId,
                            TestEvents.page(null, anonymousId, "Home", T0).build()),
                    KeyValue.of(
                            userId,
                            TestEvents.identify(userId, anonymousId, traits, T0.plusSeconds(60))
                                    .build()),
                    KeyValue.of(
                            userId,
                            TestEvents.track(userId, null, "Order Completed", T0.plusSeconds(120))
                                    .setProperties("{\"revenue\":19.90,\"currency\":\"EUR\"}")
                                    .build()));
        }
    }

    /** One instance under test and where it advertises itself. */
    private record Instance(AnalyticsService service, String address) {
        String url(String path) {
            return service.baseUrl() + path;
        }
    }

    @Test
    void shouldAnswerEveryQueryIdenticallyOnBothInstancesForwardingToTheOwner(
            TestPlatform platform, @TempDir Path stateA, @TempDir Path stateB) throws Exception {
        // Given two instances of one application on six partitions
        platform.createTopics();
        AnalyticsConfig config = AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.port", "0")))
                .withApplicationId(platform.uniqueId("analytics"));
        try (AnalyticsService a = AnalyticsService.start(config.withStateDir(stateA), context(platform, "a"));
                AnalyticsService b = AnalyticsService.start(config.withStateDir(stateB), context(platform, "b"))) {
            List<Instance> instances = List.of(instance(a), instance(b));
            for (Instance instance : instances) {
                awaitStatus(instance.url("/health/ready"), 200);
            }

            // When the events of enough customers arrive that both instances own some
            List<Person> people = new ArrayList<>();
            List<KeyValue<TouchpointEvent>> events = new ArrayList<>();
            for (int n = 0; n < CUSTOMERS; n++) {
                Person person = Person.number(n);
                people.add(person);
                events.addAll(person.events());
            }
            platform.produce(platform.topics().events(), events);
            for (Person person : people) {
                awaitJson(
                        instances.getFirst().url("/v1/profiles?anonymousId=" + person.anonymousId()),
                        json -> json.path("customerId").asText().equals(person.customerId())
                                && json.path("eventCount").asLong() == 3);
            }

            // Then every profile, lookup and membership is answered identically by both instances
            Map<String, Integer> forwarded = new HashMap<>();
            Map<String, Integer> local = new HashMap<>();
            for (Person person : people) {
                String byId = "/v1/profiles/" + person.customerId();
                Map<Instance, Answer> profiles = new HashMap<>();
                for (Instance instance : instances) {
                    Answer profile = get(instance.url(byId));
                    assertThat(profile.status()).as(instance.address() + byId).isEqualTo(200);
                    profiles.put(instance, profile);
                    (profile.servedBy().equals(instance.address()) ? local : forwarded)
                            .merge(instance.address(), 1, Integer::sum);
                }
                Answer first = profiles.get(instances.getFirst());
                assertThat(profiles.values()).allSatisfy(answer -> {
                    assertThat(answer.body()).isEqualTo(first.body());
                    assertThat(answer.servedBy()).isEqualTo(first.servedBy());
                });
                JsonNode json = Json.mapper().readTree(first.body());
                assertThat(json.path("customerId").asText()).isEqualTo(person.customerId());
                assertThat(json.path("eventCount").asLong()).isEqualTo(3);
                assertThat(json.path("identities").path("email").get(0).asText())
                        .isEqualTo(person.email());
                assertThat(json.path("mergedFrom").get(0).asText()).isEqualTo(person.absorbedId());

                for (Instance instance : instances) {
                    for (String lookup : List.of(
                            "userId=" + person.userId(),
                            "anonymousId=" + person.anonymousId(),
                            "email=" + encode(" " + person.email().toUpperCase()),
                            "phone=" + encode(person.phone()))) {
                        Answer found = get(instance.url("/v1/profiles?" + lookup));
                        assertThat(found.status())
                                .as(instance.address() + " " + lookup)
                                .isEqualTo(200);
                        assertThat(found.body()).as(lookup).isEqualTo(first.body());
                        assertThat(found.contentLocation()).isEqualTo(byId);
                    }
                    Answer absorbed = get(instance.url("/v1/profiles/" + person.absorbedId()));
                    assertThat(absorbed.status()).isEqualTo(200);
                    assertThat(absorbed.body()).isEqualTo(first.body());
                    assertThat(absorbed.contentLocation()).isEqualTo(byId);
                }

                Answer segmentsA = get(instances.get(0).url(byId + "/segments"));
                Answer segmentsB = get(instances.get(1).url(byId + "/segments"));
                assertThat(segmentsA.status()).isEqualTo(200);
                assertThat(segmentsB.body()).isEqualTo(segmentsA.body());
                assertThat(segmentsB.servedBy()).isEqualTo(segmentsA.servedBy());
                JsonNode engaged = Json.mapper()
                        .readTree(segmentsA.body())
                        .path("segments")
                        .get(0);
                assertThat(engaged.path("id").asText()).isEqualTo("engaged");
                assertThat(engaged.path("member").asBoolean()).isTrue();
            }

            // and absent customers and identifiers are 404 on both
            for (Instance instance : instances) {
                for (String path : List.of(
                        "/v1/profiles/" + CustomerIds.derive("userId:nobody"),
                        "/v1/profiles/" + CustomerIds.derive("userId:nobody") + "/segments",
                        "/v1/profiles?userId=nobody",
                        "/v1/profiles?email=nobody@example.com")) {
                    Answer missing = get(instance.url(path));
                    assertThat(missing.status()).as(instance.address() + path).isEqualTo(404);
                    assertThat(Json.mapper()
                                    .readTree(missing.body())
                                    .path("error")
                                    .asText())
                            .isEqualTo("not_found");
                }
            }

            // and each instance answered some customers from its own stores and forwarded others
            for (Instance instance : instances) {
                assertThat(local.getOrDefault(instance.address(), 0))
                        .as("profiles " + instance.address() + " served itself")
                        .isPositive();
                assertThat(forwarded.getOrDefault(instance.address(), 0))
                        .as("profiles " + instance.address() + " got from the other instance")
                        .isPositive();
            }
        }
    }

    private record Answer(int status, String body, String servedBy, String contentLocation) {}

    private static Instance instance(AnalyticsService service) {
        URI base = URI.create(service.baseUrl());
        return new Instance(service, base.getHost() + ":" + base.getPort());
    }

    /** A GET as a client honouring 503 + Retry-After would make it: 503 is retried until the deadline. */
    private Answer get(String url) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (true) {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 503 || Instant.now().isAfter(deadline)) {
                return new Answer(
                        response.statusCode(),
                        response.body(),
                        response.headers()
                                .firstValue(ProfileQueryApi.SERVED_BY_HEADER)
                                .orElse(""),
                        response.headers().firstValue("Content-Location").orElse(""));
            }
            Thread.sleep(200);
        }
    }

    private void awaitStatus(String url, int status) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = get(url).status();
            if (last == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " did not answer " + status + " within " + DEADLINE + "; last " + last);
    }

    private void awaitJson(String url, Predicate<JsonNode> done) throws Exception {
        Instant deadline = Instant.now().plus(DEADLINE);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            Answer answer = get(url);
            last = answer.status() + " " + answer.body();
            if (answer.status() == 200 && done.test(Json.mapper().readTree(answer.body()))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " did not answer as expected within " + DEADLINE + "; last: " + last);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** The test's cluster and topics, with a client id prefix of this instance's own. */
    private static PlatformContext context(TestPlatform platform, String instance) {
        PlatformContext shared = platform.context();
        KafkaSettings kafka = new KafkaSettings(
                platform.bootstrapServers(), platform.uniqueId("cx-" + instance), platform.registryUrl());
        return new PlatformContext(kafka, shared.serdes(), shared.topics(), shared.common());
    }
}
