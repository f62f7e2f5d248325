package io.cxflow.activation.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A webhook provider on loopback that honours {@code Idempotency-Key} the way a payment or messaging API does:
 * the first request with a new key that it accepts has the <em>effect</em> (counted once per key) and its answer is
 * remembered; a later request with the same key gets the remembered answer and counts as a <em>redelivery</em>, with
 * no new effect. A request while another with the same key is being handled waits for it. A rejected request
 * ({@code 503}/{@code 429} with {@code Retry-After}) has no effect and does not use up the key.
 *
 * <p>Failures are scripted per key from a seed, so a run can be repeated: a share {@code failureRate} of the keys
 * (chosen by a {@link SplittableRandom} seeded from the seed and the key) is refused its first {@code 1..maxFailures}
 * attempts, alternating {@code 503} and {@code 429}, each with {@code Retry-After: 1}. Each request is held for up to {@code maxDelayMillis} before it is answered, which
 * widens the window in which a crash leaves a request in flight.
 */
public final class IdempotentProvider implements AutoCloseable {

    private final HttpServer server;
    private final long seed;
    private final double failureRate;
    private final int maxFailures;
    private final int maxDelayMillis;
    private final Map<String, KeyState> keys = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong effects = new AtomicLong();
    private final AtomicLong redeliveries = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    /** What the provider knows of one key. Guarded by itself. */
    private static final class KeyState {
        int attempts;
        int failuresPlanned = -1;
        int effects;
        int redeliveries;
        int differentBodies;
        long firstEffectNanos;
        byte[] body;
        String decision;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * The decision a webhook body describes, read from its fields rather than from its key: {@code
     * workflowId:stepId:customerId:membershipVersion}.
     */
    private static String decisionOf(byte[] body) {
        try {
            JsonNode n = MAPPER.readTree(body);
            return n.path("workflowId").asText()
                    + ':'
                    + n.path("stepId").asText()
                    + ':'
                    + n.path("customer").path("customerId").asText()
                    + ':'
                    + n.path("change").path("membershipVersion").asLong();
        } catch (IOException e) {
            return "unreadable body";
        }
    }

    /**
     * @param seed seeds the failures of each key
     * @param failureRate the share of keys (0 to 1) whose first attempts are refused
     * @param maxFailures the most attempts of one key that are refused (keep it below the retry policy's attempts)
     * @param maxDelayMillis the longest time a request is held before it is answered
     */
    public IdempotentProvider(long seed, double failureRate, int maxFailures, int maxDelayMillis) throws IOException {
        this.seed = seed;
        this.failureRate = failureRate;
        this.maxFailures = maxFailures;
        this.maxDelayMillis = maxDelayMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        requests.incrementAndGet();
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null || key.isBlank()) {
            answer(exchange, 400, "{\"error\":\"missing Idempotency-Key\"}", null);
            return;
        }
        String decision = decisionOf(body);
        KeyState state = keys.computeIfAbsent(key, k -> new KeyState());
        int status;
        String retryAfter = null;
        synchronized (state) {
            state.attempts++;
            if (state.body == null) {
                state.body = body;
                state.decision = decision;
            } else if (!java.util.Arrays.equals(state.body, body)) {
                state.differentBodies++;
            }
            if (state.failuresPlanned < 0) {
                SplittableRandom plan = new SplittableRandom(seed ^ key.hashCode());
                state.failuresPlanned =
                        maxFailures > 0 && plan.nextDouble() < failureRate ? 1 + plan.nextInt(maxFailures) : 0;
            }
            if (state.effects > 0) {
                state.redeliveries++;
                redeliveries.incrementAndGet();
                status = 200;
            } else if (state.attempts <= state.failuresPlanned) {
                refused.incrementAndGet();
                status = state.attempts % 2 == 1 ? 503 : 429;
                retryAfter = "1";
            } else {
                hold(key, state.attempts);
                state.effects = 1;
                state.firstEffectNanos = System.nanoTime();
                effects.incrementAndGet();
                status = 200;
            }
        }
        answer(exchange, status, "{\"accepted\":" + (status == 200) + "}", retryAfter);
    }

    /** Holds the request a little, inside the key's lock: the effect happens while the caller may die. */
    private void hold(String key, int attempt) {
        if (maxDelayMillis <= 0) {
            return;
        }
        int millis = new SplittableRandom(seed ^ key.hashCode() ^ attempt).nextInt(maxDelayMillis + 1);
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void answer(HttpExchange exchange, int status, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().add("Retry-After", retryAfter);
        }
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // the caller is gone (killed): the effect, if any, stands, as at a real provider
        } finally {
            exchange.close();
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Effects per key (1 for every key that had one). */
    public Map<String, Integer> effectsByKey() {
        Map<String, Integer> out = new TreeMap<>();
        keys.forEach((k, s) -> {
            synchronized (s) {
                if (s.effects > 0) {
                    out.put(k, s.effects);
                }
            }
        });
        return out;
    }

    /**
     * Effects per decision, the decision read from each body's fields (not from its key): a decision sent under
     * two keys would have two effects here.
     */
    public Map<String, Integer> effectsByDecision() {
        Map<String, Integer> out = new TreeMap<>();
        keys.forEach((k, s) -> {
            synchronized (s) {
                if (s.effects > 0) {
                    out.merge(s.decision, s.effects, Integer::sum);
                }
            }
        });
        return out;
    }

    /** Keys whose requests did not all carry the same bytes. */
    public Set<String> keysWithDifferentBodies() {
        Set<String> out = new java.util.TreeSet<>();
        keys.forEach((k, s) -> {
            synchronized (s) {
                if (s.differentBodies > 0) {
                    out.add(k);
                }
            }
        });
        return out;
    }

    /** Every key seen, with or without an effect. */
    public Set<String> keysSeen() {
        return Set.copyOf(keys.keySet());
    }

    public long requests() {
        return requests.get();
    }

    public long effects() {
        return effects.get();
    }

    /** Requests repeating a key that already had its effect. */
    public long redeliveries() {
        return redeliveries.get();
    }

    /** Requests answered 503 or 429. */
    public long refused() {
        return refused.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
