package io.cxflow.bench.segments;

import io.cxflow.analytics.AnalyticsConfig;
import io.cxflow.analytics.AnalyticsService;
import io.cxflow.analytics.segment.SegmentSettings;
import io.cxflow.avro.SegmentDefinition;
import io.cxflow.avro.TouchpointEvent;
import io.cxflow.bench.BenchFlags;
import io.cxflow.bench.Machine;
import io.cxflow.bench.analytics.BaselineTopology;
import io.cxflow.bench.analytics.Population;
import io.cxflow.bench.analytics.SegmentSensors;
import io.cxflow.bench.analytics.StreamThreadCpu;
import io.cxflow.bench.analytics.StreamThreadTime;
import io.cxflow.bench.http.SocketHttpClient;
import io.cxflow.bench.kafka.TopicRecords;
import io.cxflow.bench.load.Latencies;
import io.cxflow.bench.workload.MessageIds;
import io.cxflow.bench.workload.Workload;
import io.cxflow.collector.CollectorConfig;
import io.cxflow.collector.CollectorService;
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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The segment benchmark (issue 6): in one run, on one machine, a real broker and schema registry, the collector
 * and the analytics application in process ({@code exactly_once_v2}, 100 ms commits) with {@value
 * BenchSegments#REALISTIC} realistic segment definitions plus a probe segment; then
 *
 * <ul>
 *   <li><b>latency</b>: an open-loop driver posts realistic events to the collector at fixed rates; a share of
 *       them are probe events of fresh customers, and each probe's latency is from the collector's 200 to the
 *       ENTERED of the probe segment arriving at a consumer of {@code cx.segment-membership.v1};
 *   <li><b>throughput</b>: a backlog of events (Avro as the collector writes it) processed by analytics with the
 *       {@value BenchSegments#REALISTIC} definitions and with one, against a raw consumer and a bare exactly-once
 *       Kafka Streams aggregation over the same backlog.
 * </ul>
 *
 * See {@code bench/README.md}; run it with {@code bench/run segments}.
 */
public final class SegmentBench {

    private static final String HOST = "127.0.0.1";
    private static final double TARGET_P99_MS = 500;
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int BACKGROUND_BODIES = 256;
    /** The latency of the probes is also reported by slices of the measured window this long. */
    private static final Duration SLICE = Duration.ofSeconds(10);

    private static final String LATENCY_APP = "bench-segments";
    /** The one definition of the "1 definition" throughput run: the shipped cart abandoners example. */
    private static final String SINGLE_DEFINITION = "cart-abandoners-2h";

    /** One rate of the latency scenario. */
    private record LatencyRow(
            int rate, ProbeLoad.Result load, ProbeLatencies probes, GroupLag.Snapshot lagAtEnd, double settleSeconds) {}

    /** One run of the throughput scenario. */
    private record ThroughputRow(
            String name, long events, double seconds, double runningSeconds, String note, long cpuNanos) {
        double eventsPerSecond() {
            return events / seconds;
        }

        /** CPU of the Streams client's threads per event, in microseconds (-1: not a Streams application). */
        double cpuMicrosPerEvent() {
            return cpuNanos < 0 ? -1 : cpuNanos / 1_000.0 / events;
        }

        /** Events per second counted from the moment the application was RUNNING (its start excluded). */
        double eventsPerSecondRunning() {
            return events / (seconds - runningSeconds);
        }
    }

    /** Runs of each analytics configuration in the throughput scenario, alternating. */
    private static final int THROUGHPUT_ROUNDS = 2;

    private final SegmentBenchOptions options;
    private final PrintStream out;
    private final List<LatencyRow> latencyRows = new ArrayList<>();
    private final List<ThroughputRow> throughputRows = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final String loadAtStart = Machine.loadAverage();

    private SegmentBench(SegmentBenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        BenchFlags.launch(
                args,
                "bench/run segments [flags]",
                SegmentBenchOptions::help,
                SegmentBenchOptions::parse,
                options -> new SegmentBench(options, System.out).run());
    }

    /** Runs the selected scenarios; false when one failed. */
    boolean run() {
        long started = System.nanoTime();
        printMachine();
        Path dataDir = options.dataDir();
        boolean temporary = dataDir == null;
        try {
            if (temporary) {
                dataDir = Files.createTempDirectory("cx-bench-segments-");
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
            printTables();
            for (String p : problems) {
                out.println("PROBLEM: " + p);
            }
            out.printf(
                    "total run time %.0f s; load average at the start %s, at the end %s%n",
                    (System.nanoTime() - started) / 1e9, loadAtStart, Machine.loadAverage());
        }
        return problems.isEmpty();
    }

    private void runIn(Path dataDir) {
        step("starting Kafka and the schema registry (data in " + dataDir + ")");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(
                        new EmbeddedKafka.Settings(dataDir.resolve("kafka"), HOST, 0, 0, Map.of()));
                EmbeddedRegistry registry =
                        EmbeddedRegistry.start(EmbeddedRegistry.Settings.ephemeral(dataDir.resolve("registry.log")));
                RegistrySerdes serdes = RegistrySerdes.forUrl(registry.url())) {
            KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), "bench", registry.url());
            try (Admin admin = Admin.create(settings.admin("bench-segments"));
                    KafkaConsumer<byte[], byte[]> markers = new KafkaConsumer<>(
                            settings.consumer(
                                    "bench-marker-probe",
                                    null,
                                    Map.of(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")),
                            new ByteArrayDeserializer(),
                            new ByteArrayDeserializer())) {
                if (options.runs(SegmentBenchOptions.LATENCY)) {
                    runLatency(platform(kafka, registry, serdes, ""), admin, markers, dataDir.resolve("state"));
                }
                if (options.runs(SegmentBenchOptions.THROUGHPUT)) {
                    runThroughput(kafka, registry, serdes, admin, markers, dataDir.resolve("state"));
                }
            }
        }
    }

    private static PlatformContext platform(
            EmbeddedKafka kafka, EmbeddedRegistry registry, RegistrySerdes serdes, String topicPrefix) {
        CommonConfig common = new CommonConfig(
                CommonConfig.Profile.LOCAL,
                kafka.bootstrapServers(),
                registry.url(),
                topicPrefix,
                CommonConfig.DEV_ADMIN_TOKEN);
        return PlatformContext.connect(common, serdes, "cx");
    }

    // ------------------------------------------------------------------------------------------ latency

    private void runLatency(PlatformContext platform, Admin admin, KafkaConsumer<byte[], byte[]> markers, Path state) {
        Topics topics = platform.topics();
        TopicAdmin.ApplyReport report = TopicAdmin.apply(admin, Topics.ALL, topics.prefix());
        step("latency: topic catalog applied (" + report.created().size() + " topics created)");
        List<BenchSegments.Definition> definitions =
                new ArrayList<>(BenchSegments.realistic().subList(0, options.definitions()));
        definitions.add(BenchSegments.probe());
        define(platform, definitions);
        CollectorConfig collectorConfig = CollectorConfig.from(ConfigSource.of(Map.of("collector.port", "0")));
        try (CollectorService collector = CollectorService.start(collectorConfig, platform);
                AnalyticsService analytics = AnalyticsService.start(analyticsConfig(LATENCY_APP, state), platform)) {
            awaitRunning(analytics::streamsState);
            step("collector at " + collector.baseUrl() + ", analytics at " + analytics.baseUrl() + " RUNNING ("
                    + LATENCY_APP + ", exactly_once_v2, commit "
                    + io.cxflow.platform.kafka.KafkaSettings.STREAMS_COMMIT_INTERVAL_MS
                    + " ms, " + options.threads() + " thread(s))");
            GroupLag lag =
                    new GroupLag(admin, markers, LATENCY_APP, topics.events().name());
            URI uri = URI.create(collector.baseUrl());
            Workload workload = Workload.generate(options.seed(), BACKGROUND_BODIES, options.batchSize(), 1);
            int run = (int) (System.nanoTime() ^ System.currentTimeMillis());
            MessageIds ids = new MessageIds(run, 0);
            try (EnteredWatch watch = new EnteredWatch(
                    platform.kafka(),
                    topics.segmentMembership().name(),
                    topics.segmentMembership().valueSerde().deserializer(),
                    BenchSegments.PROBE_ID)) {
                boolean first = true;
                for (int rate : options.rates()) {
                    if (!first) {
                        drain(lag, analytics::streamsState);
                    }
                    first = false;
                    SegmentSensors before = SegmentSensors.read(platform.kafka().clientId(LATENCY_APP));
                    latencyRows.add(runRate(rate, workload, uri, ids, watch, lag, Integer.toHexString(run)));
                    out.println("     segment conditions at " + String.format("%,d", rate) + " events/s: "
                            + SegmentSensors.read(platform.kafka().clientId(LATENCY_APP))
                                    .minus(before)
                                    .summary());
                }
                step(String.format(
                        "membership changes read: %,d ENTERED, %,d EXITED (every segment)",
                        watch.enteredRecords(), watch.exitedRecords()));
            }
        }
    }

    /** Lets analytics catch up with the previous rate's load (at most {@code --drain}) before the next one. */
    private void drain(GroupLag lag, Supplier<KafkaStreams.State> state) {
        GroupLag.Snapshot before = lag.lag();
        long start = System.nanoTime();
        try {
            lag.awaitDrained(start, state, options.drain());
            step(String.format(
                    "analytics caught up with %,d events + %,d repartition records in %.1f s",
                    before.input(), before.repartition(), (System.nanoTime() - start) / 1e9));
        } catch (IllegalStateException e) {
            if (state.get() != KafkaStreams.State.RUNNING && state.get() != KafkaStreams.State.REBALANCING) {
                throw e;
            }
            GroupLag.Snapshot after = lag.lag();
            step(String.format(
                    "analytics did not catch up within %s (lag %,d events + %,d repartition records, was %,d + %,d):"
                            + " the next rate starts with that backlog",
                    human(options.drain()), after.input(), after.repartition(), before.input(), before.repartition()));
        }
    }

    private LatencyRow runRate(
            int rate, Workload workload, URI uri, MessageIds ids, EnteredWatch watch, GroupLag lag, String run) {
        ProbeLoad.Settings s = new ProbeLoad.Settings(
                rate,
                workload.batches(),
                options.probeEvery(),
                options.connections(),
                options.warmup(),
                options.duration(),
                "bench-" + run + "-" + rate + "-");
        step(String.format(
                "latency @ %,d events/s: %s warm-up + %s measured, open loop, %d connections; %,.0f requests/s"
                        + " (/v1/batch x %d of web, app and till events; every %dth request a probe on /v1/track:"
                        + " %.2f%% of the events, %.1f probes/s)",
                rate,
                human(options.warmup()),
                human(options.duration()),
                options.connections(),
                s.requestsPerSecond(),
                s.batchSize(),
                s.probeEvery(),
                100 * s.probeShare(),
                s.requestsPerSecond() / s.probeEvery()));
        MeasuredCpu cpu = MeasuredCpu.after(options.warmup());
        ProbeLoad.Result load = ProbeLoad.run(s, SocketHttpClient.factory(uri.getHost(), uri.getPort(), 30_000), ids);
        long cpuNanos = cpu.stop();
        GroupLag.Snapshot atEnd = lag.lag();
        long settleStart = System.nanoTime();
        while (!ProbeLatencies.settled(load.probes(), watch::enteredAt, options.lostAfter(), System.nanoTime())) {
            sleep(100);
        }
        double settle = (System.nanoTime() - settleStart) / 1e9;
        ProbeLatencies probes = ProbeLatencies.of(load.probes(), watch::enteredAt, options.lostAfter());
        Latencies l = probes.latencies();
        out.printf(
                "  -> %,.0f events/s answered 200 (%d requests failed%s; collector p50 %s / p99 %s ms, %.1f%% of"
                        + " sends > 1 ms late)%n",
                load.okEvents() / load.seconds(),
                load.failedRequests(),
                load.firstFailure() == null ? "" : ", e.g. " + load.firstFailure(),
                millis(load.requestLatencies().percentile(50)),
                millis(load.requestLatencies().percentile(99)),
                100 * load.lateShare());
        out.printf(
                "  -> probes: %d measured, %d lost (no ENTERED within %s), %d failed; 200 -> ENTERED p50 %s, p90 %s,"
                        + " p99 %s, max %s ms;"
                        + " analytics lag at the end of the load %,d events + %,d repartition records; settled"
                        + " %.1f s later; load average now %s%n",
                probes.probes(),
                probes.lost(),
                human(options.lostAfter()),
                probes.failed(),
                probeMillis(l.percentile(50)),
                probeMillis(l.percentile(90)),
                probeMillis(l.percentile(99)),
                probeMillis(l.max()),
                atEnd.input(),
                atEnd.repartition(),
                settle,
                Machine.loadAverage());
        StringBuilder slices = new StringBuilder();
        List<ProbeLatencies> bySlice =
                ProbeLatencies.bySlice(load.probes(), watch::enteredAt, options.lostAfter(), SLICE);
        for (int i = 0; i < bySlice.size(); i++) {
            ProbeLatencies p = bySlice.get(i);
            slices.append(String.format(
                    "%s%ds: %s/%s%s",
                    i == 0 ? "" : " | ",
                    (i + 1) * SLICE.toSeconds(),
                    probeMillis(p.latencies().percentile(50)),
                    probeMillis(p.latencies().percentile(99)),
                    p.lost() == 0 ? "" : " (" + p.lost() + " lost)"));
        }
        out.println("     p50/p99 ms by " + human(SLICE) + " of the measured window: " + slices);
        out.println("     slowest probes (time into the window: latency): "
                + String.join(", ", ProbeLatencies.slowest(load.probes(), watch::enteredAt, options.lostAfter(), 12)));
        if (cpuNanos >= 0 && load.okEvents() > 0) {
            out.printf(
                    "     Streams threads' CPU in the measured window: %.1f us per event, %.0f %% of one core%n",
                    cpuNanos / 1_000.0 / load.okEvents(), 100 * cpuNanos / 1e9 / load.seconds());
        }
        return new LatencyRow(rate, load, probes, atEnd, settle);
    }

    // --------------------------------------------------------------------------------------- throughput

    private void runThroughput(
            EmbeddedKafka kafka,
            EmbeddedRegistry registry,
            RegistrySerdes serdes,
            Admin admin,
            KafkaConsumer<byte[], byte[]> markers,
            Path state) {
        PlatformContext many = platform(kafka, registry, serdes, "t50.");
        PlatformContext one = platform(kafka, registry, serdes, "t1.");
        for (PlatformContext p : List.of(many, one)) {
            TopicAdmin.apply(admin, Topics.ALL, p.topics().prefix());
        }
        List<BenchSegments.Definition> realistic = BenchSegments.realistic();
        define(many, realistic);
        define(
                one,
                realistic.stream().filter(d -> d.id().equals(SINGLE_DEFINITION)).toList());
        produceBacklog(
                many,
                List.of(many.topics().events().name(), one.topics().events().name()));
        String events = many.topics().events().name();

        throughputRows.add(rawConsumer(many.kafka(), events));
        throughputRows.add(baseline(many, admin, markers, state));
        // twice each, alternating: the first round also warms the JIT up, the second compares warm code
        for (int round = 1; round <= THROUGHPUT_ROUNDS; round++) {
            String label = round == 1 ? "" : " (round " + round + ")";
            String suffix = round == 1 ? "" : "-r" + round;
            throughputRows.add(cxflow(
                    "cxflow analytics, 1 definition" + label,
                    one,
                    "bench-segments-1" + suffix,
                    admin,
                    markers,
                    state,
                    "segment " + SINGLE_DEFINITION));
            throughputRows.add(cxflow(
                    "cxflow analytics, " + realistic.size() + " definitions" + label,
                    many,
                    "bench-segments-" + realistic.size() + suffix,
                    admin,
                    markers,
                    state,
                    realistic.size() + " realistic segments"));
        }
    }

    private void produceBacklog(PlatformContext platform, List<String> topicNames) {
        Topic<String, TouchpointEvent> events = platform.topics().events();
        Instant end = Instant.now().minus(1, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        Population population = new Population(options.seed(), options.customers(), 0.6, options.backlog(), end);
        step(String.format(
                "throughput: backlog of %,d events of %,d people (%s of event time before %s), serialized once by the"
                        + " registry serde and produced as bytes to %s ...",
                options.backlog(), options.customers(), Population.SPAN.toDays() + " days", end, topicNames));
        Serializer<TouchpointEvent> serializer = events.valueSerde().serializer();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long bytes = 0;
        long start = System.nanoTime();
        try (Producer<String, byte[]> producer = new KafkaProducer<>(
                platform.kafka().producer("bench-backlog"), new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < options.backlog() && failure.get() == null; i++) {
                Population.Keyed e = population.next();
                byte[] value = serializer.serialize(events.name(), e.event());
                bytes += value.length;
                for (String topic : topicNames) {
                    producer.send(new ProducerRecord<>(topic, null, e.timestamp(), e.key(), value), (m, ex) -> {
                        if (ex != null) {
                            failure.compareAndSet(null, ex);
                        }
                    });
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("producing the backlog failed: " + failure.get(), failure.get());
        }
        for (String topic : topicNames) {
            long onTopic = TopicRecords.endOffsetSum(platform.kafka(), topic);
            if (onTopic != options.backlog()) {
                throw new IllegalStateException(
                        topic + " holds " + onTopic + " records, not the " + options.backlog() + " produced");
            }
        }
        step(String.format(
                "  -> produced in %.1f s; Avro %.0f B per event on average",
                (System.nanoTime() - start) / 1e9, (double) bytes / options.backlog()));
    }

    private ThroughputRow rawConsumer(KafkaSettings settings, String topic) {
        step("raw consumer: every record of " + topic + " as bytes, one consumer, read_committed ...");
        long start = System.nanoTime();
        long read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                settings.consumer("bench-raw", null), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + options.timeout().toNanos();
            while (read < options.backlog()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                read += records.count();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "the raw consumer read " + read + " records within " + options.timeout());
                }
            }
        }
        ThroughputRow row = new ThroughputRow(
                "raw consumer (bytes)",
                read,
                (System.nanoTime() - start) / 1e9,
                0,
                "KafkaConsumer, no deserialization",
                -1);
        report(row);
        return row;
    }

    private ThroughputRow baseline(
            PlatformContext platform, Admin admin, KafkaConsumer<byte[], byte[]> markers, Path state) {
        String id = "bench-segments-baseline";
        Topic<String, TouchpointEvent> events = platform.topics().events();
        Map<String, Object> config =
                platform.kafka().streams(id, state, Map.of(StreamsConfig.NUM_STREAM_THREADS_CONFIG, options.threads()));
        step("bare Kafka Streams: stream(events).groupByKey().aggregate(count + last timestamp) into RocksDB,"
                + " exactly_once_v2, commit " + config.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG) + " ms, registry"
                + " deserializer, " + options.threads() + " thread(s) ...");
        KafkaStreams streams = new KafkaStreams(BaselineTopology.build(events), new StreamsConfig(config));
        StreamThreadCpu cpu = StreamThreadCpu.start();
        long start = System.nanoTime();
        streams.start();
        try (StreamThreadTime time = StreamThreadTime.start(platform.kafka().clientId(id))) {
            GroupLag.Drained drained = new GroupLag(admin, markers, id, events.name())
                    .awaitDrained(start, streams::state, options.timeout());
            ThroughputRow row = new ThroughputRow(
                    "bare Streams aggregate, exactly-once",
                    options.backlog(),
                    drained.seconds(),
                    drained.runningSeconds(),
                    String.format(
                            "RUNNING after %.1f s; stream threads' time: %s", drained.runningSeconds(), time.summary()),
                    cpu.elapsedNanos());
            report(row);
            out.println("     input events committed per second: " + drained.timeline());
            return row;
        } finally {
            streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
        }
    }

    private ThroughputRow cxflow(
            String name,
            PlatformContext platform,
            String id,
            Admin admin,
            KafkaConsumer<byte[], byte[]> markers,
            Path state,
            String segments) {
        step(name + ": AnalyticsService (" + segments + " on "
                + platform.topics().segmentDefinitions().name() + ", no configured segment), exactly_once_v2, "
                + options.threads() + " thread(s) ...");
        StreamThreadCpu cpu = StreamThreadCpu.start();
        long start = System.nanoTime();
        try (StreamThreadTime time = StreamThreadTime.start(platform.kafka().clientId(id));
                AnalyticsService analytics = AnalyticsService.start(analyticsConfig(id, state), platform)) {
            GroupLag lag =
                    new GroupLag(admin, markers, id, platform.topics().events().name());
            GroupLag.Drained drained = lag.awaitDrained(start, analytics::streamsState, options.timeout());
            long memberships = TopicRecords.endOffsetSum(
                    platform.kafka(), platform.topics().segmentMembership().name());
            ThroughputRow row = new ThroughputRow(
                    name,
                    options.backlog(),
                    drained.seconds(),
                    drained.runningSeconds(),
                    String.format(
                            "RUNNING after %.1f s, input committed after %.1f s, then the repartition topics %s;"
                                    + " %,d entries on %s (membership changes and transaction markers);"
                                    + " stream threads' time: %s; %s",
                            drained.runningSeconds(),
                            drained.inputSeconds(),
                            lag.repartitionTopics(),
                            memberships,
                            platform.topics().segmentMembership().name(),
                            time.summary(),
                            SegmentSensors.read(platform.kafka().clientId(id)).summary()),
                    cpu.elapsedNanos());
            report(row);
            out.println("     input events committed per second: " + drained.timeline());
            return row;
        }
    }

    // ------------------------------------------------------------------------------------------ shared

    private AnalyticsConfig analyticsConfig(String applicationId, Path state) {
        Map<String, String> values = new HashMap<>();
        values.put("analytics.port", "0");
        values.put("analytics.application-id", applicationId);
        values.put("analytics.state-dir", state.toString());
        values.put("analytics.stream-threads", Integer.toString(options.threads()));
        AnalyticsConfig c = AnalyticsConfig.from(ConfigSource.of(values));
        // the segments in force are the definitions on the topic only (no configured 'engaged' segment)
        return new AnalyticsConfig(
                c.applicationId(),
                c.host(),
                c.port(),
                c.advertisedHost(),
                c.stateDir(),
                c.streamThreads(),
                c.profiles(),
                new SegmentSettings(List.of()),
                c.identity());
    }

    /** Writes the definitions to the definitions topic (as the segments API does: key = id, acks=all). */
    private void define(PlatformContext platform, List<BenchSegments.Definition> definitions) {
        Topic<String, SegmentDefinition> topic = platform.topics().segmentDefinitions();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (KafkaProducer<String, SegmentDefinition> producer = new KafkaProducer<>(
                platform.kafka().producer("bench-definitions"),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (BenchSegments.Definition d : definitions) {
                sent.add(producer.send(new ProducerRecord<>(topic.name(), d.id(), d.toAvro(now))));
            }
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write the segment definitions to " + topic.name(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        step(definitions.size() + " segment definitions written to " + topic.name());
    }

    private static void awaitRunning(Supplier<KafkaStreams.State> state) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (state.get() != KafkaStreams.State.RUNNING) {
            KafkaStreams.State s = state.get();
            if (s == KafkaStreams.State.ERROR || s == KafkaStreams.State.NOT_RUNNING) {
                throw new IllegalStateException("analytics stopped while starting (state " + s + ")");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("analytics was not RUNNING within " + START_TIMEOUT);
            }
            sleep(100);
        }
    }

    // ------------------------------------------------------------------------------------------ report

    private void report(ThroughputRow r) {
        out.printf(
                "  -> %,d events in %.1f s = %,.0f events/s (%s); load average now %s%n",
                r.events(), r.seconds(), r.eventsPerSecond(), r.note(), Machine.loadAverage());
    }

    private void printTables() {
        if (!latencyRows.isEmpty()) {
            out.println();
            out.printf(
                    "latency: collector 200 -> ENTERED on %s, %d segment definitions (%d realistic + probe)%n",
                    Topics.SEGMENT_MEMBERSHIP.baseName(), options.definitions() + 1, options.definitions());
            String f = "%-12s %9s %8s %8s %8s %8s %8s %7s %6s %7s %14s%n";
            out.printf(
                    f,
                    "rate",
                    "events/s",
                    "p50 ms",
                    "p90 ms",
                    "p99 ms",
                    "max ms",
                    "probes",
                    "lost",
                    "failed",
                    "col p99",
                    "lag at end");
            out.println("-".repeat(108));
            for (LatencyRow r : latencyRows) {
                Latencies l = r.probes().latencies();
                out.printf(
                        f,
                        String.format("%,d/s", r.rate()),
                        String.format("%,.0f", r.load().okEvents() / r.load().seconds()),
                        probeMillis(l.percentile(50)),
                        probeMillis(l.percentile(90)),
                        probeMillis(l.percentile(99)),
                        probeMillis(l.max()),
                        r.probes().probes(),
                        r.probes().lost(),
                        r.probes().failed(),
                        millis(r.load().requestLatencies().percentile(99)),
                        String.format(
                                "%,d+%,d", r.lagAtEnd().input(), r.lagAtEnd().repartition()));
            }
            out.println(
                    "  col p99: the collector's answer latency (from the due time); lag at end: events + repartition"
                            + " records analytics had not committed when the load stopped");
            out.printf(
                    "target (issue 6): p99 <= %.0f ms under exactly-once with 50 definitions (here %d + probe):%n",
                    TARGET_P99_MS, options.definitions());
            for (LatencyRow r : latencyRows) {
                long p99 = r.probes().latencies().percentile(99);
                boolean met =
                        p99 >= 0 && p99 / 1e6 <= TARGET_P99_MS && r.probes().lost() == 0;
                out.printf(
                        "  %,d events/s: p99 %s ms, %d of %d probes lost: %s%n",
                        r.rate(),
                        probeMillis(p99),
                        r.probes().lost(),
                        r.probes().probes(),
                        met ? "MET" : "MISSED");
            }
        }
        if (!throughputRows.isEmpty()) {
            out.println();
            ThroughputRow base = throughputRows.stream()
                    .filter(r -> r.name().startsWith("bare Streams"))
                    .findFirst()
                    .orElse(null);
            String f = "%-52s %9s %9s %11s %12s %13s %12s %10s%n";
            out.printf(
                    f,
                    "throughput (backlog)",
                    "events",
                    "seconds",
                    "events/s",
                    "% of Streams",
                    "from RUNNING",
                    "% of Streams",
                    "CPU us/ev");
            out.println("-".repeat(135));
            for (ThroughputRow r : throughputRows) {
                out.printf(
                        f,
                        r.name(),
                        String.format("%,d", r.events()),
                        String.format("%.1f", r.seconds()),
                        String.format("%,.0f", r.eventsPerSecond()),
                        base == null ? "" : String.format("%.1f%%", 100 * r.eventsPerSecond() / base.eventsPerSecond()),
                        String.format("%,.0f", r.eventsPerSecondRunning()),
                        base == null
                                ? ""
                                : String.format(
                                        "%.1f%%", 100 * r.eventsPerSecondRunning() / base.eventsPerSecondRunning()),
                        r.cpuMicrosPerEvent() < 0 ? "" : String.format("%.1f", r.cpuMicrosPerEvent()));
            }
            // the last round: both with warm code
            ThroughputRow one = throughputRows.stream()
                    .filter(r -> r.name().contains(", 1 definition"))
                    .reduce((a, b) -> b)
                    .orElse(null);
            ThroughputRow many = throughputRows.stream()
                    .filter(r -> r.name().contains(" definitions"))
                    .reduce((a, b) -> b)
                    .orElse(null);
            if (one != null && many != null) {
                out.printf(
                        "  last round: %d definitions process %.1f%% of the events/s of 1 definition (%.1f%% from"
                                + " RUNNING) and take %.1f vs %.1f us of Streams CPU per event (%.1f%% more)%n",
                        BenchSegments.REALISTIC,
                        100 * many.eventsPerSecond() / one.eventsPerSecond(),
                        100 * many.eventsPerSecondRunning() / one.eventsPerSecondRunning(),
                        many.cpuMicrosPerEvent(),
                        one.cpuMicrosPerEvent(),
                        100 * (many.cpuMicrosPerEvent() / one.cpuMicrosPerEvent() - 1));
                out.println("  CPU us/ev: CPU time of the Streams client's threads per event (not the broker's), hardly"
                        + " affected by other load; the backlog is short, so events/s moves with the JIT and the"
                        + " machine between runs");
                out.println("  from RUNNING: the same events over the time after the application was first RUNNING"
                        + " (its start, task assignment and restoration excluded)");
            }
        }
        out.println();
    }

    private void printMachine() {
        out.println(Machine.header("segment", loadAtStart));
        out.println("broker, registry (own process), collector, analytics and load driver share these cores.");
    }

    private void step(String message) {
        out.println("* " + message);
    }

    private static String millis(long nanos) {
        return nanos < 0 ? "-" : String.format("%.1f", nanos / 1e6);
    }

    /** A probe latency in ms; a lost probe's as "> lost-after". */
    private String probeMillis(long nanos) {
        return nanos == ProbeLatencies.LOST ? ">" + options.lostAfter().toSeconds() + "s" : millis(nanos);
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
