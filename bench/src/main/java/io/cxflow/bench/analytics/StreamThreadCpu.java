package io.cxflow.bench.analytics;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Map;

/**
 * The CPU time the threads of the Streams clients in this JVM spent during a run: every thread whose
 * name contains {@code -StreamThread-} (the stream threads and their producers' and consumers'
 * network threads), not the broker's. Unlike events/s it hardly depends on what else the machine
 * runs, so it compares runs made on a busy machine.
 */
public final class StreamThreadCpu {

    private static final String MARK = "-StreamThread-";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> atStart;

    private StreamThreadCpu(Map<Long, Long> atStart) {
        this.atStart = atStart;
    }

    /** Starts counting (threads that exist now count from now, threads started later from their start). */
    public static StreamThreadCpu start() {
        return new StreamThreadCpu(snapshot());
    }

    /** Nanoseconds of CPU since {@link #start()}; -1 when the JVM cannot measure thread CPU time. */
    public long elapsedNanos() {
        if (!THREADS.isThreadCpuTimeSupported()) {
            return -1;
        }
        long total = 0;
        for (Map.Entry<Long, Long> now : snapshot().entrySet()) {
            total += now.getValue() - atStart.getOrDefault(now.getKey(), 0L);
        }
        return total;
    }

    private static Map<Long, Long> snapshot() {
        Map<Long, Long> cpu = new HashMap<>();
        if (!THREADS.isThreadCpuTimeSupported()) {
            return cpu;
        }
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (thread.getName().contains(MARK)) {
                long nanos = THREADS.getThreadCpuTime(thread.threadId());
                if (nanos >= 0) {
                    cpu.put(thread.threadId(), nanos);
                }
            }
        }
        return cpu;
    }
}
