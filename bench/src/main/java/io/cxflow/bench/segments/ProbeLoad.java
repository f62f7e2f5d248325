package io.cxflow.bench.segments;

import io.cxflow.bench.http.LoadClient;
import io.cxflow.bench.load.Latencies;
import io.cxflow.bench.workload.MessageIds;
import io.cxflow.bench.workload.RequestTemplate;
import io.cxflow.bench.workload.Touchpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The open-loop load of the segment benchmark: events posted to the collector at a fixed rate, whatever the
 * answers. Requests are due at {@code start + k / requestRate}; every {@code probeEvery}-th request is a probe
 * (one {@value BenchSegments#PROBE_EVENT} track event of a fresh customer, sent alone to {@code /v1/track}), the
 * others are {@code /v1/batch} bodies of realistic events (web, app and tills). For each probe it records when
 * it was due and the instant ({@link System#nanoTime()}) its 200 arrived; the collector's answer latency of every
 * request is measured from its due time (no coordinated omission).
 */
final class ProbeLoad {

    static final String TRACK_PATH = "/v1/track";
    private static final long LATE_NANOS = 1_000_000L;

    /**
     * @param eventsPerSecond events per second, probes included
     * @param batches the background request bodies, cycled (each carries {@code batchSize} events)
     * @param probeEvery one request in this many is a probe (at least 2)
     * @param connections client connections (threads) taking the due requests in order
     * @param warmup load before the measured window, at the same rate
     * @param duration the measured window
     * @param probePrefix the probe customers' userIds are this prefix + the probe number
     */
    record Settings(
            double eventsPerSecond,
            List<RequestTemplate> batches,
            int probeEvery,
            int connections,
            Duration warmup,
            Duration duration,
            String probePrefix) {

        Settings {
            batches = List.copyOf(batches);
            if (batches.isEmpty() || !(eventsPerSecond > 0) || probeEvery < 2 || connections < 1) {
                throw new IllegalArgumentException(
                        "need request bodies, a positive rate, probeEvery >= 2 and at least one connection");
            }
        }

        /** Events per background request. */
        int batchSize() {
            return batches.get(0).events();
        }

        /** Mean events per request. */
        double eventsPerRequest() {
            return ((probeEvery - 1) * (double) batchSize() + 1) / probeEvery;
        }

        double requestsPerSecond() {
            return eventsPerSecond / eventsPerRequest();
        }

        /** Probes among the events. */
        double probeShare() {
            return 1 / ((probeEvery - 1) * (double) batchSize() + 1);
        }
    }

    /**
     * What the load did.
     *
     * @param probes every probe sent: due time, answer instant, status
     * @param requestLatencies collector answer latency of the measured requests, from their due time
     * @param okEvents events of measured requests answered 200
     * @param failedRequests measured requests not answered 200
     * @param lateShare share of measured requests sent more than 1 ms after their due time
     * @param measureStartNanos start of the measured window
     * @param endNanos end of the measured window
     * @param firstFailure a failing answer, for the report; null when none
     */
    record Result(
            Probes probes,
            Latencies requestLatencies,
            long okEvents,
            long failedRequests,
            double lateShare,
            long measureStartNanos,
            long endNanos,
            String firstFailure) {

        double seconds() {
            return (endNanos - measureStartNanos) / 1e9;
        }
    }

    /** The probes of one run, indexed by probe number. Written by the load threads, read after they ended. */
    static final class Probes {
        private final String prefix;
        private final long measureStart;
        private final long[] due;
        private final long[] answered;
        private final int[] status;
        private int count;

        Probes(String prefix, int capacity, long measureStart) {
            this.prefix = prefix;
            this.measureStart = measureStart;
            this.due = new long[capacity];
            this.answered = new long[capacity];
            this.status = new int[capacity];
        }

        void record(int probe, long dueNanos, long answeredNanos, int answerStatus) {
            due[probe] = dueNanos;
            answered[probe] = answeredNanos;
            status[probe] = answerStatus;
        }

        void seal(int sent) {
            count = sent;
        }

        /** Probes sent. */
        int count() {
            return count;
        }

        String userId(int probe) {
            return prefix + probe;
        }

        /** Whether the probe was due within the measured window. */
        boolean measured(int probe) {
            return due[probe] >= measureStart;
        }

        /** Nanoseconds from the start of the measured window to the probe's due time (negative in the warm-up). */
        long sinceMeasureStart(int probe) {
            return due[probe] - measureStart;
        }

        long answeredNanos(int probe) {
            return answered[probe];
        }

        int status(int probe) {
            return status[probe];
        }
    }

    private ProbeLoad() {}

    static Result run(Settings s, LoadClient.Factory clients, MessageIds ids) {
        double interval = 1e9 / s.requestsPerSecond();
        long start = System.nanoTime() + 20_000_000L;
        long measureStart = start + s.warmup().toNanos();
        long end = measureStart + s.duration().toNanos();
        long tickets = (long) Math.ceil((end - start) / interval) + 1;
        Probes probes = new Probes(s.probePrefix(), (int) (tickets / s.probeEvery()) + 1, measureStart);
        AtomicLong next = new AtomicLong();
        List<Latencies> latencies = new ArrayList<>();
        for (int i = 0; i < s.connections(); i++) {
            latencies.add(new Latencies(16 * 1024));
        }
        LongAdder okEvents = new LongAdder();
        LongAdder measured = new LongAdder();
        LongAdder late = new LongAdder();
        LongAdder failures = new LongAdder();
        AtomicLong probesSent = new AtomicLong();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        String webAuthorization = authorization(Touchpoint.WEB);
        String[] authorizations = new String[Touchpoint.values().length];
        for (Touchpoint t : Touchpoint.values()) {
            authorizations[t.ordinal()] = authorization(t);
        }
        int templates = s.batches().size();

        Thread[] threads = new Thread[s.connections()];
        AtomicReference<Throwable> crash = new AtomicReference<>();
        for (int w = 0; w < threads.length; w++) {
            Latencies mine = latencies.get(w);
            threads[w] = Thread.ofPlatform()
                    .name("segment-load-" + w)
                    .daemon(true)
                    .unstarted(() -> {
                        try (LoadClient client = clients.open()) {
                            while (true) {
                                long k = next.getAndIncrement();
                                long due = start + (long) (k * interval);
                                if (due >= end) {
                                    return;
                                }
                                boolean probe = k % s.probeEvery() == s.probeEvery() - 1;
                                int probeNumber = (int) (k / s.probeEvery());
                                String path;
                                String auth;
                                byte[] body;
                                int events;
                                if (probe) {
                                    path = TRACK_PATH;
                                    auth = webAuthorization;
                                    body = probeBody(probes.userId(probeNumber), ids.nextId());
                                    events = 1;
                                } else {
                                    RequestTemplate t = s.batches().get((int) (k % templates));
                                    path = t.path();
                                    auth = authorizations[t.touchpoint().ordinal()];
                                    body = t.render(ids);
                                    events = t.events();
                                }
                                parkUntil(due);
                                long t0 = System.nanoTime();
                                int status;
                                try {
                                    status = client.post(path, auth, body);
                                } catch (IOException e) {
                                    status = 0;
                                }
                                long t1 = System.nanoTime();
                                if (probe) {
                                    probes.record(probeNumber, due, t1, status);
                                    probesSent.accumulateAndGet(probeNumber + 1L, Math::max);
                                }
                                if (status != 200) {
                                    firstFailure.compareAndSet(
                                            null, status == 0 ? "no answer" : status + " " + client.lastResponse());
                                }
                                if (due >= measureStart) {
                                    mine.record(t1 - due);
                                    measured.increment();
                                    if (t0 - due > LATE_NANOS) {
                                        late.increment();
                                    }
                                    if (status == 200) {
                                        okEvents.add(events);
                                    } else {
                                        failures.increment();
                                    }
                                }
                            }
                        }
                    });
            threads[w].setUncaughtExceptionHandler((t, e) -> crash.compareAndSet(null, e));
            threads[w].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the load ran", e);
            }
        }
        if (crash.get() != null) {
            throw new IllegalStateException("a load thread failed: " + crash.get(), crash.get());
        }
        probes.seal((int) probesSent.get());
        long count = measured.sum();
        return new Result(
                probes,
                Latencies.merge(latencies),
                okEvents.sum(),
                failures.sum(),
                count == 0 ? 0 : (double) late.sum() / count,
                measureStart,
                end,
                firstFailure.get());
    }

    /** A probe: the first event of a fresh customer, as analytics.js sends a track call. */
    static byte[] probeBody(String userId, String messageId) {
        UUID anonymousId = UUID.nameUUIDFromBytes(userId.getBytes(StandardCharsets.UTF_8));
        String json = "{\"userId\":\"" + userId + "\",\"anonymousId\":\"" + anonymousId + "\",\"event\":\""
                + BenchSegments.PROBE_EVENT + "\",\"messageId\":\"" + messageId
                + "\",\"properties\":{\"campaign\":\"segment-benchmark\",\"step\":\"probe\"},"
                + "\"context\":{\"library\":{\"name\":\"analytics.js\",\"version\":\"5.2.0\"},"
                + "\"page\":{\"path\":\"/landing\"},\"locale\":\"en-GB\"}}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** HTTP Basic with the write key as user name and an empty password, as the Segment SDKs send it. */
    static String authorization(Touchpoint touchpoint) {
        return "Basic "
                + Base64.getEncoder().encodeToString((touchpoint.sourceId() + ":").getBytes(StandardCharsets.UTF_8));
    }

    private static void parkUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }
}
