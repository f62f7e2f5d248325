package io.cxflow.bench.load;

import io.cxflow.bench.http.LoadClient;
import io.cxflow.bench.workload.MessageIds;
import io.cxflow.bench.workload.RequestTemplate;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop load: {@code connections} clients, each sending its next request as soon as the previous one is
 * answered. Measures the most the server sustains with that many concurrent requests; latencies are those of
 * the requests answered within the measured window (after the warm-up).
 */
public final class ClosedLoop {

    /**
     * @param name the scenario name in the report
     * @param templates the request bodies, cycled
     * @param connections concurrent clients
     * @param warmup load before the measured window
     * @param duration the measured window
     */
    public record Settings(
            String name, List<RequestTemplate> templates, int connections, Duration warmup, Duration duration) {

        public Settings {
            templates = List.copyOf(templates);
            if (templates.isEmpty() || connections < 1) {
                throw new IllegalArgumentException("need templates and at least one connection");
            }
        }
    }

    private ClosedLoop() {}

    public static ScenarioResult run(Settings s, LoadClient.Factory clients, MessageIds ids, Tally tally) {
        long start = System.nanoTime();
        long measureStart = start + s.warmup().toNanos();
        long measureEnd = measureStart + s.duration().toNanos();
        List<Latencies> latencies = new ArrayList<>();
        for (int i = 0; i < s.connections(); i++) {
            latencies.add(new Latencies(64 * 1024));
        }
        LongAdder okEvents = new LongAdder();
        LongAdder okRequests = new LongAdder();
        LongAdder failures = new LongAdder();
        int templateCount = s.templates().size();
        Timeline timeline = new Timeline(start, (int) ((measureEnd - start) / 1_000_000_000L) + 2);

        Requests.runThreads("closed-loop", s.connections(), worker -> {
            Latencies mine = latencies.get(worker);
            try (LoadClient client = clients.open()) {
                int next = worker * 7919 % templateCount;
                while (System.nanoTime() < measureEnd) {
                    RequestTemplate t = s.templates().get(next);
                    next = (next + 1) % templateCount;
                    byte[] body = t.render(ids);
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
                    if (t1 >= measureStart && t1 <= measureEnd) {
                        mine.record(t1 - t0);
                        if (status == 200) {
                            okEvents.add(t.events());
                            okRequests.increment();
                        } else {
                            failures.increment();
                        }
                    }
                    if (status == Tally.NO_ANSWER) {
                        Requests.parkUntil(System.nanoTime() + 10_000_000L); // do not spin on a dead server
                    }
                }
            }
        });
        double seconds = s.duration().toNanos() / 1e9;
        return new ScenarioResult(
                s.name(),
                okEvents.sum() / seconds,
                okRequests.sum() / seconds,
                Latencies.merge(latencies),
                failures.sum(),
                "closed loop, " + s.connections() + " connections, " + clients.name(),
                timeline.render());
    }
}
