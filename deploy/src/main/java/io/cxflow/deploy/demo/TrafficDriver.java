package io.cxflow.deploy.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a {@link Scenario} through the collector's HTTP API at a steady rate, the way touchpoint systems would: one
 * request per message, HTTP Basic with the source's write key. Counts what the collector accepted and refused.
 */
public final class TrafficDriver implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TrafficDriver.class);
    private static final int MAX_IN_FLIGHT = 64;

    private final Scenario scenario;
    private final ObjectMapper json;
    private final String collectorUrl;
    private final double ratePerSecond;
    private final HttpClient http;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;
    private Thread pacer;

    public TrafficDriver(Scenario scenario, ObjectMapper json, String collectorUrl, double ratePerSecond) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be > 0 events/s");
        }
        this.scenario = scenario;
        this.json = json;
        this.collectorUrl =
                collectorUrl.endsWith("/") ? collectorUrl.substring(0, collectorUrl.length() - 1) : collectorUrl;
        this.ratePerSecond = ratePerSecond;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .executor(senders)
                .build();
    }

    /**
     * Starts sending in the background.
     *
     * @param limit how many messages to send in all; 0 for no limit
     */
    public void start(long limit) {
        pacer = Thread.ofPlatform().name("cx-demo-traffic").daemon().start(() -> pace(limit));
    }

    private void pace(long limit) {
        long intervalNanos = (long) (1_000_000_000L / ratePerSecond);
        long next = System.nanoTime();
        while (running && (limit == 0 || sent.get() < limit)) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            next += intervalNanos;
            try {
                inFlight.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Scenario.Message message = scenario.next();
            sent.incrementAndGet();
            senders.execute(() -> send(message));
        }
    }

    private void send(Scenario.Message message) {
        try {
            byte[] body = json.writeValueAsBytes(message.body());
            String auth =
                    Base64.getEncoder().encodeToString((message.writeKey() + ":").getBytes(StandardCharsets.UTF_8));
            HttpRequest request = HttpRequest.newBuilder(URI.create(collectorUrl + "/v1/" + message.type()))
                    .timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Basic " + auth)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                accepted.incrementAndGet();
            } else {
                refused.incrementAndGet();
                LOG.warn("collector answered {} to a {}: {}", response.statusCode(), message.type(), response.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (running) {
                failed.incrementAndGet();
                LOG.warn("sending a {} failed: {}", message.type(), e.toString());
            }
        } finally {
            inFlight.release();
        }
    }

    public long sent() {
        return sent.get();
    }

    public long accepted() {
        return accepted.get();
    }

    public long refused() {
        return refused.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Whether every message asked for has been sent and answered. */
    public boolean finished(long limit) {
        return limit > 0 && accepted.get() + refused.get() + failed.get() >= limit;
    }

    @Override
    public void close() {
        running = false;
        if (pacer != null) {
            pacer.interrupt();
        }
        senders.shutdown();
        try {
            if (!senders.awaitTermination(10, TimeUnit.SECONDS)) {
                senders.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            senders.shutdownNow();
        }
    }
}
