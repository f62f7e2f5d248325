package io.cxflow.bench.analytics;

import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.AnalyticsService;
import io.cxflow.analytics.reset.ApplicationReset;
import io.cxflow.avro.CustomerProfile;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.bench.BenchFlags;
import io.cxflow.bench.Machine;
import io.cxflow.bench.kafka.GroupOffsets;
import io.cxflow.collector.message.MessageType;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
import io.cxflow.platform.config.ConfigSource;
import io.cxflow.platform.kafka.EmbeddedKafka;
import io.cxflow.platform.kafka.KafkaSettings;
import io.cxflow.platform.kafka.TopicAdmin;
import io.cxflow.platform.registry.EmbeddedRegistry;
import io.cxflow.platform.serde.RegistrySerdes;
import io.cxflow.schemas.Topic;
import io.cxflow.schemas.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The analytics benchmark: in one run, on one machine, it starts a real broker and schema registry, produces a
 * realistic omnichannel population's events to {@code cx.events.v1} once, then measures how fast a minimal Kafka
 * Streams aggregation (the baseline) and the whole cxflow analytics application process all of them
 * (exactly_once_v2, same thread count; from start until the group's committed offsets reach the end offsets of
 * the input and of every repartition topic), what cxflow's state costs per profile, and how long a rebuild of
 * every profile from the log takes. See {@code bench/README.md}; run it with {@code bench/run analytics}.
 */
public final class AnalyticsBench {

    private static final String HOST = "127.0.0.1";
    private static final String BASELINE_ID = "bench-baseline";
    private static final String CXFLOW_ID = "bench-analytics";
    private static final double TARGET_SHARE = 0.40;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration LOAD_DELIVERY_TIMEOUT = Duration.ofMinutes(5);

    /** The segments cxflow evaluates on every profile change: the default one and two typical others. */
    private static final Map<String, String> SEGMENTS = new LinkedHashMap<>();

    static {
        SEGMENTS.put("engaged", AnalyticsConfig.ENGAGED_DEFAULT_CONDITION);
        SEGMENTS.put("high-value", "profile.orders.count >= 2");
        SEGMENTS.put("multichannel", "size(profile.channels) >= 2");
    }

    /**
     * One measured run.
     *
     * @param name the scenario
     * @param events input events processed
     * @param outcome when it finished
     * @param note what the reader needs to read the numbers right
     */
    record Run(
            String name, long events, CompletionWatch.Outcome outcome, String note, long cpuNanos, String threadTime) {
        double eventsPerSecond() {
            return events / outcome.seconds();
        }

        /** CPU of the Streams client's threads per input event, in microseconds (-1: not measured). */
        double cpuMicrosPerEvent() {
            return cpuNanos < 0 ? -1 : cpuNanos / 1_000.0 / events;
        }
    }

    private final AnalyticsBenchOptions options;
    private final PrintStream out;
    private final List<Run> runs = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> stateLines = new ArrayList<>();
    private final List<String> checks = new ArrayList<>();
    /** cx.profiles.v1 after the first cxflow run. */
    private StateCost.Latest profiles;

    private AnalyticsBench(AnalyticsBenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        BenchFlags.launch(
                args,
                "bench/run analytics [flags]",
                AnalyticsBenchOptions::help,
                AnalyticsBenchOptions::parse,
                options -> new AnalyticsBench(options, System.out).run());
    }

    /** Runs every selected scenario; false when one failed or a check found a problem. */
    boolean run() {
        long started = System.nanoTime();
        printMachine();
        Path dataDir = options.dataDir();
        boolean temporary = dataDir == null;
        try {
            if (temporary) {
                dataDir = Files.createTempDirectory("cx-bench-analytics-");
            }
            runIn(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            StringBuilder why = new StringBuilder(String.valueOf(e));
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                why.append("\n  caused by ").append(c);
            }
            problems.add(why.toString());
        } finally {
            if (temporary && dataDir != null) {
                Machine.deleteTree(dataDir);
            }
            printTable();
            for (String c : checks) {
                out.println(c);
            }
            for (String p : problems) {
                out.println("PROBLEM: " + p);
            }
            out.printf("total run time %.0f s%n", (System.nanoTime() - started) / 1e9);
        }
        return problems.isEmpty();
    }

    private void runIn(Path dataDir) {
        step("starting Kafka and the schema registry (data in " + dataDir + ")");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(
                        new EmbeddedKafka.Settings(dataDir.resolve("kafka"), HOST, 0, 0, Map.of()));
                EmbeddedRegistry registry =
                        EmbeddedRegistry.start(EmbeddedRegistry.Settings.ephemeral(dataDir.resolve("registry.log")));
                RegistrySerdes registrySerdes = RegistrySerdes.forUrl(registry.url())) {
            CommonConfig common = new CommonConfig(
                    CommonConfig.Profile.LOCAL,
                    kafka.bootstrapServers(),
                    registry.url(),
                    "",
                    CommonConfig.DEV_ADMIN_TOKEN);
            PlatformContext platform = PlatformContext.connect(common, registrySerdes, "cx");
            KafkaSettings settings = platform.kafka();
            Topics topics = platform.topics();
            Topic<String, TouchpointEvent> events = topics.events();
            try (Admin admin = Admin.create(settings.admin("bench-analytics"));
                    KafkaConsumer<byte[], byte[]> probe = new KafkaConsumer<>(
                            settings.consumer(
                                    "bench-marker-probe",
                                    null,
                                    Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")),
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer())) {
                TopicAdmin.ApplyReport report = TopicAdmin.apply(admin, Topics.ALL, "");
                step("topic catalog applied: " + report.created().size() + " topics created; " + events.name() + " has "
                        + GroupOffsets.partitions(admin, List.of(events.name()))
                                .get(events.name())
                                .size() + " partitions");

                EventLoader.Loaded loaded = load(settings, events);
                Map<TopicPartition, Long> inputEnds = GroupOffsets.endOffsets(
                        admin,
                        GroupOffsets.partitions(admin, List.of(events.name())).get(events.name()));
                long onTopic =
                        inputEnds.values().stream().mapToLong(Long::longValue).sum();
                if (onTopic != options.events()) {
                    problems.add(events.name() + " holds " + onTopic + " records, not the " + options.events()
                            + " produced");
                    return;
                }

                Run baseline = null;
                if (options.runs(AnalyticsBenchOptions.BASELINE)) {
                    baseline = runBaseline(settings, events, admin, probe, inputEnds, dataDir.resolve("state"));
                    record(baseline);
                    Map<String, Long> disk =
                            StateCost.diskBytesByStore(dataDir.resolve("state").resolve(BASELINE_ID));
                    long total = sum(disk);
                    stateLines.add(String.format(
                            "baseline: %,d keys (routing ids); RocksDB state dir %s = %.0f B per key",
                            loaded.keys(), bytes(total), (double) total / loaded.keys()));
                }
                if (options.runs(AnalyticsBenchOptions.CXFLOW) || options.runs(AnalyticsBenchOptions.REBUILD)) {
                    Run cxflow = runCxflow(
                            "cxflow analytics",
                            CXFLOW_ID,
                            platform,
                            admin,
                            probe,
                            inputEnds,
                            dataDir.resolve("state"),
                            true,
                            "full AnalyticsService (dedupe, profiles, " + SEGMENTS.size() + " segments)");
                    record(cxflow);
                    if (options.runs(AnalyticsBenchOptions.REBUILD)) {
                        String profilesTopic = topics.profiles().name();
                        Map<TopicPartition, Long> before = StateCost.endOffsets(settings, profilesTopic);
                        long resetStart = System.nanoTime();
                        ApplicationReset.Summary reset =
                                new ApplicationReset(admin).reset(CXFLOW_ID, dataDir.resolve("state"));
                        double resetSeconds = (System.nanoTime() - resetStart) / 1e9;
                        step(String.format(
                                "ApplicationReset of %s in %.1f s: group %s, %d internal topics deleted, state folder %s",
                                CXFLOW_ID,
                                resetSeconds,
                                reset.groupDeleted() ? "deleted" : "absent",
                                reset.deletedTopics().size(),
                                reset.stateDirRemoved() ? "deleted" : "absent"));
                        Run rebuild = runCxflow(
                                "rebuild after ApplicationReset",
                                CXFLOW_ID,
                                platform,
                                admin,
                                probe,
                                inputEnds,
                                dataDir.resolve("state"),
                                false,
                                String.format(
                                        "every profile rebuilt from offset 0 after ApplicationReset (group, %d"
                                                + " internal topics and the state folder deleted in %.1f s, not"
                                                + " counted)",
                                        reset.deletedTopics().size(), resetSeconds));
                        record(rebuild);
                        compareRebuild(StateCost.latest(settings, profilesTopic, before), topics.profiles());
                    }
                }
                checkRejected(settings, topics);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ load

    private EventLoader.Loaded load(KafkaSettings settings, Topic<String, TouchpointEvent> events) {
        Instant end = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Population population =
                new Population(options.seed(), options.customers(), options.identifiedShare(), options.events(), end);
        step(String.format(
                "population: %,d people with %,d devices, %.0f%% identify; producing %,d events (%s of event time"
                        + " before %s) with the collector's producer settings and registry serde ...",
                options.customers(),
                population.devices(),
                100 * options.identifiedShare(),
                options.events(),
                Population.SPAN.toDays() + " days",
                end));
        EventLoader.Loaded loaded;
        try (KafkaProducer<String, TouchpointEvent> producer = new KafkaProducer<>(
                // the collector's settings with a longer delivery timeout: loading is not measured, and a machine
                // busy with other work must not fail it
                settings.producer("bench-load", LOAD_DELIVERY_TIMEOUT, Map.of()),
                events.keySerde().serializer(),
                events.valueSerde().serializer())) {
            loaded = EventLoader.load(producer, events.name(), population, options.events());
        }
        Map<MessageType, Long> byType = new TreeMap<>(population.byType());
        step(String.format(
                "produced %,d events in %.1f s (%,.0f/s incl. generation), Avro %.0f B mean; %,d distinct keys;"
                        + " %.1f%% carry a userId; %,d people identified; by type %s",
                loaded.events(),
                loaded.seconds(),
                loaded.events() / loaded.seconds(),
                (double) loaded.valueBytes() / loaded.events(),
                loaded.keys(),
                100.0 * population.keyedByUserId() / loaded.events(),
                population.identifiedPeople(),
                byType.entrySet().stream()
                        .map(e -> e.getKey().name().toLowerCase(Locale.ROOT) + " " + e.getValue())
                        .collect(Collectors.joining(", "))));
        return loaded;
    }

    // ------------------------------------------------------------------------------------------ runs

    private Run runBaseline(
            KafkaSettings settings,
            Topic<String, TouchpointEvent> events,
            Admin admin,
            KafkaConsumer<byte[], byte[]> probe,
            Map<TopicPartition, Long> inputEnds,
            Path stateDir) {
        Map<String, Object> config = settings.streams(
                BASELINE_ID, stateDir, Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, options.threads()));
        step("baseline: stream(events).groupByKey().aggregate(count + last timestamp) into RocksDB, exactly_once_v2,"
                + " commit " + config.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG) + " ms, " + options.threads()
                + " thread(s) ...");
        KafkaStreams streams = new KafkaStreams(BaselineTopology.build(events), new StreamsConfig(config));
        StreamThreadCpu cpu = StreamThreadCpu.start();
        StreamThreadTime time = StreamThreadTime.start(settings.clientId(BASELINE_ID));
        long start = System.nanoTime();
        streams.start();
        try (time) {
            CompletionWatch.Outcome outcome = new CompletionWatch(admin, probe, BASELINE_ID, inputEnds)
                    .await(start, streams::state, options.timeout());
            return new Run(
                    "baseline groupByKey().aggregate()",
                    options.events(),
                    outcome,
                    "count + last timestamp per routing id, registry deserializer, persistent store",
                    cpu.elapsedNanos(),
                    time.summary());
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
        }
    }

    private Run runCxflow(
            String name,
            String applicationId,
            PlatformContext platform,
            Admin admin,
            KafkaConsumer<byte[], byte[]> probe,
            Map<TopicPartition, Long> inputEnds,
            Path stateDir,
            boolean measureState,
            String note) {
        Map<String, String> values = new HashMap<>();
        values.put("analytics.port", "0");
        values.put("analytics.application-id", applicationId);
        values.put("analytics.state-dir", stateDir.toString());
        values.put("analytics.stream-threads", Integer.toString(options.threads()));
        values.put("analytics.segments", String.join(",", SEGMENTS.keySet()));
        SEGMENTS.forEach((id, condition) -> values.put("analytics.segment." + id + ".condition", condition));
        AnalyticsConfig config = AnalyticsConfig.from(ConfigSource.of(values));
        step(name + ": AnalyticsService, exactly_once_v2, " + options.threads() + " thread(s), segments " + SEGMENTS
                + " ...");
        Run run;
        StreamThreadCpu cpu = StreamThreadCpu.start();
        long start = System.nanoTime();
        try (StreamThreadTime time = StreamThreadTime.start(platform.kafka().clientId(applicationId));
                AnalyticsService analytics = AnalyticsService.start(config, platform)) {
            CompletionWatch.Outcome outcome = new CompletionWatch(admin, probe, applicationId, inputEnds)
                    .await(start, analytics::streamsState, options.timeout());
            String watched = outcome.repartitionTopics().isEmpty()
                    ? "no repartition topic"
                    : "repartition topics " + outcome.repartitionTopics();
            run = new Run(name, options.events(), outcome, note + "; " + watched, cpu.elapsedNanos(), time.summary());
            if (measureState) {
                measureProfiles(platform);
            }
        }
        if (measureState) {
            measureState(admin, applicationId, stateDir.resolve(applicationId));
        }
        return run;
    }

    // ------------------------------------------------------------------------------------------ state

    private void measureProfiles(PlatformContext platform) {
        Topic<String, CustomerProfile> topic = platform.topics().profiles();
        profiles = StateCost.latest(platform.kafka(), topic.name());
        stateLines.add(String.format(
                "cxflow: %,d profiles (keys with a latest value on %s, %,d records read); mean serialized"
                        + " CustomerProfile %.0f B",
                profiles.keys(), topic.name(), profiles.records(), profiles.meanBytes()));
        // every accepted event counts once in exactly one live profile (merged profiles add their parts up)
        Deserializer<CustomerProfile> deserializer = topic.valueSerde().deserializer();
        long counted = 0;
        for (byte[] value : profiles.values().values()) {
            counted += deserializer.deserialize(topic.name(), value).getEventCount();
        }
        if (counted == options.events()) {
            checks.add(String.format(
                    "OK: the eventCounts of the %,d profiles add up to the %,d events", profiles.keys(), counted));
        } else {
            problems.add(String.format(
                    "the eventCounts of the %,d profiles on %s add up to %,d, not to the %,d events produced",
                    profiles.keys(), topic.name(), counted, options.events()));
        }
    }

    /** Invariant 3: rebuilding from offset 0 gives byte-identical profiles. */
    private void compareRebuild(StateCost.Latest rebuilt, Topic<String, CustomerProfile> topic) {
        if (profiles == null) {
            return;
        }
        Set<String> keys = new TreeSet<>(profiles.values().keySet());
        keys.addAll(rebuilt.values().keySet());
        int missing = 0;
        int extra = 0;
        int different = 0;
        int orderOnly = 0;
        String example = null;
        Map<String, Integer> fields = new TreeMap<>();
        Deserializer<CustomerProfile> deserializer = topic.valueSerde().deserializer();
        for (String key : keys) {
            byte[] live = profiles.values().get(key);
            byte[] again = rebuilt.values().get(key);
            if (again == null) {
                missing++;
            } else if (live == null) {
                extra++;
            } else if (!Arrays.equals(live, again)) {
                CustomerProfile a = deserializer.deserialize(topic.name(), live);
                CustomerProfile b = deserializer.deserialize(topic.name(), again);
                if (a.equals(b)) {
                    // equal once decoded: the same map entries, written in another order
                    orderOnly++;
                } else {
                    different++;
                    for (Schema.Field f : CustomerProfile.getClassSchema().getFields()) {
                        if (!Objects.equals(a.get(f.pos()), b.get(f.pos()))) {
                            fields.merge(f.name(), 1, Integer::sum);
                        }
                    }
                }
            } else {
                continue;
            }
            if (example == null) {
                example = key + " " + firstDifference(live, again);
            }
        }
        if (missing + extra + different + orderOnly == 0) {
            checks.add(String.format(
                    "OK: the rebuild wrote the same %,d profiles, byte for byte, as the first run (latest value per"
                            + " key on %s)",
                    rebuilt.keys(), topic.name()));
        } else {
            problems.add(String.format(
                    "the rebuild's profiles are not byte-identical to the first run's on %s (%,d profiles): %,d"
                            + " missing, %,d extra, %,d with other content (by field: %s), %,d equal once decoded"
                            + " but with map entries in another order; e.g. %s",
                    topic.name(), keys.size(), missing, extra, different, fields, orderOnly, example));
        }
    }

    private void measureState(Admin admin, String applicationId, Path appStateDir) {
        Map<String, Long> disk = StateCost.diskBytesByStore(appStateDir);
        long total = sum(disk);
        long keys = profiles == null ? 0 : profiles.keys();
        stateLines.add(String.format(
                "cxflow: RocksDB state dir %s after close = %s per profile; by store: %s",
                bytes(total), keys == 0 ? "-" : String.format("%,.0f B", (double) total / keys), describe(disk, keys)));
        Map<String, Long> changelogs =
                StateCost.topicBytes(admin, t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog"));
        long changelogTotal = sum(changelogs);
        stateLines.add(String.format(
                "cxflow: changelog topics %s on the broker (before compaction) = %s per profile; %s",
                bytes(changelogTotal),
                keys == 0 ? "-" : String.format("%,.0f B", (double) changelogTotal / keys),
                describe(changelogs, keys)));
        Map<String, Long> others = StateCost.topicBytes(
                admin, t -> t.startsWith("cx.") || (t.startsWith(applicationId + "-") && t.endsWith("-repartition")));
        others.values().removeIf(v -> v == 0);
        stateLines.add("topics on the broker after the cxflow run: " + describe(others, 0));
    }

    private void checkRejected(KafkaSettings settings, Topics topics) {
        StateCost.Latest rejected = StateCost.latest(settings, topics.rejected().name());
        if (rejected.records() > 0) {
            problems.add(rejected.records() + " events were rejected on "
                    + topics.rejected().name() + " (the generated events should all be accepted)");
        } else {
            checks.add("OK: no event rejected (" + topics.rejected().name() + " is empty)");
        }
    }

    /** Where two values first differ, for the report: lengths, offset and the bytes there. */
    private static String firstDifference(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return a == null ? "(absent in the first run)" : "(absent in the rebuild)";
        }
        int i = Arrays.mismatch(a, b);
        return String.format(
                "%d vs %d bytes, first difference at byte %d: %s vs %s", a.length, b.length, i, hex(a, i), hex(b, i));
    }

    /** Up to 12 bytes from {@code from}: printable ASCII as is, others as {@code \\xNN}. */
    private static String hex(byte[] bytes, int from) {
        StringBuilder sb = new StringBuilder("'");
        for (int i = Math.max(0, from); i < Math.min(bytes.length, from + 12); i++) {
            int b = bytes[i] & 0xff;
            sb.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b));
        }
        return sb.append("'").toString();
    }

    // ------------------------------------------------------------------------------------------ report

    private void record(Run r) {
        runs.add(r);
        out.printf(
                "  -> %,d events in %.1f s = %,.0f events/s (RUNNING after %.1f s); load average now %s%n",
                r.events(),
                r.outcome().seconds(),
                r.eventsPerSecond(),
                r.outcome().runningSeconds(),
                Machine.loadAverage());
        out.println("     input events committed per second: " + r.outcome().timeline());
    }

    private void printTable() {
        if (runs.isEmpty()) {
            return;
        }
        Run baseline = runs.stream()
                .filter(r -> r.name().startsWith("baseline"))
                .findFirst()
                .orElse(null);
        out.println();
        String format = "%-36s %11s %9s %11s %10s %10s %10s%n";
        out.printf(format, "scenario", "events", "seconds", "events/s", "% baseline", "CPU us/ev", "% CPU");
        out.println("-".repeat(103));
        for (Run r : runs) {
            out.printf(
                    format,
                    r.name(),
                    String.format("%,d", r.events()),
                    String.format("%.1f", r.outcome().seconds()),
                    String.format("%,.0f", r.eventsPerSecond()),
                    baseline == null || r == baseline
                            ? ""
                            : String.format("%.1f%%", 100 * r.eventsPerSecond() / baseline.eventsPerSecond()),
                    r.cpuMicrosPerEvent() < 0 ? "n/a" : String.format("%.1f", r.cpuMicrosPerEvent()),
                    baseline == null || r == baseline || r.cpuMicrosPerEvent() <= 0 || baseline.cpuMicrosPerEvent() <= 0
                            ? ""
                            : String.format("%.1f%%", 100 * baseline.cpuMicrosPerEvent() / r.cpuMicrosPerEvent()));
        }
        out.println("  CPU us/ev: CPU time of the Streams client's threads (stream threads and their clients' network"
                + " threads, not the broker) per input event; % CPU: the baseline's CPU per event as a share of the"
                + " scenario's — events/s at equal CPU, hardly affected by other load on the machine");
        out.println();
        for (Run r : runs) {
            out.printf(
                    "  %s: %s; seconds from start() to committed == end offsets, RUNNING after %.1f s, input"
                            + " committed after %.1f s; stream threads' time: %s%n",
                    r.name(),
                    r.note(),
                    r.outcome().runningSeconds(),
                    r.outcome().inputSeconds(),
                    r.threadTime());
        }
        for (String line : stateLines) {
            out.println("  " + line);
        }
        Run cxflow = runs.stream()
                .filter(r -> r.name().startsWith("cxflow"))
                .findFirst()
                .orElse(null);
        if (baseline != null && cxflow != null) {
            double share = cxflow.eventsPerSecond() / baseline.eventsPerSecond();
            out.printf(
                    "target (cxflow >= %.0f%% of the baseline's events/s): %.1f%% %s%n",
                    100 * TARGET_SHARE, 100 * share, share >= TARGET_SHARE ? "MET" : "MISSED");
        }
        out.println();
    }

    private void printMachine() {
        out.println(Machine.header("analytics", Machine.loadAverage()));
        out.println("broker, registry, producer and Streams applications share these cores: read the numbers"
                + " together.");
    }

    private void step(String message) {
        out.println("* " + message);
    }

    private static String describe(Map<String, Long> bytesByName, long perUnit) {
        return bytesByName.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .map(e -> e.getKey() + " " + bytes(e.getValue())
                        + (perUnit > 0 ? String.format(" (%,.0f B/profile)", (double) e.getValue() / perUnit) : ""))
                .collect(Collectors.joining(", "));
    }

    private static String bytes(long b) {
        return b >= 10L << 20 ? String.format("%,.0f MB", b / 1048576.0) : String.format("%,.1f KB", b / 1024.0);
    }

    private static long sum(Map<String, Long> m) {
        return m.values().stream().mapToLong(Long::longValue).sum();
    }
}
