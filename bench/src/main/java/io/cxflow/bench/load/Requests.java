package io.cxflow.bench.load;

import io.cxflow.bench.workload.Touchpoint;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/** Helpers shared by the load shapes. */
final class Requests {

    private static final Map<Touchpoint, String> AUTHORIZATION = new EnumMap<>(Touchpoint.class);

    static {
        for (Touchpoint t : Touchpoint.values()) {
            // HTTP Basic with the write key as user name and an empty password, as the Segment SDKs send it
            AUTHORIZATION.put(
                    t,
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((t.sourceId() + ":").getBytes(StandardCharsets.UTF_8)));
        }
    }

    private Requests() {}

    static String authorization(Touchpoint touchpoint) {
        return AUTHORIZATION.get(touchpoint);
    }

    /** Sleeps until {@code deadline} ({@link System#nanoTime()}), without spinning. */
    static void parkUntil(long deadline) {
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            LockSupport.parkNanos(left);
        }
    }

    /** Starts {@code n} platform threads running {@code body(i)} and waits for all of them. */
    static void runThreads(String name, int n, java.util.function.IntConsumer body) {
        Thread[] threads = new Thread[n];
        Throwable[] failure = new Throwable[1];
        for (int i = 0; i < n; i++) {
            int index = i;
            threads[i] = Thread.ofPlatform().name(name + "-" + i).daemon(true).unstarted(() -> body.accept(index));
            threads[i].setUncaughtExceptionHandler((t, e) -> {
                synchronized (failure) {
                    if (failure[0] == null) {
                        failure[0] = e;
                    }
                }
            });
            threads[i].start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the load threads", e);
            }
        }
        synchronized (failure) {
            if (failure[0] != null) {
                throw new IllegalStateException("a load thread failed: " + failure[0], failure[0]);
            }
        }
    }
}
