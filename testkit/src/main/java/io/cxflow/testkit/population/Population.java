package io.cxflow.testkit.population;

import io.cxflow.avro.EventType;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.testkit.TestPlatform.KeyValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A generated omnichannel population: the events of {@code persons} people in the order the collector
 * appended them to {@code cx.events.v1}, and the customers the identity rules must build from them.
 *
 * <p>Persons browse on web and app devices (anonymously first), log in with a userId and an email and/or
 * a phone typed in varied spellings ({@code "+39 333 123 4567"}, {@code "0039 333 1234567"}, {@code
 * " Anna.Rossi7@Example.com"}), add consent traits, view and add products, complete orders in EUR, USD,
 * GBP and CHF (or without a currency) as numbers or numeric strings, open marketing emails, buy in stores
 * and call the call center — those touchpoints only know an email or phone in {@code context.traits} and
 * send the store till's or the agent desk's anonymousId. Some persons never log in (each of their devices
 * is a customer of its own), some only leave an email (a newsletter sign-up).
 *
 * <p>Hazards (see {@link #traps()}): repeated deliveries of the same record; events received hours or
 * days after they happened; a person who changes userId ({@code alias}, arriving after events that use the
 * new id); family computers several persons log in on, one of them with the winner's links arriving last;
 * store tills and call-center desks shared by several customers; and CRM imports that put one person's
 * email on another person's userId, one of them arriving before the owner's own link.
 *
 * <pre>{@code
 * Population population = Population.generate(42L, 300, Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(90)));
 * platform.produce(platform.topics().events(), population.keyValues());
 * for (ExpectedCustomer customer : population.expected().customers()) { ... }
 * }</pre>
 *
 * The same seed, size and start always give the same log, byte for byte.
 */
public final class Population {

    /** The seed of {@link #defaults()}. */
    public static final long DEFAULT_SEED = 20261120L;
    /** Several hundred persons: about 300 customers and 8,000 events. */
    public static final int DEFAULT_PERSONS = 300;
    /**
     * Persons start within 14 days after this; the log spans about seven weeks. A broker refuses records
     * stamped more than {@code log.message.timestamp.after.max.ms} (1 hour by default) in the future, and
     * a topology that writes event time as record time forwards these times: a log that must run through
     * a broker should start well in the past (see {@link #latestReceivedAt()}).
     */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-05T08:00:00Z");
    /** The product's default {@code analytics.default-currency}: the currency of orders without one. */
    public static final String DEFAULT_CURRENCY = "EUR";
    /** The smallest population with room for every trap. */
    public static final int MIN_PERSONS = 20;

    private final long seed;
    private final int persons;
    private final Instant start;
    private final List<LogRecord> log;
    private final ExpectedResult expected;
    private final Traps traps;

    private Population(long seed, int persons, Instant start) {
        this.seed = seed;
        this.persons = persons;
        this.start = start;
        Generator generator = new Generator(seed, persons, start.toEpochMilli(), DEFAULT_CURRENCY);
        generator.generate();
        List<Generator.Entry> entries = generator.log();
        List<LogRecord> records = new ArrayList<>(entries.size());
        for (Generator.Entry entry : entries) {
            records.add(new LogRecord(entry.draft().kafkaKey(), entry.event(), entry.redelivery()));
        }
        this.log = List.copyOf(records);
        ExpectedBuilder builder = new ExpectedBuilder(generator, entries, DEFAULT_CURRENCY);
        this.expected = builder.result;
        this.traps = traps(generator, builder, records);
    }

    /**
     * Generates a population.
     *
     * @param seed the seed of every random choice
     * @param persons how many persons (at least {@link #MIN_PERSONS})
     * @param start persons start within 14 days after this instant
     * @throws IllegalArgumentException when {@code persons} is too small for the traps
     */
    public static Population generate(long seed, int persons, Instant start) {
        Objects.requireNonNull(start, "start");
        return new Population(seed, persons, start);
    }

    /** {@link #generate(long, int, Instant)} with {@link #DEFAULT_PERSONS} and {@link #DEFAULT_START}. */
    public static Population generate(long seed) {
        return generate(seed, DEFAULT_PERSONS, DEFAULT_START);
    }

    /** The population of {@link #DEFAULT_SEED}, {@link #DEFAULT_PERSONS} and {@link #DEFAULT_START}. */
    public static Population defaults() {
        return generate(DEFAULT_SEED);
    }

    public long seed() {
        return seed;
    }

    public int persons() {
        return persons;
    }

    public Instant start() {
        return start;
    }

    /** The records in log order, redelivered copies included. */
    public List<LogRecord> log() {
        return log;
    }

    /** The log as key/value pairs for {@code TestPlatform.produce}. */
    public List<KeyValue<TouchpointEvent>> keyValues() {
        List<KeyValue<TouchpointEvent>> out = new ArrayList<>(log.size());
        for (LogRecord record : log) {
            out.add(KeyValue.of(record.key(), record.event()));
        }
        return out;
    }

    /** The customers the identity rules must build. */
    public ExpectedResult expected() {
        return expected;
    }

    /** The hazards planted in the log. */
    public Traps traps() {
        return traps;
    }

    /** The latest {@code receivedAt} of the log: every event time and receipt time is at or before it. */
    public Instant latestReceivedAt() {
        Instant latest = start;
        for (LogRecord record : log) {
            if (record.event().getReceivedAt().isAfter(latest)) {
                latest = record.event().getReceivedAt();
            }
        }
        return latest;
    }

    /** One line for test logs: sizes and trap counts. */
    public String summary() {
        return String.format(
                "population seed %d: %d persons from %s to %s, %d records (%d distinct events, %d redeliveries, %d late),"
                        + " %d customers, %d shared devices, %d bad imports, %d aliases",
                seed,
                persons,
                start,
                latestReceivedAt(),
                log.size(),
                expected.uniqueEvents(),
                traps.redeliveries(),
                traps.lateEvents(),
                expected.customers().size(),
                traps.sharedDevices().size(),
                traps.badImports().size(),
                traps.aliases().size());
    }

    private static Traps traps(Generator generator, ExpectedBuilder builder, List<LogRecord> records) {
        List<Traps.SharedDevice> shared = new ArrayList<>();
        for (Map.Entry<Device, Draft> won : builder.winningLinks.entrySet()) {
            Device device = won.getKey();
            Person winner = won.getValue().actor;
            Set<Person> losers = new LinkedHashSet<>();
            long winnerFirstArrival = Long.MAX_VALUE;
            long losersLastArrival = Long.MIN_VALUE;
            for (Draft link :
                    device.claims.stream().sorted(ExpectedBuilder.ORDER_KEY).toList()) {
                if (link.actor == winner) {
                    winnerFirstArrival = Math.min(winnerFirstArrival, link.receivedAt());
                } else {
                    losers.add(link.actor);
                    losersLastArrival = Math.max(losersLastArrival, link.receivedAt());
                }
            }
            if (losers.isEmpty()) {
                continue;
            }
            List<String> loserIds = new ArrayList<>();
            for (Person p : losers) {
                loserIds.add(p.userId);
            }
            boolean winnerLast = winnerFirstArrival > losersLastArrival;
            if (device == generator.lateWinnerDevice && !winnerLast) {
                throw new IllegalStateException("the winner's links to " + device.anonymousId + " do not arrive last");
            }
            shared.add(
                    new Traps.SharedDevice(device.anonymousId, device.sharedKind, winner.userId, loserIds, winnerLast));
        }
        if (generator.lateWinnerDevice != null
                && shared.stream().noneMatch(s -> s.anonymousId().equals(generator.lateWinnerDevice.anonymousId))) {
            throw new IllegalStateException("the family computer trap has a single user");
        }

        List<Traps.BadImport> imports = new ArrayList<>();
        for (Generator.ImportTrap trap : generator.imports) {
            boolean first = trap.draft().receivedAt() < trap.owner().anchor.receivedAt();
            if (trap.meantToArriveFirst() && !first) {
                throw new IllegalStateException("the bad import " + trap.draft().messageId + " does not arrive first");
            }
            imports.add(new Traps.BadImport(
                    trap.owner().email, trap.owner().userId, trap.draft().userId, trap.draft().messageId, first));
        }

        List<Traps.Alias> aliases = new ArrayList<>();
        for (Person p : generator.aliasPersons) {
            Draft alias = null;
            long firstNew = Long.MAX_VALUE;
            for (Draft d : generator.drafts) {
                if (d.actor == p && d.type == EventType.ALIAS) {
                    alias = d;
                } else if (p.newUserId.equals(d.userId)) {
                    firstNew = Math.min(firstNew, d.receivedAt());
                }
            }
            if (alias == null) {
                throw new IllegalStateException(p.describe() + " has no alias event");
            }
            boolean late = firstNew < alias.receivedAt();
            if (alias == generator.lateAlias && !late) {
                throw new IllegalStateException("the late alias of " + p.describe() + " does not arrive late");
            }
            aliases.add(new Traps.Alias(p.userId, p.newUserId, late));
        }

        int redeliveries = 0;
        for (LogRecord record : records) {
            if (record.redelivery()) {
                redeliveries++;
            }
        }
        int late = 0;
        for (Draft d : generator.drafts) {
            if (d.delay >= LogRecord.LATE.toMillis()) {
                late++;
            }
        }
        return new Traps(shared, imports, aliases, redeliveries, late, generator.crossSourceMessageIds);
    }
}
