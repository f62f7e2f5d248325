package io.cxflow.bench.load;

import io.cxflow.bench.http.LoadClient;
import io.cxflow.bench.workload.MessageIds;
import io.cxflow.bench.workload.RequestTemplate;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Open-loop load at a constant rate: request {@code k} is due at {@code start + k / rate}, whatever happened to
 * the earlier ones. A pool of connections takes the due requests in order; latency is measured from the
 * <em>intended</em> send time, so a stalled server (or a driver short of free connections) shows up in the
 * latencies instead of silently lowering the rate (no coordinated omission).
 */
public final class OpenLoop {

    /** A send later than this after its due time counts as late in the report. */
    private static final long LATE_NANOS = 1_000_000L;

    /**
     * @param name the scenario name in the report
     * @param templates the request bodies, cycled
     * @param rate requests per second
     * @param connections the pool of client connections (enough to absorb latency spikes)
     * @param warmup load before the measured window, at the same rate
     * @param duration the measured window
     */
    public record Settings(
            String name,
            List<RequestTemplate> templates,
            double rate,
            int connections,
            Duration warmup,
            Duration duration) {

        public Settings {
            templates = List.copyOf(templates);
            if (templates.isEmpty() || connections < 1 || !(rate > 0)) {
                throw new IllegalArgumentException("need templates, a positive rate and at least one connection");
            }
        }
    }

    private OpenLoop() {}

    public static ScenarioResult run(Settings s, LoadClient.Factory clients, MessageIds ids, Tally tally) {
        double interval = 1e9 / s.rate();
        long start = System.nanoTime() + 20_000_000L;
        long measureStart = start + s.warmup().toNanos();
        long end = measureStart + s.duration().toNanos();
        AtomicLong tickets = new AtomicLong();
        List<Latencies> latencies = new ArrayList<>();
        for (int i = 0; i < s.connections(); i++) {
            latencies.add(new Latencies(16 * 1024));
        }
        LongAdder okEvents = new LongAdder();
        LongAdder measured = new LongAdder();
        LongAdder late = new LongAdder();
        LongAdder failures = new LongAdder();
        int templateCount = s.templates().size();
        Timeline timeline = new Timeline(start, (int) ((end - start) / 1_000_000_000L) + 2);

        Requests.runThreads("open-loop", s.connections(), worker -> {
            Latencies mine = latencies.get(worker);
            try (LoadClient client = clients.open()) {
                while (true) {
                    long k = tickets.getAndIncrement();
                    long intended = start + (long) (k * interval);
                    if (intended >= end) {
                        return;
                    }
                    RequestTemplate t = s.templates().get((int) (k % templateCount));
                    byte[] body = t.render(ids);
                    Requests.parkUntil(intended);
                    long t0 = System.nanoTime();
                    int status;
                    try {
                        status = client.post(t.path(), Requests.authorization(t.touchpoint()), body);
                    } catch (IOException e) {
                        status = Tally.NO_ANSWER;
                    }
                    long t1 = System.nanoTime();
                    tally.count(status, t.events(), status == Tally.NO_ANSWER ? "no answer" : client.lastResponse());
                    if (status == 200) {
                        timeline.add(t1, t.events());
                    }
                    if (intended >= measureStart) {
                        mine.record(t1 - intended);
                        measured.increment();
                        if (t0 - intended > LATE_NANOS) {
                            late.increment();
                        }
                        if (status == 200) {
                            okEvents.add(t.events());
                        } else {
                            failures.increment();
                        }
                    }
                }
            }
        });
        double seconds = s.duration().toNanos() / 1e9;
        long count = measured.sum();
        String note = String.format(
                "open loop at %.0f req/s, %d connections, %s; latency from the intended send time; %.1f%% of"
                        + " sends more than 1 ms late",
                s.rate(), s.connections(), clients.name(), count == 0 ? 0.0 : 100.0 * late.sum() / count);
        return new ScenarioResult(
                s.name(),
                okEvents.sum() / seconds,
                count / seconds,
                Latencies.merge(latencies),
                failures.sum(),
                note,
                timeline.render());
    }
}
