package io.cxflow.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cxflow.analytics.identity.CustomerIds;
import io.cxflow.avro.ChannelStats;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.RejectedEvent;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.json.Json;
import io.cxflow.testkit.CxIntegrationTest;
import io.cxflow.testkit.TestPlatform;
import io.cxflow.testkit.population.ExpectedCustomer;
import io.cxflow.testkit.population.ExpectedCustomerIds;
import io.cxflow.testkit.population.ExpectedResult;
import io.cxflow.testkit.population.Population;
import io.cxflow.testkit.population.Traps;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity rules end to end on a generated omnichannel population (several hundred persons, web and
 * app devices, stores, call center, email, with redeliveries, late events, an alias, shared devices and
 * bad imports): every identifier resolves to the customer the rules demand, with the aggregates of all its
 * events, through the query API and on {@code cx.profiles.v1}. The expectation comes from {@link
 * Population#expected()}, computed from who owns which identifier, not by grouping the events.
 */
@CxIntegrationTest
class IdentityPopulationIT {

    private static final Logger LOG = LoggerFactory.getLogger(IdentityPopulationIT.class);

    /** Overall limit for the population to be processed; a run that stops progressing fails sooner. */
    private static final Duration QUIET_DEADLINE = Duration.ofMinutes(3);
    /** No customer got closer to its expected state for this long: stuck, fail with what is missing. */
    private static final Duration STALL = Duration.ofSeconds(45);

    /** The population starts this long ago; it spans less than 60 days. */
    private static final Duration HISTORY = Duration.ofDays(90);

    private static final Duration READ_DEADLINE = Duration.ofSeconds(60);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(10);
    private static final int REPORTED = 40;

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = Json.mapper().copy().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    @Test
    void shouldResolveEveryIdentifierOfTheGeneratedPopulationToItsExpectedCustomer(
            TestPlatform platform, @TempDir Path state) throws Exception {
        // Given the generated population, entirely in the past (brokers refuse future record times),
        // whose expected customer ids follow the product's rule
        Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(HISTORY);
        Population population = Population.generate(Population.DEFAULT_SEED, Population.DEFAULT_PERSONS, start);
        assertThat(population.latestReceivedAt()).isBefore(Instant.now());
        ExpectedResult expected = population.expected();
        LOG.info("{}", population.summary());
        assertTrapsWerePlanted(population.traps());
        assertSameCustomerIdRule(expected);

        // and a running analytics service on this test's topics
        platform.createTopics();
        AnalyticsConfig config = AnalyticsConfig.from(ConfigSource.of(Map.of("analytics.port", "0")))
                .withApplicationId(platform.uniqueId("analytics"))
                .withStateDir(state);
        try (AnalyticsService analytics = AnalyticsService.start(config, platform.context())) {
            String base = analytics.baseUrl();
            awaitStatus(base + "/health/ready", 200);

            // When the whole log is on cx.events.v1, in log order, keyed as the collector keys it
            platform.produce(platform.topics().events(), population.keyValues());

            // Then, once every expected customer is served with all its events and nothing changes any more,
            Map<String, JsonNode> documents = awaitQuiet(base, expected);

            // every profile has the expected identities and aggregates
            List<String> problems = new ArrayList<>();
            for (ExpectedCustomer customer : expected.customers()) {
                if (!documents.containsKey(customer.customerId())) {
                    problems.add(
                            "GET /v1/profiles/" + customer.customerId() + " is not served — " + describe(customer));
                    continue;
                }
                diff(
                        problems,
                        "GET /v1/profiles/" + customer.customerId(),
                        customer,
                        expectedFields(customer, false),
                        documentFields(documents.get(customer.customerId())));
            }
            // every identifier resolves to its customer, normalized and as the events spelled it
            for (Map.Entry<String, ExpectedCustomer> identifier :
                    expected.identifiers().entrySet()) {
                lookup(
                        problems,
                        base,
                        identifier.getKey(),
                        identifierValue(identifier.getKey()),
                        identifier.getValue());
            }
            for (Map.Entry<String, SortedSet<String>> spelled :
                    expected.spellings().entrySet()) {
                ExpectedCustomer owner = expected.byIdentifier(spelled.getKey()).orElseThrow();
                for (String raw : spelled.getValue()) {
                    lookup(problems, base, spelled.getKey(), raw, owner);
                }
            }
            // and every absorbed customer id answers the survivor's profile
            for (Map.Entry<String, String> redirect : expected.redirects().entrySet()) {
                HttpResponse<String> response = get(base + "/v1/profiles/" + redirect.getKey());
                String answered = response.statusCode() == 200
                        ? json.readTree(response.body()).path("customerId").asText()
                        : "HTTP " + response.statusCode();
                if (!answered.equals(redirect.getValue())) {
                    problems.add("GET /v1/profiles/" + redirect.getKey() + " (absorbed) answered " + answered
                            + ", expected the survivor "
                            + describe(expected.customer(redirect.getValue()).orElseThrow()));
                }
            }
            assertNoProblems("query API", problems);

            // cx.profiles.v1 holds the same final profiles, and no live profile of an absorbed id
            Map<String, CustomerProfile> latest = latestProfiles(platform, documents);
            for (ExpectedCustomer customer : expected.customers()) {
                CustomerProfile record = latest.get(customer.customerId());
                if (record == null) {
                    problems.add("cx.profiles.v1 has no live record for " + describe(customer));
                    continue;
                }
                diff(
                        problems,
                        "cx.profiles.v1 " + customer.customerId(),
                        customer,
                        expectedFields(customer, true),
                        recordFields(record));
                JsonNode served = documents.get(customer.customerId());
                if (served != null
                        && record.getVersion() != served.path("version").asLong()) {
                    problems.add("cx.profiles.v1 " + customer.customerId() + " is at version " + record.getVersion()
                            + ", the query API serves version "
                            + served.path("version").asLong());
                }
            }
            for (Map.Entry<String, CustomerProfile> record : latest.entrySet()) {
                if (record.getValue() != null
                        && expected.customer(record.getKey()).isEmpty()) {
                    String survivor = expected.redirects().get(record.getKey());
                    problems.add("cx.profiles.v1 still holds a live profile under " + record.getKey()
                            + (survivor == null ? " (no expected customer)" : " (absorbed into " + survivor + ")")
                            + " with eventCount " + record.getValue().getEventCount());
                }
            }
            assertNoProblems("cx.profiles.v1", problems);

            // and no event of the population was rejected
            List<ConsumerRecord<String, RejectedEvent>> rejected =
                    platform.readAll(platform.topics().rejected(), READ_DEADLINE);
            assertThat(rejected).as("rejected events").isEmpty();
        }
    }

    /** The testkit's copy of the customer id rule must be the product's. */
    private static void assertSameCustomerIdRule(ExpectedResult expected) {
        Set<String> keys = new TreeSet<>();
        for (ExpectedCustomer customer : expected.customers()) {
            keys.addAll(customer.members());
        }
        for (String key : keys) {
            assertThat(ExpectedCustomerIds.derive(key))
                    .as("derived id of %s", key)
                    .isEqualTo(CustomerIds.derive(key));
        }
    }

    /** Guards against a generator change that would quietly drop the hazards this test exists for. */
    private static void assertTrapsWerePlanted(Traps traps) {
        assertThat(traps.sharedDevices()).anyMatch(Traps.SharedDevice::winnerLinkArrivesLast);
        assertThat(traps.badImports()).anyMatch(Traps.BadImport::arrivesBeforeOwnerLink);
        assertThat(traps.aliases()).anyMatch(Traps.Alias::arrivesLate);
        assertThat(traps.redeliveries()).isPositive();
        assertThat(traps.lateEvents()).isPositive();
    }

    // ------------------------------------------------------------------ waiting

    /**
     * Polls {@code GET /v1/profiles/{customerId}} for every expected customer until each answers with its
     * expected eventCount and two passes in a row answer the same documents, or until no answer changed for
     * {@link #STALL} (then the documents served are returned as they are, and the comparison names what is
     * wrong). Fails when the answers still change at the deadline.
     *
     * @return customer id → the served document, for the customers that answered 200
     */
    private Map<String, JsonNode> awaitQuiet(String base, ExpectedResult expected) throws Exception {
        Instant started = Instant.now();
        Instant deadline = started.plus(QUIET_DEADLINE);
        Map<String, String> previous = Map.of();
        Instant lastChange = started;
        List<String> pending = List.of();
        while (Instant.now().isBefore(deadline)) {
            Map<String, String> bodies = new TreeMap<>();
            Map<String, JsonNode> documents = new HashMap<>();
            pending = new ArrayList<>();
            for (ExpectedCustomer customer : expected.customers()) {
                HttpResponse<String> response = get(base + "/v1/profiles/" + customer.customerId());
                bodies.put(customer.customerId(), response.statusCode() + " " + response.body());
                if (response.statusCode() != 200) {
                    pending.add(describe(customer) + ": HTTP " + response.statusCode());
                    continue;
                }
                JsonNode document = json.readTree(response.body());
                documents.put(customer.customerId(), document);
                long count = document.path("eventCount").asLong();
                if (count != customer.eventCount()) {
                    pending.add(describe(customer) + ": eventCount " + count + ", expected " + customer.eventCount());
                }
            }
            boolean unchanged = bodies.equals(previous);
            if (pending.isEmpty() && unchanged) {
                LOG.info(
                        "{} customers served with all their events after {}",
                        documents.size(),
                        Duration.between(started, Instant.now()));
                return documents;
            }
            if (!unchanged) {
                lastChange = Instant.now();
            } else if (Duration.between(lastChange, Instant.now()).compareTo(STALL) > 0) {
                LOG.warn(
                        "no profile changed for {}; {} expected customers are missing or incomplete, comparing what is"
                                + " served",
                        STALL,
                        pending.size());
                return documents;
            }
            previous = bodies;
            Thread.sleep(500);
        }
        throw new AssertionError("profiles were still changing after " + QUIET_DEADLINE + "; " + pending.size()
                + " of " + expected.customers().size() + " expected customers missing or incomplete:\n  "
                + String.join("\n  ", pending.subList(0, Math.min(REPORTED, pending.size())))
                + (pending.size() > REPORTED ? "\n  … " + (pending.size() - REPORTED) + " more" : ""));
    }

    private void awaitStatus(String url, int status) throws Exception {
        Instant deadline = Instant.now().plus(READ_DEADLINE);
        int last = -1;
        while (Instant.now().isBefore(deadline)) {
            last = get(url).statusCode();
            if (last == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(url + " did not answer " + status + " within " + READ_DEADLINE + "; last " + last);
    }

    /**
     * The latest record per key on cx.profiles.v1 (null for a tombstone), read until every served profile
     * is there at the version the query API serves.
     */
    private static Map<String, CustomerProfile> latestProfiles(TestPlatform platform, Map<String, JsonNode> documents) {
        Map<String, CustomerProfile> latest = new HashMap<>();
        int[] folded = {0};
        Predicate<List<ConsumerRecord<String, CustomerProfile>>> complete = records -> {
            for (; folded[0] < records.size(); folded[0]++) {
                ConsumerRecord<String, CustomerProfile> r = records.get(folded[0]);
                latest.put(r.key(), r.value());
            }
            for (Map.Entry<String, JsonNode> served : documents.entrySet()) {
                CustomerProfile record = latest.get(served.getKey());
                if (record == null
                        || record.getVersion()
                                < served.getValue().path("version").asLong()) {
                    return false;
                }
            }
            return true;
        };
        try {
            platform.readUntil(platform.topics().profiles(), complete, READ_DEADLINE);
        } catch (AssertionError e) {
            // compare what is there: the differences name the customers whose final profile is missing
            LOG.warn(
                    "cx.profiles.v1 did not reach every served version: {}",
                    e.getMessage().lines().findFirst().orElse(""));
        }
        return latest;
    }

    // ------------------------------------------------------------------ lookups

    private void lookup(List<String> problems, String base, String key, String raw, ExpectedCustomer owner)
            throws IOException, InterruptedException {
        String type = key.substring(0, key.indexOf(':'));
        String url = base + "/v1/profiles?" + type + "=" + URLEncoder.encode(raw, StandardCharsets.UTF_8);
        HttpResponse<String> response = get(url);
        String answered = response.statusCode() == 200
                ? json.readTree(response.body()).path("customerId").asText()
                : "HTTP " + response.statusCode() + " " + response.body();
        if (!answered.equals(owner.customerId())) {
            problems.add(
                    "GET /v1/profiles?" + type + "=" + raw + " answered " + answered + ", expected " + describe(owner));
        }
    }

    private static String identifierValue(String key) {
        return key.substring(key.indexOf(':') + 1);
    }

    // ------------------------------------------------------------------ comparison

    /**
     * The compared fields of an expected customer as text. Revenue is exact text for the Avro record and a
     * plain number (trailing zeros stripped) for the JSON document, whose numbers carry no scale contract.
     */
    private static SortedMap<String, String> expectedFields(ExpectedCustomer c, boolean exactRevenue) {
        SortedMap<String, String> f = new TreeMap<>();
        f.put("customerId", c.customerId());
        c.identities().forEach((type, values) -> f.put("identities." + type, new TreeSet<>(values).toString()));
        f.put("eventCount", Long.toString(c.eventCount()));
        c.events().forEach((name, n) -> f.put("events." + name, Long.toString(n)));
        c.channels()
                .forEach((name, s) ->
                        f.put("channels." + name, s.eventCount() + " " + s.firstSeen() + " " + s.lastSeen()));
        f.put("orders.count", Long.toString(c.orderCount()));
        c.revenue().forEach((currency, sum) -> f.put("orders.revenue." + currency, exactRevenue ? sum : plain(sum)));
        f.put("firstSeen", c.firstSeen().toString());
        f.put("lastSeen", c.lastSeen().toString());
        f.put("mergedFrom", c.mergedFrom().toString());
        return f;
    }

    private static SortedMap<String, String> documentFields(JsonNode d) {
        SortedMap<String, String> f = new TreeMap<>();
        f.put("customerId", d.path("customerId").asText());
        for (Iterator<Map.Entry<String, JsonNode>> it = d.path("identities").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> type = it.next();
            TreeSet<String> values = new TreeSet<>();
            type.getValue().forEach(v -> values.add(v.asText()));
            if (!values.isEmpty()) {
                f.put("identities." + type.getKey(), values.toString());
            }
        }
        f.put("eventCount", Long.toString(d.path("eventCount").asLong()));
        d.path("events")
                .fields()
                .forEachRemaining(e ->
                        f.put("events." + e.getKey(), Long.toString(e.getValue().asLong())));
        d.path("channels")
                .fields()
                .forEachRemaining(e -> f.put(
                        "channels." + e.getKey(),
                        e.getValue().path("eventCount").asLong() + " "
                                + instant(e.getValue().path("firstSeen").asText()) + " "
                                + instant(e.getValue().path("lastSeen").asText())));
        f.put("orders.count", Long.toString(d.path("orders").path("count").asLong()));
        d.path("orders")
                .path("revenue")
                .fields()
                .forEachRemaining(e -> f.put(
                        "orders.revenue." + e.getKey(),
                        plain(e.getValue().decimalValue().toString())));
        f.put("firstSeen", instant(d.path("firstSeen").asText()));
        f.put("lastSeen", instant(d.path("lastSeen").asText()));
        if (d.has("mergedFrom")) {
            List<String> merged = new ArrayList<>();
            d.path("mergedFrom").forEach(v -> merged.add(v.asText()));
            f.put("mergedFrom", new TreeSet<>(merged).toString());
        }
        return f;
    }

    private static SortedMap<String, String> recordFields(CustomerProfile r) {
        SortedMap<String, String> f = new TreeMap<>();
        f.put("customerId", r.getCustomerId());
        r.getIdentities().forEach((type, values) -> {
            if (!values.isEmpty()) {
                f.put("identities." + type, new TreeSet<>(values).toString());
            }
        });
        f.put("eventCount", Long.toString(r.getEventCount()));
        r.getEvents().forEach((name, n) -> f.put("events." + name, Long.toString(n)));
        for (Map.Entry<String, ChannelStats> channel : r.getChannels().entrySet()) {
            ChannelStats s = channel.getValue();
            f.put("channels." + channel.getKey(), s.getEventCount() + " " + s.getFirstSeen() + " " + s.getLastSeen());
        }
        f.put("orders.count", Long.toString(r.getOrders().getCount()));
        r.getOrders().getRevenue().forEach((currency, sum) -> f.put("orders.revenue." + currency, sum));
        f.put("firstSeen", r.getFirstSeen().toString());
        f.put("lastSeen", r.getLastSeen().toString());
        f.put("mergedFrom", new TreeSet<>(r.getMergedFrom()).toString());
        return f;
    }

    private static void diff(
            List<String> problems,
            String where,
            ExpectedCustomer customer,
            SortedMap<String, String> expected,
            SortedMap<String, String> actual) {
        if (!actual.containsKey("mergedFrom")) {
            expected.remove("mergedFrom");
        }
        Set<String> fields = new TreeSet<>(expected.keySet());
        fields.addAll(actual.keySet());
        List<String> wrong = new ArrayList<>();
        for (String field : fields) {
            String want = expected.get(field);
            String got = actual.get(field);
            if (want == null ? got != null : !want.equals(got)) {
                wrong.add(field + " expected " + want + " but was " + got);
            }
        }
        if (!wrong.isEmpty()) {
            problems.add(where + " — " + describe(customer) + ": " + String.join("; ", wrong));
        }
    }

    private static void assertNoProblems(String what, List<String> problems) {
        assertThat(problems)
                .as(
                        "%s: %d problems, first %d:%n  %s",
                        what,
                        problems.size(),
                        Math.min(REPORTED, problems.size()),
                        String.join("\n  ", problems.subList(0, Math.min(REPORTED, problems.size()))))
                .isEmpty();
    }

    private static String describe(ExpectedCustomer customer) {
        return customer.customerId() + " (" + customer.description() + ")";
    }

    private static String plain(String decimal) {
        return new BigDecimal(decimal).stripTrailingZeros().toPlainString();
    }

    private static String instant(String text) {
        return text.isEmpty() ? "" : Instant.parse(text).toString();
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(HTTP_TIMEOUT)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
