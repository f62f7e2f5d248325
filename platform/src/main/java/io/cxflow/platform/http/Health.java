package io.cxflow.platform.http;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The named liveness and readiness checks of a service, answered at {@code GET /health/live} and {@code
 * GET /health/ready}.
 *
 * <ul>
 *   <li><b>Liveness</b>: the process works and should not be restarted. With no liveness checks, a
 *       server that answers is alive.
 *   <li><b>Readiness</b>: the service can do its job now (its Kafka clients are connected, its Streams
 *       application is RUNNING, its topics exist). A load balancer sends traffic only to ready instances.
 * </ul>
 *
 * <p>A check should read state the service already keeps, not do I/O. Each evaluation still runs with
 * a deadline ({@link #DEFAULT_TIMEOUT}): a check that throws or does not answer in time counts as down,
 * with the reason. Thread-safe; checks may be added at any time.
 */
public final class Health {

    /** How long one check may take before it counts as down. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

    /** The state of one check. */
    public record Status(boolean up, String detail) {

        /** Up, nothing to add. */
        public static final Status UP = new Status(true, null);

        /** Up, with a short note ("3 partitions assigned"). */
        public static Status up(String detail) {
            return new Status(true, detail);
        }

        /** Down, with the reason ("streams state REBALANCING"). */
        public static Status down(String reason) {
            return new Status(false, Objects.requireNonNull(reason, "reason"));
        }
    }

    /** A named check; return {@link Status#UP} or {@link Status#down(String)}. */
    @FunctionalInterface
    public interface Check {
        Status check() throws Exception;
    }

    /**
     * The outcome of evaluating all checks of one kind.
     *
     * @param up whether every check is up
     * @param checks each check's status, by name, in registration order
     */
    public record Report(boolean up, Map<String, Status> checks) {
        public Report {
            checks = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(checks));
        }
    }

    /**
     * A readiness check whose state the service sets: down until {@link #up()} is called. Useful for
     * "topics created" or "first assignment received".
     */
    public static final class Flag implements Check {
        private volatile Status status;

        private Flag(String initialReason) {
            this.status = Status.down(initialReason);
        }

        public void up() {
            status = Status.UP;
        }

        public void down(String reason) {
            status = Status.down(reason);
        }

        public boolean isUp() {
            return status.up();
        }

        @Override
        public Status check() {
            return status;
        }
    }

    private final Map<String, Check> liveness = new LinkedHashMap<>();
    private final Map<String, Check> readiness = new LinkedHashMap<>();
    private final Duration timeout;
    private final Executor executor;

    /** Health with the {@link #DEFAULT_TIMEOUT}. */
    public Health() {
        this(DEFAULT_TIMEOUT);
    }

    public Health(Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.executor = command -> Thread.ofVirtual().name("health-check").start(command);
    }

    /** Adds a readiness check; a name may be used once. */
    public Health readiness(String name, Check check) {
        add(readiness, name, check);
        return this;
    }

    /** Adds a liveness check; a name may be used once. */
    public Health liveness(String name, Check check) {
        add(liveness, name, check);
        return this;
    }

    /** Adds a readiness {@link Flag}, down with {@code initialReason} until the service raises it. */
    public Flag flag(String name, String initialReason) {
        Flag flag = new Flag(initialReason);
        readiness(name, flag);
        return flag;
    }

    private synchronized void add(Map<String, Check> checks, String name, Check check) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        if (checks.putIfAbsent(name, check) != null) {
            throw new IllegalArgumentException("health check already registered: " + name);
        }
    }

    /** Evaluates every readiness check. */
    public Report ready() {
        return evaluate(snapshot(readiness));
    }

    /** Evaluates every liveness check. */
    public Report live() {
        return evaluate(snapshot(liveness));
    }

    private synchronized Map<String, Check> snapshot(Map<String, Check> checks) {
        return new LinkedHashMap<>(checks);
    }

    private Report evaluate(Map<String, Check> checks) {
        List<Map.Entry<String, CompletableFuture<Status>>> running = new ArrayList<>();
        for (Map.Entry<String, Check> e : checks.entrySet()) {
            Check check = e.getValue();
            running.add(Map.entry(e.getKey(), CompletableFuture.supplyAsync(() -> run(check), executor)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Status> results = new LinkedHashMap<>();
        boolean allUp = true;
        for (Map.Entry<String, CompletableFuture<Status>> e : running) {
            Status status;
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                status = e.getValue().get(left, TimeUnit.NANOSECONDS);
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                status = Status.down("check did not answer within " + timeout.toMillis() + " ms");
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                status = Status.down("interrupted");
            } catch (ExecutionException ex) {
                status = Status.down(describe(ex.getCause()));
            }
            results.put(e.getKey(), status);
            allUp &= status.up();
        }
        return new Report(allUp, results);
    }

    private static Status run(Check check) {
        try {
            Status s = check.check();
            return s == null ? Status.down("check returned no status") : s;
        } catch (Exception e) {
            return Status.down(describe(e));
        }
    }

    private static String describe(Throwable t) {
        return t.getMessage() == null
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
