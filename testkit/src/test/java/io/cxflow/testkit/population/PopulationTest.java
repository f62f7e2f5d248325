package io.cxflow.testkit.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cxflow.avro.EventType;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.schemas.json.JsonText;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PopulationTest {

    private static final Instant START = Instant.parse("2026-03-02T08:00:00Z");
    private static final Set<String> KNOWN_CHANNELS =
            Set.of("web", "mobile", "pos", "email", "call_center", "ads", "social", "server");

    private static final Population population = Population.defaults();

    @Test
    void shouldGenerateTheSameLogAndExpectationForTheSameSeed() {
        Population first = Population.generate(7L, 120, START);
        Population second = Population.generate(7L, 120, START);
        Population other = Population.generate(8L, 120, START);

        assertThat(second.log()).isEqualTo(first.log());
        assertThat(second.expected().customers()).isEqualTo(first.expected().customers());
        assertThat(second.traps()).isEqualTo(first.traps());
        assertThat(other.log()).isNotEqualTo(first.log());
    }

    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 3L, 42L, 20261120L})
    void shouldHoldEveryInvariantForManySeeds(long seed) {
        Population p = Population.generate(seed, 200, START);

        assertCountsAddUp(p);
        // callers start the log 90 days back so that no time is in the future
        assertThat(p.latestReceivedAt()).isBefore(START.plus(Duration.ofDays(60)));
        assertThat(p.traps().badImports()).anyMatch(Traps.BadImport::arrivesBeforeOwnerLink);
        assertThat(p.traps().aliases()).anyMatch(Traps.Alias::arrivesLate);
        assertThat(p.traps().sharedDevices())
                .anyMatch(s -> s.kind() == Traps.DeviceKind.FAMILY_COMPUTER && s.winnerLinkArrivesLast());
    }

    @Test
    void shouldHaveSeveralHundredPersonsByDefault() {
        assertThat(population.persons()).isEqualTo(300);
        assertThat(population.expected().customers()).hasSizeGreaterThan(250);
        assertThat(population.expected().uniqueEvents()).isGreaterThan(5_000);
        assertCountsAddUp(population);
    }

    @Test
    void shouldKeyEveryRecordByItsRoutingIdAndSetServerOwnedFieldsAsTheCollector() {
        Set<String> sources = new TreeSet<>();
        Set<String> channels = new TreeSet<>();
        for (LogRecord record : population.log()) {
            TouchpointEvent e = record.event();
            assertThat(record.key()).isEqualTo(e.getUserId() != null ? e.getUserId() : e.getAnonymousId());
            String claimed = e.getContext().getChannel();
            assertThat(e.getChannel())
                    .isEqualTo(claimed != null && KNOWN_CHANNELS.contains(claimed) ? claimed : sourceChannel(e));
            assertThat(e.getTimestamp()).isBeforeOrEqualTo(e.getReceivedAt());
            if (e.getSentAt() != null) {
                // timestamp = receivedAt - (sentAt - originalTimestamp)
                assertThat(e.getReceivedAt().toEpochMilli()
                                - (e.getSentAt().toEpochMilli()
                                        - e.getOriginalTimestamp().toEpochMilli()))
                        .isEqualTo(e.getTimestamp().toEpochMilli());
            }
            String routingKey = e.getUserId() != null ? "userId:" + e.getUserId() : "anonymousId:" + e.getAnonymousId();
            assertThat(population.expected().byIdentifier(routingKey))
                    .as("customer of %s", routingKey)
                    .hasValueSatisfying(c -> assertThat(c.routingIds()).contains(routingKey));
            sources.add(e.getSourceId());
            channels.add(e.getChannel());
        }
        assertThat(channels).contains("web", "mobile", "pos", "email", "call_center", "server");
        assertThat(sources).contains("web", "ios", "android", "esp", "call-center", "backend", "crm-import");
    }

    @Test
    void shouldRedeliverCopiesWithTheSameKeyAndBytesAfterTheOriginal() {
        Map<String, LogRecord> originals = new HashMap<>();
        int copies = 0;
        for (LogRecord record : population.log()) {
            String id = record.event().getSourceId() + "\u0000" + record.event().getMessageId();
            if (record.redelivery()) {
                copies++;
                LogRecord original = originals.get(id);
                assertThat(original).as("original of %s", id).isNotNull();
                assertThat(record.key()).isEqualTo(original.key());
                assertThat(record.event()).isSameAs(original.event());
            } else {
                assertThat(originals.put(id, record))
                        .as("second original of %s", id)
                        .isNull();
            }
        }
        assertThat(copies).isEqualTo(population.traps().redeliveries()).isGreaterThan(50);
        assertThat(population.log())
                .filteredOn(LogRecord::redelivery)
                .anyMatch(r -> r.event().getType() == EventType.IDENTIFY)
                .anyMatch(r -> r.event().getType() == EventType.ALIAS)
                .anyMatch(r -> "Order Completed".equals(r.event().getEvent()))
                .anyMatch(LogRecord::late);
    }

    @Test
    void shouldAppendLateEventsAfterNewerOnes() {
        List<LogRecord> log = population.log();
        long newest = Long.MIN_VALUE;
        int lateAfterNewer = 0;
        for (LogRecord record : log) {
            long ts = record.event().getTimestamp().toEpochMilli();
            if (!record.redelivery() && record.late() && ts < newest - 3_600_000L) {
                lateAfterNewer++;
            }
            newest = Math.max(newest, ts);
        }
        assertThat(population.traps().lateEvents()).isGreaterThan(100);
        assertThat(lateAfterNewer).isGreaterThan(100);
    }

    @Test
    void shouldGiveASharedDeviceOnlyToThePersonWithTheSmallestLink() {
        List<Traps.SharedDevice> shared = population.traps().sharedDevices();
        assertThat(shared)
                .filteredOn(s -> s.kind() == Traps.DeviceKind.FAMILY_COMPUTER)
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(shared)
                .filteredOn(s -> s.kind() == Traps.DeviceKind.STORE_TERMINAL)
                .isNotEmpty();
        assertThat(shared)
                .filteredOn(s -> s.kind() == Traps.DeviceKind.CALL_CENTER_DESK)
                .isNotEmpty();
        assertThat(shared).anyMatch(Traps.SharedDevice::winnerLinkArrivesLast);
        ExpectedResult expected = population.expected();
        for (Traps.SharedDevice device : shared) {
            ExpectedCustomer owner =
                    expected.byIdentifier("anonymousId:" + device.anonymousId()).orElseThrow();
            assertThat(owner.identities().get("userId")).contains(device.winnerUserId());
            for (String loser : device.loserUserIds()) {
                ExpectedCustomer other =
                        expected.byIdentifier("userId:" + loser).orElseThrow();
                assertThat(other.customerId()).isNotEqualTo(owner.customerId());
                assertThat(other.identities().getOrDefault("anonymousId", List.of()))
                        .doesNotContain(device.anonymousId());
            }
        }
        // the loser's login on the family computer still counts for the loser
        Traps.SharedDevice family = shared.stream()
                .filter(s -> s.kind() == Traps.DeviceKind.FAMILY_COMPUTER)
                .findFirst()
                .orElseThrow();
        String loser = family.loserUserIds().get(0);
        assertThat(population.log())
                .anyMatch(r -> loser.equals(r.event().getUserId())
                        && family.anonymousId().equals(r.event().getAnonymousId()));
    }

    @Test
    void shouldRefuseTheBadImportAndLeaveTheEmailWithItsOwner() {
        List<Traps.BadImport> imports = population.traps().badImports();
        assertThat(imports).hasSizeGreaterThanOrEqualTo(2).anyMatch(Traps.BadImport::arrivesBeforeOwnerLink);
        for (Traps.BadImport bad : imports) {
            ExpectedCustomer owner =
                    population.expected().byIdentifier("email:" + bad.email()).orElseThrow();
            ExpectedCustomer importer = population
                    .expected()
                    .byIdentifier("userId:" + bad.importingUserId())
                    .orElseThrow();
            assertThat(owner.identities().get("userId")).contains(bad.ownerUserId());
            assertThat(importer.customerId()).isNotEqualTo(owner.customerId());
            assertThat(importer.identities().getOrDefault("email", List.of())).doesNotContain(bad.email());
            assertThat(population.log())
                    .anyMatch(r -> r.event().getMessageId().equals(bad.messageId())
                            && r.event().getUserId().equals(bad.importingUserId())
                            && r.event().getTraits().toLowerCase(Locale.ROOT).contains(bad.email()));
        }
    }

    @Test
    void shouldKeepAnAliasedPersonAsOneCustomerWithBothUserIds() {
        assertThat(population.traps().aliases()).isNotEmpty().anyMatch(Traps.Alias::arrivesLate);
        for (Traps.Alias alias : population.traps().aliases()) {
            ExpectedCustomer before = population
                    .expected()
                    .byIdentifier("userId:" + alias.previousId())
                    .orElseThrow();
            ExpectedCustomer after = population
                    .expected()
                    .byIdentifier("userId:" + alias.userId())
                    .orElseThrow();
            assertThat(after).isSameAs(before);
            assertThat(before.identities().get("userId")).containsExactly(alias.userId(), alias.previousId());
            String smaller = min(
                    ExpectedCustomerIds.derive("userId:" + alias.previousId()),
                    ExpectedCustomerIds.derive("userId:" + alias.userId()));
            assertThat(before.customerId()).isEqualTo(smaller);
            // alias(userId, previousId) also links anonymousId:<previousId>: a member, not listed
            assertThat(before.members()).contains("anonymousId:" + alias.previousId());
            assertThat(before.identities().getOrDefault("anonymousId", List.of()))
                    .doesNotContain(alias.previousId());
        }
    }

    @Test
    void shouldCountMessageIdsSharedByTwoSourcesTwice() {
        assertThat(population.traps().crossSourceMessageIds()).isNotEmpty();
        for (String messageId : population.traps().crossSourceMessageIds()) {
            Set<String> sources = new TreeSet<>();
            for (LogRecord record : population.log()) {
                if (!record.redelivery() && record.event().getMessageId().equals(messageId)) {
                    sources.add(record.event().getSourceId());
                }
            }
            assertThat(sources).hasSize(2);
        }
    }

    @Test
    void shouldDeriveCustomerIdsLikeTheRule() {
        // sha256 → base32 computed independently (Python's hashlib + base64.b32encode)
        assertThat(ExpectedCustomerIds.derive("userId:u-1")).isEqualTo("cus_pa23ckdjt6cc7ygeuip6y5rvms");
        assertThat(ExpectedCustomerIds.derive("anonymousId:a-1")).isEqualTo("cus_vecafcdc2uxo355cddktds5rdo");
        assertThat(ExpectedCustomerIds.derive("email:ann@example.com")).isEqualTo("cus_gxz3gfyng3ikc6orx6hjz6gpyn");
    }

    @Test
    void shouldExpectTheCustomerIdOfTheSmallestUserIdElseAnonymousIdAndRedirectTheOthers() {
        ExpectedResult expected = population.expected();
        for (ExpectedCustomer c : expected.customers()) {
            String byUser = null;
            String byDevice = null;
            for (String member : c.members()) {
                String id = ExpectedCustomerIds.derive(member);
                if (member.startsWith("userId:")) {
                    byUser = byUser == null ? id : min(byUser, id);
                } else if (member.startsWith("anonymousId:")) {
                    byDevice = byDevice == null ? id : min(byDevice, id);
                }
            }
            assertThat(c.customerId()).isEqualTo(byUser != null ? byUser : byDevice);
            for (String absorbed : c.mergedFrom()) {
                assertThat(expected.redirects()).containsEntry(absorbed, c.customerId());
                assertThat(expected.customer(absorbed)).isEmpty();
            }
            assertThat(c.mergedFrom()).hasSize(c.routingIds().size() - 1);
        }
        assertThat(expected.redirects()).hasSizeGreaterThan(200);
    }

    @Test
    void shouldSpellEveryEmailAndPhoneSoThatItNormalizesToItsIdentifier() {
        SortedSet<String> rawPhones = new TreeSet<>();
        for (Map.Entry<String, SortedSet<String>> entry :
                population.expected().spellings().entrySet()) {
            String key = entry.getKey();
            for (String raw : entry.getValue()) {
                if (key.startsWith("email:")) {
                    assertThat("email:" + raw.trim().toLowerCase(Locale.ROOT)).isEqualTo(key);
                } else {
                    String digits = raw.trim().replaceAll("[\\s().\\-]", "");
                    assertThat("phone:" + (digits.startsWith("00") ? "+" + digits.substring(2) : digits))
                            .isEqualTo(key);
                    rawPhones.add(raw);
                }
            }
            assertThat(population.expected().byIdentifier(key))
                    .as("customer of %s", key)
                    .isPresent();
        }
        assertThat(rawPhones)
                .anyMatch(s -> s.startsWith("00"))
                .anyMatch(s -> s.contains("("))
                .anyMatch(s -> s.contains(" ") && s.startsWith("+"));
    }

    @Test
    void shouldRefuseAPopulationTooSmallForTheTraps() {
        assertThatThrownBy(() -> Population.generate(1L, 5, START))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("persons must be at least 20");
    }

    /**
     * Totals computed straight from the log (not from what the generator recorded) equal the sums over the
     * expected customers.
     */
    private static void assertCountsAddUp(Population p) {
        Set<String> distinct = new HashSet<>();
        long orders = 0;
        Map<String, BigDecimal> revenue = new TreeMap<>();
        Map<String, Long> byName = new TreeMap<>();
        long uncounted = 0;
        for (LogRecord record : p.log()) {
            TouchpointEvent e = record.event();
            if (!distinct.add(e.getSourceId() + "\u0000" + e.getMessageId())) {
                continue;
            }
            switch (e.getType()) {
                case TRACK -> byName.merge(e.getEvent(), 1L, Long::sum);
                case PAGE -> byName.merge("Page Viewed", 1L, Long::sum);
                case SCREEN -> byName.merge("Screen Viewed", 1L, Long::sum);
                default -> uncounted++;
            }
            if (e.getType() == EventType.TRACK && "Order Completed".equals(e.getEvent())) {
                orders++;
                ObjectNode props = JsonText.readObject(e.getProperties());
                JsonNode amount = props.hasNonNull("revenue") ? props.get("revenue") : props.get("total");
                BigDecimal value = amount.isTextual() ? new BigDecimal(amount.asText()) : amount.decimalValue();
                String currency =
                        props.hasNonNull("currency") ? props.get("currency").asText() : Population.DEFAULT_CURRENCY;
                revenue.merge(currency, value, BigDecimal::add);
            }
        }
        assertThat(p.log()).hasSize(distinct.size() + p.traps().redeliveries());
        assertThat(p.expected().uniqueEvents()).isEqualTo(distinct.size());

        long events = 0;
        long expectedOrders = 0;
        Map<String, Long> expectedByName = new TreeMap<>();
        Map<String, BigDecimal> expectedRevenue = new TreeMap<>();
        Set<String> identifierKeys = new HashSet<>();
        for (ExpectedCustomer c : p.expected().customers()) {
            events += c.eventCount();
            expectedOrders += c.orderCount();
            c.events().forEach((name, n) -> expectedByName.merge(name, n, Long::sum));
            c.revenue()
                    .forEach((currency, sum) -> expectedRevenue.merge(currency, new BigDecimal(sum), BigDecimal::add));
            long named = c.events().values().stream().mapToLong(Long::longValue).sum();
            assertThat(named).isLessThanOrEqualTo(c.eventCount());
            assertThat(c.channels().values().stream()
                            .mapToLong(ExpectedCustomer.Channel::eventCount)
                            .sum())
                    .isEqualTo(c.eventCount());
            assertThat(c.events().getOrDefault("Order Completed", 0L)).isEqualTo(c.orderCount());
            for (ExpectedCustomer.Channel channel : c.channels().values()) {
                assertThat(channel.firstSeen()).isAfterOrEqualTo(c.firstSeen());
                assertThat(channel.lastSeen()).isBeforeOrEqualTo(c.lastSeen());
            }
            for (String key : c.identifierKeys()) {
                assertThat(identifierKeys.add(key)).as("%s listed twice", key).isTrue();
                assertThat(p.expected().byIdentifier(key)).containsSame(c);
            }
            assertThat(c.identities().keySet()).isSubsetOf("userId", "anonymousId", "email", "phone");
        }
        assertThat(events).isEqualTo(distinct.size());
        assertThat(expectedOrders).isEqualTo(orders).isPositive();
        assertThat(expectedByName).isEqualTo(byName);
        assertThat(new TreeMap<>(expectedRevenue)).isEqualTo(new TreeMap<>(revenue));
        assertThat(revenue.keySet()).contains("EUR", "USD", "GBP", "CHF");
        assertThat(uncounted).isPositive();
        assertThat(identifierKeys).hasSize(p.expected().identifiers().size());
        List<String> types = new ArrayList<>();
        identifierKeys.forEach(k -> types.add(k.substring(0, k.indexOf(':'))));
        assertThat(types).contains("userId", "anonymousId", "email", "phone");
    }

    private static String sourceChannel(TouchpointEvent e) {
        String source = e.getSourceId();
        if (source.startsWith("pos-")) {
            return "pos";
        }
        return switch (source) {
            case "web" -> "web";
            case "ios", "android" -> "mobile";
            case "esp" -> "email";
            case "call-center" -> "call_center";
            default -> "server";
        };
    }

    private static String min(String a, String b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
