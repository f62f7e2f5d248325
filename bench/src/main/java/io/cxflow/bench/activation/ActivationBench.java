package io.cxflow.bench.activation;

import io.cxflow.activation.ActivationConfig;
import io.cxflow.activation.ActivationService;
import io.cxflow.avro.MembershipChange;
import io.cxflow.avro.SegmentMembershipChanged;
import io.cxflow.avro.StepKind;
import io.cxflow.avro.TriggerKind;
import io.cxflow.avro.WorkflowDefinition;
import io.cxflow.avro.WorkflowStep;
import io.cxflow.avro.WorkflowTrigger;
import io.cxflow.bench.BenchFlags;
import io.cxflow.bench.Machine;
import io.cxflow.bench.load.Latencies;
import io.cxflow.platform.CommonConfig;
import io.cxflow.platform.PlatformContext;
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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The activation benchmark (issue 7): in one run, on one machine, a real broker and schema registry, the activation
 * service in process with one workflow of one webhook step on a segment's ENTERED, and a loopback webhook provider;
 * then
 *
 * <ul>
 *   <li><b>latency</b>: ENTERED changes produced to {@code cx.segment-membership.v1} at a fixed rate (open loop);
 *       each decision's latency is from the change's append (the topic's {@code LogAppendTime}) to the provider's
 *       receipt of its first request;
 *   <li><b>throughput</b>: a backlog of ENTERED changes dispatched from a standing start, decisions/s;
 * </ul>
 *
 * each also measured, in the same run and on the same provider, for a raw Kafka baseline: one plain consumer per
 * partition that POSTs every change (no ledger, no guardrails, no results), and for throughput a plain consume of the
 * backlog. Each run has its own topics. See {@code bench/README.md}; run it with {@code bench/run activation}.
 */
public final class ActivationBench {

    private static final String HOST = "127.0.0.1";
    private static final String SEGMENT = "bench-segment";
    private static final String WORKFLOW = "bench";
    private static final String KEY_PREFIX = WORKFLOW + ":notify:";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    /** One latency run. */
    private record LatencyRow(String name, int produced, int measured, int lost, Latencies latencies, String load) {}

    /** One throughput run: from the start (or the first effect) to the last decision. */
    private record ThroughputRow(
            String name, int decisions, double fromStartSeconds, double fromFirstSeconds, String load) {}

    private final ActivationBenchOptions options;
    private final PrintStream out;
    private final List<LatencyRow> latencyRows = new ArrayList<>();
    private final List<ThroughputRow> throughputRows = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final String loadAtStart = Machine.loadAverage();

    private ActivationBench(ActivationBenchOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        BenchFlags.launch(
                args,
                "bench/run activation [flags]",
                ActivationBenchOptions::help,
                ActivationBenchOptions::parse,
                options -> new ActivationBench(options, System.out).run());
    }

    /** Runs the selected scenarios; false when one failed. */
    boolean run() {
        long started = System.nanoTime();
        out.println(Machine.header("activation", loadAtStart));
        out.println("broker, registry (own process), activation, the provider and the load driver share these cores.");
        Path dataDir = options.dataDir();
        boolean temporary = dataDir == null;
        try {
            if (temporary) {
                dataDir = Files.createTempDirectory("cx-bench-activation-");
            }
            runIn(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            problems.add(String.valueOf(e) + (e.getCause() == null ? "" : "\n  caused by " + e.getCause()));
        } finally {
            if (temporary && dataDir != null) {
                Machine.deleteTree(dataDir);
            }
            printTables();
            problems.forEach(p -> out.println("PROBLEM: " + p));
            out.printf(
                    "total run time %.0f s; load average at the start %s, at the end %s%n",
                    (System.nanoTime() - started) / 1e9, loadAtStart, Machine.loadAverage());
        }
        return problems.isEmpty();
    }

    private void runIn(Path dataDir) throws IOException {
        step("starting Kafka and the schema registry (data in " + dataDir + ")");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(
                        new EmbeddedKafka.Settings(dataDir.resolve("kafka"), HOST, 0, 0, Map.of()));
                EmbeddedRegistry registry =
                        EmbeddedRegistry.start(EmbeddedRegistry.Settings.ephemeral(dataDir.resolve("registry.log")));
                RegistrySerdes serdes = RegistrySerdes.forUrl(registry.url());
                LoopbackProvider provider = new LoopbackProvider()) {
            KafkaSettings settings = new KafkaSettings(kafka.bootstrapServers(), "bench", registry.url());
            try (Admin admin = Admin.create(settings.admin("bench-activation"))) {
                if (options.runs(ActivationBenchOptions.LATENCY)) {
                    latency("activation", platform(kafka, registry, serdes, "lat-a."), admin, provider);
                    latency("raw consumer + POST", platform(kafka, registry, serdes, "lat-r."), admin, provider);
                }
                if (options.runs(ActivationBenchOptions.THROUGHPUT)) {
                    throughput("activation", platform(kafka, registry, serdes, "thr-a."), admin, provider);
                    throughput("raw consumer + POST", platform(kafka, registry, serdes, "thr-r."), admin, provider);
                    throughput("raw consume only", platform(kafka, registry, serdes, "thr-c."), admin, provider);
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

    /** The topics of one run, the membership topic stamped with the broker's append time. */
    private void prepare(PlatformContext platform, Admin admin) {
        TopicAdmin.apply(admin, Topics.ALL, platform.topics().prefix());
        String membership = platform.topics().segmentMembership().name();
        try {
            admin.incrementalAlterConfigs(Map.of(
                            new ConfigResource(ConfigResource.Type.TOPIC, membership),
                            List.of(new AlterConfigOp(
                                    new ConfigEntry(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"),
                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot set LogAppendTime on " + membership, e);
        }
    }

    // ------------------------------------------------------------------------------------------ the runs

    private void latency(String name, PlatformContext platform, Admin admin, LoopbackProvider provider) {
        prepare(platform, admin);
        String customers = platform.topics().prefix().replace(".", "-");
        try (AutoCloseable dispatcher = startDispatcher(name, platform, provider)) {
            step("latency, " + name + ": " + options.rate() + " ENTERED/s, " + human(options.warmup()) + " warm-up + "
                    + human(options.duration()) + " measured");
            Map<String, Long> appended = new ConcurrentHashMap<>();
            int warm = (int) (options.rate() * options.warmup().toMillis() / 1000);
            int total = warm + (int) (options.rate() * options.duration().toMillis() / 1000);
            try (KafkaProducer<String, SegmentMembershipChanged> producer =
                    producer(platform.topics().segmentMembership(), platform)) {
                long start = System.nanoTime();
                for (int i = 0; i < total; i++) {
                    long due = start + (long) (i * 1e9 / options.rate());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    String customer = customers + i;
                    boolean measured = i >= warm;
                    producer.send(
                            new ProducerRecord<>(
                                    platform.topics().segmentMembership().name(), customer, entered(customer)),
                            (metadata, error) -> {
                                if (error == null && measured) {
                                    appended.put(KEY_PREFIX + customer + ":1", metadata.timestamp());
                                }
                            });
                }
                producer.flush();
            }
            long deadline = System.nanoTime() + options.lostAfter().toNanos();
            while (System.nanoTime() < deadline
                    && appended.keySet().stream().anyMatch(k -> provider.receipt(k) == null)) {
                Thread.sleep(100);
            }
            Latencies latencies = new Latencies(appended.size());
            int lost = 0;
            for (Map.Entry<String, Long> e : appended.entrySet()) {
                Long receipt = provider.receipt(e.getKey());
                if (receipt == null) {
                    lost++;
                } else {
                    latencies.record(TimeUnit.MILLISECONDS.toNanos(Math.max(0, receipt - e.getValue())));
                }
            }
            Latencies sorted = Latencies.merge(List.of(latencies));
            latencyRows.add(new LatencyRow(name, total, appended.size(), lost, sorted, Machine.loadAverage()));
            if (!name.startsWith("raw")) {
                Latencies calls = providerCalls(platform);
                step(String.format(
                        "latency, %s: the provider call itself (latencyMillis of the SENT results): p50 %s ms, p99 %s"
                                + " ms, max %s ms",
                        name,
                        millis(calls.percentile(50)),
                        millis(calls.percentile(99)),
                        millis(calls.percentile(100))));
            }
            step(String.format(
                    "latency, %s: p50 %s ms, p99 %s ms, %d lost",
                    name, millis(sorted.percentile(50)), millis(sorted.percentile(99)), lost));
        } catch (Exception e) {
            problems.add("latency, " + name + ": " + e);
        }
    }

    private void throughput(String name, PlatformContext platform, Admin admin, LoopbackProvider provider) {
        prepare(platform, admin);
        String customers = platform.topics().prefix().replace(".", "-");
        int n = options.backlog();
        try {
            try (KafkaProducer<String, SegmentMembershipChanged> producer =
                    producer(platform.topics().segmentMembership(), platform)) {
                for (int i = 0; i < n; i++) {
                    String customer = customers + i;
                    producer.send(new ProducerRecord<>(
                            platform.topics().segmentMembership().name(), customer, entered(customer)));
                }
                producer.flush();
            }
            step("throughput, " + name + ": " + n + " ENTERED changes on "
                    + platform.topics().segmentMembership().name());
            long start = System.currentTimeMillis();
            long deadline = System.nanoTime() + options.timeout().toNanos();
            if (name.equals("raw consume only")) {
                long first = consumeAll(platform, n, deadline);
                long end = System.currentTimeMillis();
                throughputRows.add(
                        new ThroughputRow(name, n, (end - start) / 1e3, (end - first) / 1e3, Machine.loadAverage()));
                return;
            }
            String prefix = KEY_PREFIX + customers;
            try (AutoCloseable dispatcher = startDispatcher(name, platform, provider)) {
                while (provider.keysStartingWith(prefix) < n) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(provider.keysStartingWith(prefix) + " of " + n
                                + " decisions within " + options.timeout());
                    }
                    Thread.sleep(100);
                }
            }
            long first = provider.firstReceipt(prefix);
            long last = provider.lastReceipt(prefix);
            throughputRows.add(
                    new ThroughputRow(name, n, (last - start) / 1e3, (last - first) / 1e3, Machine.loadAverage()));
            step(String.format("throughput, %s: %,.0f decisions/s from the first", name, n * 1e3 / (last - first)));
        } catch (Exception e) {
            problems.add("throughput, " + name + ": " + e);
        }
    }

    /** Activation (started, ready) or the raw poster, on {@code platform}'s topics; closing stops it. */
    private AutoCloseable startDispatcher(String name, PlatformContext platform, LoopbackProvider provider)
            throws Exception {
        if (name.startsWith("raw")) {
            return new RawPoster(
                    platform.kafka(),
                    platform.topics().segmentMembership(),
                    platform.topics().prefix() + "raw",
                    partitions(platform),
                    provider.url("/hook"));
        }
        try (KafkaProducer<String, WorkflowDefinition> producer =
                producer(platform.topics().workflows(), platform)) {
            producer.send(new ProducerRecord<>(
                            platform.topics().workflows().name(), WORKFLOW, workflow(provider.url("/hook"))))
                    .get(30, TimeUnit.SECONDS);
        }
        ActivationService service = ActivationService.start(
                ActivationConfig.of(Map.of(
                        "activation.port", "0",
                        "activation.group.id", platform.topics().prefix() + "activation",
                        "activation.history.lookback", "0")),
                platform);
        try {
            awaitReady(service.baseUrl());
        } catch (RuntimeException | InterruptedException e) {
            service.close();
            throw e;
        }
        return service;
    }

    private static int partitions(PlatformContext platform) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                platform.kafka().consumer("bench-partitions", null),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            return consumer.partitionsFor(platform.topics().segmentMembership().name())
                    .size();
        }
    }

    /** The provider-call durations activation recorded on its SENT results so far. */
    private static Latencies providerCalls(PlatformContext platform) {
        Topic<String, io.cxflow.avro.ActivationResult> topic = platform.topics().activations();
        Latencies calls = new Latencies();
        try (KafkaConsumer<String, io.cxflow.avro.ActivationResult> consumer = new KafkaConsumer<>(
                platform.kafka().consumer("bench-results", null),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.value().getStatus() == io.cxflow.avro.ActivationStatus.SENT
                            && r.value().getLatencyMillis() != null) {
                        calls.record(TimeUnit.MILLISECONDS.toNanos(r.value().getLatencyMillis()));
                    }
                });
            }
        }
        return Latencies.merge(List.of(calls));
    }

    /** Reads {@code n} records of the membership topic; returns when the first arrived (epoch ms). */
    private static long consumeAll(PlatformContext platform, int n, long deadline) {
        Topic<String, SegmentMembershipChanged> topic = platform.topics().segmentMembership();
        long first = -1;
        int read = 0;
        try (KafkaConsumer<String, SegmentMembershipChanged> consumer = new KafkaConsumer<>(
                platform.kafka().consumer("bench-consume", platform.topics().prefix() + "consume"),
                topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            while (read < n) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("read " + read + " of " + n + " records in time");
                }
                ConsumerRecords<String, SegmentMembershipChanged> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty() && first < 0) {
                    first = System.currentTimeMillis();
                }
                read += records.count();
            }
        }
        return first;
    }

    private static void awaitReady(String baseUrl) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                try {
                    if (http.send(
                                            HttpRequest.newBuilder(URI.create(baseUrl + "/health/ready"))
                                                    .build(),
                                            HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200) {
                        return;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("activation was not ready within " + READY_TIMEOUT);
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, V> producer(
            Topic<String, V> topic, PlatformContext platform) {
        return new KafkaProducer<>(
                platform.kafka().producer("bench-load", Duration.ofMinutes(2), Map.of()),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer());
    }

    private static SegmentMembershipChanged entered(String customer) {
        return SegmentMembershipChanged.newBuilder()
                .setCustomerId(customer)
                .setSegmentId(SEGMENT)
                .setSegmentVersion(1)
                .setChange(MembershipChange.ENTERED)
                .setMembershipVersion(1)
                .setReason("event Order Completed")
                .setAt(Instant.now())
                .setIdentities(Map.of("userId", List.of("u-" + customer), "email", List.of(customer + "@example.com")))
                .setEmail(customer + "@example.com")
                .setPhone(null)
                .setConsent(Map.of("email", true))
                .setTimezone("Europe/Rome")
                .build();
    }

    private static WorkflowDefinition workflow(String url) {
        return WorkflowDefinition.newBuilder()
                .setId(WORKFLOW)
                .setName("benchmark")
                .setTrigger(WorkflowTrigger.newBuilder()
                        .setKind(TriggerKind.ENTERED)
                        .setSegmentId(SEGMENT)
                        .build())
                .setSteps(List.of(WorkflowStep.newBuilder()
                        .setId("notify")
                        .setKind(StepKind.SEND)
                        .setChannel("webhook")
                        .setSettings(Map.of("url", url))
                        .build()))
                .setVersion(1)
                .setUpdatedAt(Instant.now())
                .build();
    }

    // ------------------------------------------------------------------------------------------ output

    private void printTables() {
        out.println();
        if (!latencyRows.isEmpty()) {
            out.printf(
                    "Latency: ENTERED appended (LogAppendTime) -> provider receipt, %d changes/s open loop, %s measured%n",
                    options.rate(), human(options.duration()));
            out.printf(
                    "%-22s %9s %6s %8s %8s %8s %8s %8s  %s%n",
                    "dispatcher", "decisions", "lost", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms", "load");
            for (LatencyRow r : latencyRows) {
                out.printf(
                        "%-22s %9d %6d %8s %8s %8s %8s %8s  %s%n",
                        r.name(),
                        r.measured(),
                        r.lost(),
                        millis(r.latencies().percentile(50)),
                        millis(r.latencies().percentile(90)),
                        millis(r.latencies().percentile(99)),
                        millis(r.latencies().percentile(100)),
                        millis(mean(r.latencies())),
                        r.load());
            }
            out.println("  (ms resolution: the broker's append time and the provider's clock are both epoch ms)");
            out.println();
        }
        if (!throughputRows.isEmpty()) {
            out.printf("Throughput: a backlog of %,d ENTERED changes (1 webhook decision each)%n", options.backlog());
            out.printf(
                    "%-22s %10s %12s %14s %12s  %s%n",
                    "dispatcher", "decisions", "s from start", "decisions/s", "s from first", "load");
            for (ThroughputRow r : throughputRows) {
                out.printf(
                        "%-22s %10d %12.1f %14.0f %12.1f  %s%n",
                        r.name(),
                        r.decisions(),
                        r.fromStartSeconds(),
                        r.decisions() / r.fromFirstSeconds(),
                        r.fromFirstSeconds(),
                        r.load());
            }
            out.println("  decisions/s: from the first decision (or record) to the last; 'from start' includes the"
                    + " service start and its catch-up");
            out.println();
        }
    }

    private static long mean(Latencies sorted) {
        if (sorted.count() == 0) {
            return -1;
        }
        long sum = 0;
        for (int i = 1; i <= sorted.count(); i++) {
            sum += sorted.percentile(100.0 * i / sorted.count());
        }
        return sum / sorted.count();
    }

    private void step(String message) {
        out.println("* " + message);
    }

    private static String millis(long nanos) {
        return nanos < 0 ? "-" : String.format("%.0f", nanos / 1e6);
    }

    private static String human(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
